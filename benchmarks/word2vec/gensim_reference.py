#!/usr/bin/python3
"""gensim's Word2Vec beside Kiln's, on the same tokens and the same analogy questions.

    kiln train word2vec --dataset kjv --out runs/word2vec-kjv      # writes corpus.txt, analogies.txt
    /usr/bin/python3 benchmarks/word2vec/gensim_reference.py runs/word2vec-kjv [--workers 2]

Trains gensim 4.x skip-gram with negative sampling with the word2vec tool's settings that Kiln
uses (100 dims, window 5 drawn from 1..5, 5 negatives, min count 5, sample 1e-3, alpha 0.025
decaying to 0.025 * 1e-4, 5 epochs) on RUN/corpus.txt (Kiln's tokenised sentences, one a line),
then scores RUN/analogies.txt with the same 3CosAdd top-1 rule as Kiln (unit vectors, the three
question words excluded). Prints one RESULT line: analogy accuracy, corpus words per second of
training (every token of corpus.txt, rare words included, times the epochs, over the wall time of
model.train alone, as Kiln counts them), effective words per second (the words left after
sub-sampling, what gensim's own log reports; Kiln's RESULT has the same field) and the process CPU
seconds of model.train (every thread; Kiln's train_cpu_seconds is the same measure).
"""
import argparse
import sys
import time

import numpy as np
from gensim.models import Word2Vec
from gensim.models.word2vec import LineSentence


def accuracy(kv, path):
    """3CosAdd top-1 accuracy per category and in all; questions with unknown words count as wrong."""
    unit = kv.vectors / np.maximum(np.linalg.norm(kv.vectors, axis=1, keepdims=True), 1e-30)
    idx = kv.key_to_index
    right, total, cat, per = 0, 0, None, {}
    for line in open(path, encoding="utf-8"):
        f = line.split()
        if not f:
            continue
        if f[0] == ":":
            cat = f[1]
            per.setdefault(cat, [0, 0])
            continue
        per[cat][1] += 1
        total += 1
        if any(w not in idx for w in f):
            continue
        a, b, c, d = (idx[w] for w in f)
        scores = unit @ (unit[b] - unit[a] + unit[c])
        scores[[a, b, c]] = -np.inf
        if int(np.argmax(scores)) == d:
            right += 1
            per[cat][0] += 1
    return right / max(1, total), {k: v[0] / max(1, v[1]) for k, v in per.items()}, total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("run", help="a Kiln word2vec run directory (corpus.txt, analogies.txt)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    corpus, questions = a.run + "/corpus.txt", a.run + "/analogies.txt"
    tokens = sum(len(l.split()) for l in open(corpus, encoding="utf-8"))
    model = Word2Vec(vector_size=100, window=5, negative=5, hs=0, sg=1, min_count=5, sample=1e-3, alpha=0.025,
                     min_alpha=0.025 * 1e-4, workers=a.workers, seed=a.seed)
    model.build_vocab(corpus_file=None, corpus_iterable=LineSentence(corpus))
    t0, c0 = time.perf_counter(), time.process_time()
    effective, _ = model.train(LineSentence(corpus), total_examples=model.corpus_count, epochs=a.epochs)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    acc, per, n = accuracy(model.wv, questions)
    import gensim
    print("gensim %s: vocabulary %d, %d tokens, trained in %.2f s (%.2f s CPU); per category %s" % (
        gensim.__version__, len(model.wv), tokens, seconds, cpu, {k: round(v, 4) for k, v in per.items()}), file=sys.stderr)
    for w in ("god", "king", "water", "jesus"):
        if w in model.wv:
            print("gensim: nearest to %s: %s" % (w, " ".join("%s %.3f" % p for p in model.wv.most_similar(w, topn=8))),
                  file=sys.stderr)
    print("RESULT model=word2vec-gensim dataset=%s metric=analogy_accuracy value=%.4f seconds=%.1f words_per_second=%.0f "
          "effective_words_per_second=%.0f train_seconds=%.2f train_cpu_seconds=%.2f questions=%d vocabulary=%d workers=%d"
          % (a.run, acc, seconds, tokens * a.epochs / seconds, effective / seconds, seconds, cpu, n, len(model.wv), a.workers))


if __name__ == "__main__":
    main()
