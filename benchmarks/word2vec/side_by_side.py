#!/usr/bin/python3
"""Kiln's Word2Vec and gensim's, back to back on the full KJV, and a Markdown table of both.

    /usr/bin/python3 benchmarks/word2vec/side_by_side.py [--runs 3] [--first-seed 1] [--threads 2] [--out runs/word2vec-side]

For each seed (first-seed, first-seed + 1, ... runs of them), in turn: `./kiln train word2vec --dataset kjv --device cpu --seed S` with
-Dkiln.word2vec.threads=THREADS (the run writes corpus.txt and analogies.txt), then
gensim_reference.py on that run's corpus.txt and analogies.txt with the same seed and as many
workers. Each row records the 1-minute load average before the run, the training wall and CPU
seconds (the process's CPU time over training alone, every thread: Kiln's RESULT train_cpu_seconds,
gensim's time.process_time() around model.train), the whole process's user + sys seconds
(/usr/bin/time), corpus words/s (every token, rare ones included, times the epochs, over the
training wall time), effective words/s (the words left after sub-sampling, gensim's own figure) and
the 3CosAdd top-1 analogy accuracy on the same questions. The summary gives the means and the
Kiln / gensim ratios of words/s and of words per training CPU second.

Environment: KILN (default ./kiln from the repository root), KILN_JAVA_OPTS (passed on).
Progress goes to stderr; the table to stdout and, with --out, to OUT/side_by_side.md.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def timed(cmd, env=None):
    """Runs cmd under /usr/bin/time; returns (stdout, stderr, user+sys seconds)."""
    p = subprocess.run(["/usr/bin/time", "-f", "TIME %U %S %e"] + cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    m = re.findall(r"^TIME ([\d.]+) ([\d.]+) ([\d.]+)$", p.stderr, re.M)
    if p.returncode != 0 or not m:
        sys.exit("failed (%d): %s\n%s" % (p.returncode, " ".join(cmd), p.stderr[-3000:]))
    u, s, _ = m[-1]
    return p.stdout, p.stderr, float(u) + float(s)


def fields(stdout):
    line = [l for l in stdout.splitlines() if l.startswith("RESULT ")]
    if not line:
        sys.exit("no RESULT line in:\n" + stdout)
    return dict(kv.split("=", 1) for kv in line[-1].split()[1:] if "=" in kv)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", default="runs/word2vec-side")
    a = ap.parse_args()
    kiln = os.environ.get("KILN", os.path.join(ROOT, "kiln"))
    rows = []
    for seed in range(a.first_seed, a.first_seed + a.runs):
        run_dir = os.path.join(a.out, "seed%d" % seed)
        env = dict(os.environ)
        env["KILN_JAVA_OPTS"] = (env.get("KILN_JAVA_OPTS", "") + " -Dkiln.word2vec.threads=%d" % a.threads).strip()
        for impl in ("kiln", "gensim"):
            load = os.getloadavg()[0]
            stamp = time.strftime("%H:%M:%S", time.gmtime())
            print("side_by_side: seed %d, %s, load %.2f, %s UTC ..." % (seed, impl, load, stamp), file=sys.stderr, flush=True)
            if impl == "kiln":
                out, _, proc = timed([kiln, "train", "word2vec", "--dataset", "kjv", "--device", "cpu", "--seed", str(seed),
                                      "--out", run_dir], env)
            else:
                out, _, proc = timed(["/usr/bin/python3", os.path.join(ROOT, "benchmarks/word2vec/gensim_reference.py"), run_dir,
                                      "--workers", str(a.threads), "--seed", str(seed)])
            f = fields(out)
            row = dict(impl=impl, seed=seed, load=load, utc=stamp, wall=float(f["train_seconds"]), cpu=float(f["train_cpu_seconds"]),
                       proc=proc, wps=float(f["words_per_second"]), ewps=float(f["effective_words_per_second"]), acc=float(f["value"]))
            rows.append(row)
            print("side_by_side:   %(impl)s: accuracy %(acc).4f, %(wall).2f s (%(cpu).2f s CPU) training, %(wps).0f words/s" % row,
                  file=sys.stderr, flush=True)
    lines = ["| implementation | seed | load (1 min) before | UTC | training wall s | training CPU s | process user+sys s "
             "| corpus words/s | effective words/s | 3CosAdd top-1 |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        name = "Kiln, %d Hogwild threads" % a.threads if r["impl"] == "kiln" else "gensim, %d workers" % a.threads
        lines.append("| %s | %d | %.2f | %s | %.2f | %.2f | %.1f | %s | %s | %.4f |" % (
            name, r["seed"], r["load"], r["utc"], r["wall"], r["cpu"], r["proc"], format(round(r["wps"]), ","),
            format(round(r["ewps"]), ","), r["acc"]))
    mean = {impl: {k: statistics.mean(r[k] for r in rows if r["impl"] == impl) for k in ("wall", "cpu", "wps", "ewps", "acc")}
            for impl in ("kiln", "gensim")}
    k, g = mean["kiln"], mean["gensim"]
    lines.append("")
    lines.append("Means over %d runs each: Kiln %.4f, gensim %.4f analogy accuracy (difference %+.4f); corpus words/s Kiln %s, "
                 "gensim %s: **%.2f×** gensim (wall); words per training CPU second: **%.2f×** gensim." % (
                     a.runs, k["acc"], g["acc"], k["acc"] - g["acc"], format(round(k["wps"]), ","), format(round(g["wps"]), ","),
                     k["wps"] / g["wps"], g["cpu"] / k["cpu"]))
    text = "\n".join(lines)
    print(text)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "side_by_side.md"), "w", encoding="utf-8") as fh:
        fh.write(text + "\n")


if __name__ == "__main__":
    main()
