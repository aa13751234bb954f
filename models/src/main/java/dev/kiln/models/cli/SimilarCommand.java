package dev.kiln.models.cli;

import dev.kiln.models.word2vec.Embeddings;
import dev.kiln.models.word2vec.Word2VecModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code kiln similar --checkpoint DIR --word WORD [--top N]}: the nearest words to WORD by cosine
 * similarity of a trained word2vec run's vectors, one {@code word similarity} line each on stdout.
 */
@Command(name = "similar", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print the words nearest to --word by cosine similarity of a trained word2vec model's vectors.",
                "One line per neighbour on stdout: the word and its similarity."})
final class SimilarCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "FILE_OR_RUN_DIR", required = true,
            description = "A word2vec checkpoint.kiln, or the run directory holding it (e.g. runs/word2vec-kjv).")
    Path checkpoint;

    @Option(names = "--word", paramLabel = "WORD", required = true, description = "The word to look up (lower case, as trained).")
    String word;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "How many neighbours. Default: ${DEFAULT-VALUE}.")
    int top;

    @Override
    public Integer call() throws Exception {
        if (top < 1) {
            throw new ParameterException(spec.commandLine(), "--top must be >= 1, got " + top);
        }
        Embeddings e = Word2VecModel.load(checkpoint);
        if (e.row(word) < 0) {
            throw new ParameterException(spec.commandLine(), "Bad --word: '" + word + "' is not in the vocabulary of " + checkpoint + " (" + e.size()
                    + " words; training lower-cases the text and drops words seen fewer than 5 times)");
        }
        PrintStream out = CliSupport.outStream(spec);
        for (Embeddings.Neighbour n : e.nearest(word, top)) {
            out.printf(Locale.ROOT, "%s %.4f%n", n.word(), n.similarity());
        }
        out.flush();
        return 0;
    }
}
