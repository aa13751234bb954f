package dev.kiln.models.cli;

import dev.kiln.DeviceUnavailableException;
import dev.kiln.models.KilnModel;
import dev.kiln.models.Models;
import dev.kiln.models.train.RunDirectory;
import dev.kiln.models.train.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/**
 * The {@code kiln} command: {@code train <model>}, {@code generate <model>}, {@code export word2vec}, {@code similar},
 * {@code demo} and {@code info}.
 *
 * <p>Exit codes: 0 success; 1 a run failed (missing or damaged data or checkpoint, no usable
 * device, diverged training) with a one-line message on stderr; 2 bad usage (unknown flag, model
 * or dataset) with the usage text on stderr. Progress and logs go to stderr; stdout carries
 * only results ({@code RESULT ...} lines, the demo table, {@code info}).
 */
@Command(name = "kiln", mixinStandardHelpOptions = true, versionProvider = KilnCli.Version.class,
        description = "Kiln: a GPU-first numeric kernel library for the JVM, and the models built on it.",
        subcommands = {TrainCommand.class, GenerateCommand.class, SampleCommand.class, PlayCommand.class, ExportCommand.class,
                SimilarCommand.class, DemoCommand.class, InfoCommand.class, CommandLine.HelpCommand.class})
public final class KilnCli implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** The {@code kiln} command: as the process's owner it sets headless AWT and a one-line log format. */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "kiln: %5$s%6$s%n");
        }
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the tool with the given streams; returns the exit code (for tests and embedding). Changes
     * no global settings: system properties and logging configuration stay the application's.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = commandLine(out, err);
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            err.println(outOfMemory(e, Runtime.getRuntime().maxMemory()));
            err.flush();
            return 1;
        }
    }

    /** The one-line message for running out of memory, with the heap limit and how to raise it. */
    static String outOfMemory(OutOfMemoryError e, long maxHeapBytes) {
        return String.format(java.util.Locale.ROOT, "kiln: out of memory (%s) with a Java heap of at most %d MiB; give the JVM "
                + "more, e.g. KILN_JAVA_OPTS=-Xmx8g ./kiln ... or java -Xmx8g -jar kiln.jar ...",
                e.getMessage() == null ? "OutOfMemoryError" : e.getMessage(), maxHeapBytes >> 20);
    }

    /** The configured command tree (train gets one sub-command per registered model). */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new KilnCli());
        CommandLine train = cl.getSubcommands().get("train");
        for (KilnModel m : Models.all()) {
            CommandLine sub = new CommandLine(new TrainModelCommand(m));
            sub.getCommandSpec().usageMessage().description(
                    "Train " + m.name() + ": " + m.description() + ".",
                    (m.datasetKind().equals("dataset") ? "Datasets: " : "Environments (--env): ") + String.join(", ", m.datasets()) + " (default " + m.datasets().get(0) + ").");
            train.addSubcommand(m.name(), sub);
        }
        cl.setOut(new CliSupport.StreamBackedWriter(out));
        cl.setErr(new CliSupport.StreamBackedWriter(err));
        cl.setExecutionExceptionHandler(KilnCli::handleFailure);
        cl.setParameterExceptionHandler(KilnCli::handleUsageError);
        return cl;
    }

    /**
     * Bad usage: the message, picocli's "did you mean" suggestions when it has any, and always the
     * usage text (picocli's default handler drops the usage when it finds a suggestion); exit 2.
     */
    private static int handleUsageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        java.io.PrintWriter err = cmd.getErr();
        err.println(ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        cmd.usage(err);
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** Expected failures print one line and exit 1; anything else is a bug and keeps its stack trace. */
    private static int handleFailure(Exception e, CommandLine cl, CommandLine.ParseResult parsed) throws Exception {
        Throwable t = e instanceof UncheckedIOException ? e.getCause() : e;
        if (t instanceof java.nio.file.FileSystemException && t.getMessage() != null
                && t.getMessage().equals(((java.nio.file.FileSystemException) t).getFile())) {
            // Java's message is the bare path here; say what went wrong with it.
            cl.getErr().println("kiln: " + RunDirectory.explain((java.nio.file.FileSystemException) t));
            cl.getErr().flush();
            return 1;
        }
        if (t instanceof IOException || t instanceof DeviceUnavailableException || t instanceof TrainingDivergedException
                || t instanceof RunFailedException) {
            cl.getErr().println("kiln: " + t.getMessage());
            cl.getErr().flush();
            return 1;
        }
        throw e;
    }

    /** A run that failed for a reason already explained to the user. */
    static final class RunFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RunFailedException(String message) {
            super(message);
        }
    }

    /** The version from the jar manifest (set by the build). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Kiln " + kilnVersion()};
        }
    }

    static String kilnVersion() {
        String v = KilnCli.class.getPackage().getImplementationVersion();
        return v != null ? v : "development build";
    }
}
