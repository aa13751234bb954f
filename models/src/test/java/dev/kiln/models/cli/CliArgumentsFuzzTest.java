package dev.kiln.models.cli;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the parsing of {@code kiln} command lines: any arguments after a real command parse or
 * are a usage error ({@link CommandLine.ParameterException}), never another exception. The
 * committed corpus ({@code CliArgumentsFuzzTestInputs}) replays in every test run.
 */
class CliArgumentsFuzzTest {

    private static final String[][] COMMANDS = {
        {"train", "dnn"}, {"train", "lstm"}, {"train", "gcn"}, {"train", "dqn"}, {"generate"}, {"generate", "lstm"},
        {"demo"}, {"info"}, {"play"}, {"train"}, {},
    };
    private static final String[] FLAGS = {
        "--dataset", "--env", "--device", "--epochs", "--batch-size", "--lr", "--seed", "--out", "--data", "--resume",
        "--overwrite", "--allow-schedule-change", "--quick", "-q", "--checkpoint", "--prompt", "--length", "--temperature",
        "--top-k", "--help", "--version",
    };

    @FuzzTest(maxDuration = "10s")
    void argumentsParseOrAreAUsageError(FuzzedDataProvider data) {
        List<String> args = new ArrayList<>(List.of(COMMANDS[data.consumeInt(0, COMMANDS.length - 1)]));
        int n = data.consumeInt(0, 8);
        for (int i = 0; i < n; i++) {
            args.add(data.consumeBoolean() ? FLAGS[data.consumeInt(0, FLAGS.length - 1)] : data.consumeString(40));
        }
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        CommandLine cl = KilnCli.commandLine(sink, sink);
        try {
            cl.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException expected) {
            // a usage error: message and usage text, exit 2
        }
    }
}
