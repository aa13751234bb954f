package dev.kiln.models.cli;

import dev.kiln.models.word2vec.Embeddings;
import dev.kiln.models.word2vec.Word2VecModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code kiln export word2vec --checkpoint DIR --format text|binary [--output FILE]}: writes the word
 * vectors of a trained run in the word2vec tool's text or binary format (what gensim's
 * {@code KeyedVectors.load_word2vec_format} reads).
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a trained model's parameters in a standard format: word2vec vectors in the word2vec tool's "
                + "text or binary format.", "Prints the written file's path on stdout."})
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "word2vec.")
    String modelName;

    @Option(names = "--checkpoint", paramLabel = "FILE_OR_RUN_DIR", required = true,
            description = "A checkpoint.kiln, or the run directory holding it (e.g. runs/word2vec-kjv); vocab.txt must be next to it.")
    Path checkpoint;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or binary. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Where to write (default: vectors.txt or vectors.bin next to the checkpoint).")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (!modelName.equals(Word2VecModel.NAME)) {
            throw new ParameterException(spec.commandLine(), "Unknown model '" + modelName + "' for export; expected: " + Word2VecModel.NAME);
        }
        String f = format.toLowerCase(Locale.ROOT);
        if (!f.equals("text") && !f.equals("binary")) {
            throw new ParameterException(spec.commandLine(), "Bad --format '" + format + "': expected text or binary");
        }
        Embeddings e = Word2VecModel.load(checkpoint);
        Path dir = java.nio.file.Files.isDirectory(checkpoint) ? checkpoint : checkpoint.toAbsolutePath().getParent();
        Path out = output != null ? output : dir.resolve(f.equals("text") ? "vectors.txt" : "vectors.bin");
        if (f.equals("text")) {
            e.writeText(out);
        } else {
            e.writeBinary(out);
        }
        PrintStream stdout = CliSupport.outStream(spec);
        stdout.println(out);
        stdout.flush();
        CliSupport.errStream(spec).printf(Locale.ROOT, "kiln export: %d words x %d dims, %s format%n", e.size(), e.dim(), f);
        return 0;
    }
}
