package dev.kiln.models.cli;

import dev.kiln.Device;
import dev.kiln.models.KilnModel;
import dev.kiln.models.Models;
import dev.kiln.models.lstm.CharLanguageModel;
import dev.kiln.models.lstm.CharSampler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code kiln generate lstm|transformer --checkpoint FILE_OR_RUN_DIR --prompt TEXT}: samples text
 * from a trained character language model; stdout gets the prompt followed by the sampled
 * characters, and nothing else.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sample text from a trained character language model (lstm or transformer): prime it with "
                + "--prompt, then draw --length characters with the temperature and top-k, seeded.",
                "Prints the prompt followed by the sampled text on stdout."})
final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "lstm or transformer.")
    String modelName;

    @Option(names = "--checkpoint", paramLabel = "FILE_OR_RUN_DIR", required = true,
            description = "A checkpoint.kiln, or the run directory holding it (e.g. runs/lstm-kjv); its vocabulary is stored "
                    + "in it (older checkpoints: vocab.txt next to it).")
    Path checkpoint;

    @Option(names = "--prompt", paramLabel = "TEXT", required = true,
            description = "Text to start from; every character must be in the model's vocabulary.")
    String prompt;

    @Option(names = "--length", paramLabel = "N", defaultValue = "200",
            description = "Characters to sample; they are printed as they are drawn (stops when stdout is closed). "
                    + "Default: ${DEFAULT-VALUE}.")
    int length;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0.8",
            description = "Divides the logits before the softmax; lower is more conservative, 0 is greedy. Default: ${DEFAULT-VALUE}.")
    float temperature;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "0",
            description = "Draw only among the K most likely characters (1: greedy; 0: all). Default: ${DEFAULT-VALUE}.")
    int topK;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of the draws; the same seed gives the same text. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--device", paramLabel = "DEV", defaultValue = "auto",
            description = "cpu, cuda, cuda:N or auto. Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = {"-q", "--quiet"}, description = "No message about the loaded checkpoint on stderr.")
    boolean quiet;

    /** The models {@code generate} knows: the registered character language models. */
    static List<CharLanguageModel> languageModels() {
        return Models.all().stream().filter(m -> m instanceof CharLanguageModel).map(m -> (CharLanguageModel) m)
                .collect(Collectors.toList());
    }

    @Override
    public Integer call() throws Exception {
        List<CharLanguageModel> lms = languageModels();
        KilnModel m = Models.find(modelName).orElse(null);
        if (!(m instanceof CharLanguageModel)) {
            throw new ParameterException(spec.commandLine(), "Unknown model '" + modelName + "' for generate; expected one of: "
                    + lms.stream().map(KilnModel::name).collect(Collectors.joining(", ")));
        }
        if (length < 0) {
            throw new ParameterException(spec.commandLine(), "--length must be >= 0, got " + length);
        }
        if (!(temperature >= 0 && Float.isFinite(temperature))) {
            throw new ParameterException(spec.commandLine(), "--temperature must be a finite number >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new ParameterException(spec.commandLine(), "--top-k must be >= 0 (0: no limit), got " + topK);
        }
        if (prompt.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--prompt is empty; give at least one character to start from");
        }
        Device dev = CliSupport.parseDevice(spec, device, quiet ? null : CliSupport.errStream(spec));
        CharSampler.Loaded loaded = CharSampler.load((CharLanguageModel) m, checkpoint, dev);
        int[] ids;
        try {
            ids = CharSampler.encodePrompt(loaded.vocab(), prompt);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Bad --prompt: " + e.getMessage() + " (from "
                    + loaded.checkpoint().toAbsolutePath().getParent().resolve(CharLanguageModel.VOCAB_FILE) + ")");
        }
        PrintStream err = CliSupport.errStream(spec);
        if (!quiet) {
            err.println(String.format(Locale.ROOT, "kiln generate: %s from %s (epoch %d, %d parameters, vocabulary %d) on %s, "
                            + "temperature %s, top-k %s, seed %d", m.name(), loaded.checkpoint(), loaded.epoch(),
                    loaded.model().parameterCount(), loaded.vocab().size(), dev, temperature, topK == 0 ? "all" : topK, seed));
            err.flush();
        }
        PrintStream out = CliSupport.outStream(spec);
        out.print(prompt);
        // Each character goes out as it is drawn: no buffer of --length characters, and a closed stdout ends the run.
        try {
            CharSampler.sample(((CharLanguageModel.Autoregressive) loaded.model()).decoder(), loaded.vocab(), ids,
                    length, temperature, topK, seed, new StdoutSink(out));
        } catch (StdoutSink.Closed e) {
            return 0;
        }
        out.println();
        out.flush();
        return 0;
    }

    /** Appends to stdout, checking every few thousand characters whether the reader has gone (e.g. {@code | head}). */
    private static final class StdoutSink implements Appendable {
        private static final int CHECK_EVERY = 4096;
        private final PrintStream out;
        private int sinceCheck;

        /** The output was closed: sampling stops. */
        static final class Closed extends java.io.IOException {
            private static final long serialVersionUID = 1L;

            Closed() {
                super("stdout closed");
            }
        }

        StdoutSink(PrintStream out) {
            this.out = out;
        }

        @Override
        public Appendable append(CharSequence csq) throws Closed {
            out.append(csq);
            sinceCheck += csq.length();
            if (sinceCheck >= CHECK_EVERY) {
                sinceCheck = 0;
                if (out.checkError()) {
                    throw new Closed();
                }
            }
            return this;
        }

        @Override
        public Appendable append(CharSequence csq, int start, int end) throws Closed {
            return append(csq.subSequence(start, end));
        }

        @Override
        public Appendable append(char c) throws Closed {
            return append(String.valueOf(c));
        }
    }
}
