package dev.kiln.models.seq;

import dev.kiln.Device;
import dev.kiln.data.text.CharVocab;
import dev.kiln.data.text.TextSplit;
import dev.kiln.data.text.UnigramModel;
import dev.kiln.models.RunRequest;
import dev.kiln.models.RunResult;
import dev.kiln.models.lstm.CharLanguageModel;
import dev.kiln.models.lstm.CharLstm;
import dev.kiln.models.seq2seq.Seq2SeqModel;
import dev.kiln.models.transformer.CharTransformer;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Quick-mode runs of the sequence models on this machine's CPU: both character LMs beat a unigram
 * model on the held-out KJV books (skipped when the KJV text is not installed), and the seq2seq
 * Transformer reaches the stated exact match on reversal.
 */
class SequenceModelsTest {

    private static RunRequest quick(String dataset) {
        return RunRequest.of(dataset, Device.cpu(), 1).withQuick(true).withLog(System.err);
    }

    private static double unigramBpc() throws IOException {
        TextSplit split = CharLanguageModel.kjvSplit(quick(CharLanguageModel.KJV));
        CharVocab vocab = CharVocab.build(split.train(), true);
        UnigramModel u = UnigramModel.fit(vocab.encode(split.train()), vocab.size());
        return u.bitsPerToken(vocab.encode(split.heldOut()));
    }

    private static void beatsUnigram(CharLanguageModel model) throws IOException {
        assumeTrue(dev.kiln.models.lstm.CharLstm.model().demoDatasets(quick(CharLanguageModel.KJV)).get(0).isAvailable(), "KJV text not installed (apt-get install bible-kjv)");
        double unigram = unigramBpc();
        RunResult r = model.train(quick(CharLanguageModel.KJV));
        System.err.println(r.resultLine() + " (unigram " + unigram + ")");
        assertTrue(r.value() < unigram, model.name() + " held-out bpc " + r.value() + " does not beat the unigram model's " + unigram);
    }

    @Test
    void lstmBeatsUnigramOnHeldOutBooks() throws IOException {
        beatsUnigram(CharLstm.model());
    }

    @Test
    void transformerBeatsUnigramOnHeldOutBooks() throws IOException {
        beatsUnigram(CharTransformer.model());
    }

    @Test
    void seq2seqLearnsToReverse() throws IOException {
        RunResult r = new Seq2SeqModel().train(quick(Seq2SeqModel.REVERSE));
        System.err.println(r.resultLine());
        assertTrue(r.value() >= QUICK_EXACT_MATCH, "seq2seq exact match " + r.value() + " below " + QUICK_EXACT_MATCH);
    }

    /** Stated quick-mode target (reverse, lengths 1-8 over 10 symbols, 3 epochs of 6,400 examples on the CPU). */
    static final double QUICK_EXACT_MATCH = 0.9; // measured 0.99 in 51 s on the 2-core dev machine
}
