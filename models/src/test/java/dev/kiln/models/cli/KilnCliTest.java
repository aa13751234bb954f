package dev.kiln.models.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KilnCliTest {

    static final Pattern RESULT = Pattern.compile(
            "RESULT model=[a-z0-9-]+ dataset=[a-z0-9-]+ device=(cpu|cuda) metric=[a-z_]+ value=\\d+\\.\\d+ seconds=\\d+\\.\\d+");

    /** Exit code, stdout and stderr of one in-process run. */
    record Run(int code, String out, String err) {
    }

    static Run kiln(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = KilnCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertUsageError(Run r, String expectedInMessage) {
        assertEquals(2, r.code(), "exit code; stderr: " + r.err());
        assertTrue(r.err().contains(expectedInMessage), r.err());
        assertTrue(r.err().contains("Usage:"), "no usage text in: " + r.err());
        assertFalse(r.out().contains("RESULT"), r.out());
    }

    @Test
    void badFlagIsAUsageError() {
        assertUsageError(kiln("train", "dnn", "--dataset", "iris", "--bogus"), "--bogus");
    }

    @Test
    void unknownModelIsAUsageError() {
        assertUsageError(kiln("train", "transformer9000", "--dataset", "iris"), "transformer9000");
    }

    @Test
    void unknownDatasetIsAUsageError() {
        assertUsageError(kiln("train", "dnn", "--dataset", "cifar-10"), "cifar-10");
    }

    @Test
    void badValuesAreUsageErrors() {
        assertUsageError(kiln("train", "dnn", "--epochs", "0"), "--epochs");
        assertUsageError(kiln("train", "dnn", "--epochs", "many"), "many");
        assertUsageError(kiln("train", "dnn", "--device", "tpu"), "tpu");
        assertUsageError(kiln("train", "dnn", "--lr", "-1"), "--lr");
        assertUsageError(kiln("train"), "model");
        assertUsageError(kiln("frobnicate"), "frobnicate");
    }

    @Test
    void helpWorksEverywhere() {
        for (String[] args : new String[][] {{"--help"}, {"train", "--help"}, {"train", "dnn", "--help"},
                {"demo", "--help"}, {"info", "--help"}}) {
            Run r = kiln(args);
            assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.out().contains("Usage:"), r.out());
        }
        assertTrue(kiln("train", "dnn", "--help").out().contains("fashion-mnist"));
        assertTrue(kiln("--version").out().startsWith("Kiln "));
    }

    @Test
    void trainEndsWithExactlyOneResultLine(@TempDir Path dir) throws Exception {
        Run r = kiln("train", "dnn", "--dataset", "iris", "--device", "cpu", "--epochs", "3", "--seed", "2",
                "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(1, lines.length, r.out());
        assertTrue(RESULT.matcher(lines[0]).matches(), lines[0]);
        assertTrue(lines[0].startsWith("RESULT model=dnn dataset=iris device=cpu metric=test_accuracy value="), lines[0]);
        assertTrue(r.err().contains("epoch 3/3"), r.err());
        assertTrue(Files.isRegularFile(dir.resolve("checkpoint.kiln")));
        assertTrue(Files.isRegularFile(dir.resolve("curves.png")));

        Run resumed = kiln("train", "dnn", "--dataset", "iris", "--device", "cpu", "--epochs", "4", "--seed", "2",
                "--out", dir.toString(), "--resume", "--allow-schedule-change", "--quiet");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(RESULT.matcher(resumed.out().strip()).matches(), resumed.out());
        assertFalse(resumed.err().contains("epoch 4/4"), "--quiet still logged epochs: " + resumed.err());
    }

    @Test
    void missingDataIsExitOneWithTheLoadersMessageAndNoStackTrace(@TempDir Path empty) {
        Run r = kiln("train", "dnn", "--dataset", "fashion-mnist", "--device", "cpu", "--data", empty.toString(),
                "--out", empty.resolve("out").toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().startsWith("kiln: "), r.err());
        assertTrue(r.err().contains(empty.toString()), "the message should name where it looked: " + r.err());
        assertFalse(r.err().contains("\tat "), "stack trace printed: " + r.err());
        assertFalse(r.out().contains("RESULT"), r.out());
    }

    @Test
    void corruptCheckpointIsExitOneWithTheFileNamed(@TempDir Path dir) throws Exception {
        assertEquals(0, kiln("train", "dnn", "--device", "cpu", "--epochs", "1", "--out", dir.toString(), "-q").code());
        Path ckpt = dir.resolve("checkpoint.kiln");
        byte[] b = Files.readAllBytes(ckpt);
        b[b.length - 20] ^= 1;
        Files.write(ckpt, b);
        Run r = kiln("train", "dnn", "--device", "cpu", "--epochs", "2", "--out", dir.toString(), "--resume", "-q");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains(ckpt.toString()) && r.err().contains("checksum"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void divergenceIsExitOneNamingEpochAndStep(@TempDir Path dir) {
        Run r = kiln("train", "dnn", "--device", "cpu", "--lr", "1e30", "--out", dir.toString(), "-q");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().matches("(?s)kiln: Training diverged: the loss is \\S+ at epoch 1, step \\d+ .*"), r.err());
        assertFalse(r.out().contains("RESULT"), r.out());
    }

    @Test
    void demoRunsIrisAndPrintsATable(@TempDir Path noData) {
        Run r = kiln("demo", "--device", "cpu", "--data", noData.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertTrue(RESULT.matcher(lines[0]).matches(), lines[0]);
        assertTrue(lines[0].contains("model=dnn dataset=iris"), lines[0]);
        assertTrue(r.out().contains("Kiln demo summary"), r.out());
        assertTrue(r.out().matches("(?s).*\\ndnn\\s+iris\\s+cpu\\s+test_accuracy\\s+\\d\\.\\d{4}\\s+\\d+\\.\\d\\n?.*"), r.out());
        assertFalse(r.out().matches("(?s).*\\n\\S+\\s+(fashion-mnist|kjv)\\s+cpu.*"), "no data, no run: " + r.out());
        String skipped = r.out().substring(r.out().indexOf("Skipped"));
        for (String m : new String[] {"dnn", "cnn", "cnn-bn", "resnet"}) {
            assertTrue(skipped.contains("\n  " + m + " on fashion-mnist: the Fashion-MNIST files are not on this machine (looked in "
                    + noData.resolve("fashion-mnist")), skipped);
        }
        assertEquals(4, skipped.split("get it: sudo apt-get install dataset-fashion-mnist\n", -1).length - 1, skipped);
        for (String m : new String[] {"lstm", "transformer"}) {
            assertTrue(skipped.contains("\n  " + m + " on kjv: no kjv.txt in " + noData
                    + "; get it: sudo apt-get install bible-kjv bible-kjv-text (then run without --data)\n"), skipped);
        }
        assertFalse(skipped.contains("seq2seq") || skipped.contains("iris"), skipped);
    }

    @Test
    void quietSilencesTheCpuFallbackNote(@TempDir Path dir) {
        Run loud = kiln("train", "dnn", "--device", "auto", "--epochs", "1", "--out", dir.resolve("a").toString());
        assertEquals(0, loud.code(), loud.err());
        boolean cpu = loud.out().contains(" device=cpu ");
        assertEquals(cpu, loud.err().contains("kiln: Using the CPU: "), loud.err());
        assertEquals(cpu, loud.err().contains("kiln: CPU kernels: " + dev.kiln.backend.cpu.CpuSimd.description()), loud.err());
        Run quiet = kiln("train", "dnn", "--device", "auto", "--epochs", "1", "--out", dir.resolve("b").toString(), "-q");
        assertEquals(0, quiet.code(), quiet.err());
        assertEquals("", quiet.err(), "-q leaves stderr empty");
    }

    @Test
    void infoExitsZeroAndReportsCuda() {
        Run r = kiln("info");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Java") && r.out().contains("CPU cores"), r.out());
        assertTrue(r.out().matches("(?s).*CUDA\\s+(available|unavailable: .+).*"), r.out());
    }
}
