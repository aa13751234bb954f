package dev.kiln.models.lstm;

import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.data.text.CharVocab;
import dev.kiln.models.train.Checkpoint;
import dev.kiln.nn.Module;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Text sampling from a trained character language model ({@code kiln generate}): loads a run's
 * checkpoint and {@code vocab.txt}, primes the model with a prompt and draws characters one at a
 * time from the softmax of the logits divided by a temperature, restricted to the {@code k} most
 * likely characters. The vocabulary's unknown id is never drawn. With {@code topK == 1} (or
 * temperature 0) the draw is the argmax (first on ties): greedy decoding, whatever the seed.
 *
 * <pre>{@code
 * CharSampler.Loaded m = CharSampler.load(CharLstm.model(), Path.of("runs/lstm-kjv"), Device.cpu());
 * String text = CharSampler.sample(m, "In the beginning", 200, 0.8f, 0, 1);
 * }</pre>
 */
public final class CharSampler {

    private CharSampler() {
    }

    /** A trained model ready to sample, with where it came from. */
    public record Loaded(CharLanguageModel kind, Module model, CharVocab vocab, Path checkpoint, int epoch, String fingerprint) {
    }

    /**
     * Loads {@code fileOrRunDir} (a checkpoint file, or a run directory holding
     * {@value Checkpoint#FILE_NAME}) and the {@value CharLanguageModel#VOCAB_FILE} next to it into a
     * fresh {@code kind} model on {@code device}, in eval mode.
     *
     * @throws IOException naming the file when the checkpoint or vocabulary is missing, damaged, or
     *                     belongs to another model
     */
    public static Loaded load(CharLanguageModel kind, Path fileOrRunDir, Device device) throws IOException {
        Path file = Files.isDirectory(fileOrRunDir) ? fileOrRunDir.resolve(Checkpoint.FILE_NAME) : fileOrRunDir;
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no checkpoint there (train with kiln train "
                    + kind.name() + " --out DIR first)");
        }
        Path dir = file.toAbsolutePath().getParent();
        Path vocabFile = dir.resolve(CharLanguageModel.VOCAB_FILE);
        Checkpoint c = Checkpoint.load(file);
        String owner = c.fingerprint().split(" ", 2)[0];
        if (!owner.equals(kind.name())) {
            throw new IOException("Checkpoint " + file + " belongs to model '" + owner + "' ('" + c.fingerprint()
                    + "'), not " + kind.name());
        }
        String stored = c.files().get(CharLanguageModel.VOCAB_FILE);
        String text;
        if (stored != null) {
            // The checkpoint's own copy is the vocabulary; a vocab.txt beside it must be that one.
            if (Files.isRegularFile(vocabFile) && !Files.readString(vocabFile).equals(stored)) {
                throw new IOException(vocabFile + " does not match the vocabulary stored in checkpoint " + file
                        + ": it belongs to another run (delete it to use the checkpoint's own, or name the run it belongs to)");
            }
            text = stored;
        } else if (Files.isRegularFile(vocabFile)) {
            text = Files.readString(vocabFile);
        } else {
            throw new NoSuchFileException(vocabFile.toString(), null, "the character vocabulary of checkpoint " + file
                    + " is missing; kiln train writes it next to the checkpoint");
        }
        CharVocab vocab;
        try {
            vocab = CharVocab.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("Damaged vocabulary " + (stored != null ? "in " + file : vocabFile) + ": " + e.getMessage(), e);
        }
        java.util.regex.Matcher size = java.util.regex.Pattern.compile(" vocab (\\d+)$").matcher(c.fingerprint());
        if (size.find() && Integer.parseInt(size.group(1)) != vocab.size()) {
            throw new IOException("The vocabulary of checkpoint " + file + " has " + size.group(1) + " ids, " + vocabFile + " has "
                    + vocab.size() + ": it belongs to another run");
        }
        Module model = kind.build(vocab.size(), new Generator(0));
        try {
            model.loadStateDict(c.module("model"));
        } catch (IllegalArgumentException e) {
            throw new IOException("Checkpoint " + file + " does not fit a " + kind.name() + " model with the "
                    + vocab.size() + "-id vocabulary of " + vocabFile + ": " + e.getMessage(), e);
        }
        model.to(device);
        model.eval();
        return new Loaded(kind, model, vocab, file, c.epoch(), c.fingerprint());
    }

    /**
     * The ids of {@code prompt}.
     *
     * @throws IllegalArgumentException if it is empty or has a character the vocabulary lacks (naming
     *                                  the character, its position and the vocabulary's size)
     */
    public static int[] encodePrompt(CharVocab vocab, String prompt) {
        Objects.requireNonNull(prompt, "prompt");
        if (prompt.isEmpty()) {
            throw new IllegalArgumentException("the prompt is empty; give at least one character to start from");
        }
        int[] cps = prompt.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            if (!vocab.contains(cps[i])) {
                String shown = Character.isISOControl(cps[i]) || Character.isWhitespace(cps[i]) ? ""
                        : "'" + new String(Character.toChars(cps[i])) + "' ";
                throw new IllegalArgumentException("the prompt's character " + shown + String.format("(U+%04X)", cps[i])
                        + " at position " + i + " is not in the model's vocabulary of " + vocab.characterCount()
                        + " characters");
            }
        }
        return vocab.encode(prompt);
    }

    /** {@link #sample(CharLanguageModel.Decoder, CharVocab, int[], int, float, int, long)} on a loaded model. */
    public static String sample(Loaded m, String prompt, int length, float temperature, int topK, long seed) {
        int[] ids = encodePrompt(m.vocab(), prompt);
        return sample(((CharLanguageModel.Autoregressive) m.model()).decoder(), m.vocab(), ids, length, temperature, topK, seed);
    }

    /**
     * Feeds {@code prompt}, then draws {@code length} characters, each fed back in.
     *
     * @param temperature divides the logits; 0 means greedy
     * @param topK        draw among the {@code k} most likely characters; 0 for all of them
     * @return the {@code length} drawn characters (without the prompt)
     */
    public static String sample(CharLanguageModel.Decoder decoder, CharVocab vocab, int[] prompt, int length, float temperature,
                                int topK, long seed) {
        StringBuilder sb = new StringBuilder();
        try {
            sample(decoder, vocab, prompt, length, temperature, topK, seed, sb);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a StringBuilder does not throw
        }
        return sb.toString();
    }

    /**
     * Feeds {@code prompt}, then draws {@code length} characters, each fed back in and appended to
     * {@code out} as it is drawn: memory does not grow with {@code length}, and an {@code out} that
     * throws stops the sampling.
     *
     * @param temperature divides the logits; 0 means greedy
     * @param topK        draw among the {@code k} most likely characters; 0 for all of them
     */
    public static void sample(CharLanguageModel.Decoder decoder, CharVocab vocab, int[] prompt, long length, float temperature,
                              int topK, long seed, Appendable out) throws IOException {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, got " + length);
        }
        if (!(temperature >= 0 && Float.isFinite(temperature))) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be >= 0 (0: no limit), got " + topK);
        }
        Generator g = new Generator(seed);
        int[] one = new int[1];
        float[] logits = length == 0 ? null : decoder.feed(prompt);
        for (long i = 0; i < length; i++) {
            one[0] = pick(logits, vocab.unknownId(), temperature, topK, g);
            out.append(vocab.decode(one));
            if (i + 1 < length) {
                logits = decoder.feed(new int[] {one[0]});
            }
        }
    }

    /**
     * One draw from {@code softmax(logits / temperature)} over the {@code topK} largest logits
     * (all for 0), never {@code skip}; one uniform number of {@code g} per draw, also when greedy.
     */
    static int pick(float[] logits, int skip, float temperature, int topK, Generator g) {
        float u = g.nextFloat();
        int v = logits.length;
        int best = -1;
        for (int k = 0; k < v; k++) {
            if (k != skip && (best < 0 || logits[k] > logits[best])) {
                best = k;
            }
        }
        int candidates = v - (skip >= 0 && skip < v ? 1 : 0);
        if (topK == 1 || temperature == 0 || candidates == 1) {
            return best;
        }
        // The k-th largest logit is the cut: keep ties at the cut too.
        float cut = Float.NEGATIVE_INFINITY;
        if (topK > 0 && topK < candidates) {
            float[] sorted = new float[candidates];
            int n = 0;
            for (int k = 0; k < v; k++) {
                if (k != skip) {
                    sorted[n++] = logits[k];
                }
            }
            java.util.Arrays.sort(sorted);
            cut = sorted[candidates - topK];
        }
        double[] p = new double[v];
        double sum = 0;
        for (int k = 0; k < v; k++) {
            if (k != skip && logits[k] >= cut) {
                p[k] = Math.exp((logits[k] - (double) logits[best]) / temperature);
                sum += p[k];
            }
        }
        double target = u * sum;
        double acc = 0;
        int last = best;
        for (int k = 0; k < v; k++) {
            if (p[k] > 0) {
                acc += p[k];
                last = k;
                if (target < acc) {
                    return k;
                }
            }
        }
        return last;
    }
}
