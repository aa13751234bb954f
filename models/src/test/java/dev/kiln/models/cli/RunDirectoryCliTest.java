package dev.kiln.models.cli;

import dev.kiln.models.train.Checkpoint;
import dev.kiln.models.train.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What {@code kiln train} does with its {@code --out}: never replaces an earlier run silently,
 * names the reason when the place is unusable, cleans what an interrupted run left, refuses a
 * resume that changes the schedule or the seed unless told, and explains running out of memory.
 */
class RunDirectoryCliTest {

    record Run(int code, String out, String err) {
    }

    static Run kiln(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = KilnCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run dnn(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "dnn", "--device", "cpu", "-q", "--out", out.toString()));
        args.addAll(List.of(extra));
        return kiln(args.toArray(String[]::new));
    }

    @Test
    void runningAgainIntoAnEarlierRunIsRefusedUnlessOverwriting(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("run");
        assertEquals(0, dnn(out, "--epochs", "1").code());
        byte[] checkpoint = Files.readAllBytes(out.resolve(Checkpoint.FILE_NAME));
        byte[] history = Files.readAllBytes(out.resolve("history.csv"));

        Run again = dnn(out, "--epochs", "2");
        assertEquals(1, again.code(), again.err());
        assertTrue(again.err().startsWith("kiln: --out " + out + " already holds an earlier run (checkpoint.kiln, curves.png, "
                + "history.csv); pass --resume to continue it, --overwrite to replace it"), again.err());
        assertArrayEquals(checkpoint, Files.readAllBytes(out.resolve(Checkpoint.FILE_NAME)), "the earlier checkpoint is untouched");
        assertArrayEquals(history, Files.readAllBytes(out.resolve("history.csv")));

        Run overwrite = dnn(out, "--epochs", "2", "--overwrite");
        assertEquals(0, overwrite.code(), overwrite.err());
        assertEquals(2, Checkpoint.load(out.resolve(Checkpoint.FILE_NAME)).epoch());

        Run both = dnn(out, "--resume", "--overwrite");
        assertEquals(2, both.code(), both.err());
        assertTrue(both.err().contains("pass one"), both.err());
    }

    @Test
    void aDemoIntoTheRunsOfAnEarlierDemoIsRefusedBeforeItStarts(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("dnn-iris"));
        Run r = kiln("demo", "--device", "cpu", "-q", "--out", dir.toString());
        assertEquals(1, r.code(), r.err());
        assertEquals("kiln: --out " + dir + " already holds the runs of an earlier demo; pass --overwrite to replace them, "
                + "or another --out\n", r.err());
        assertEquals("", r.out(), "nothing ran");
    }

    @Test
    void anOutThatIsAFileOrUnwritableIsExplained(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "x");
        Run r = dnn(file, "--epochs", "1");
        assertEquals(1, r.code(), r.err());
        assertEquals("kiln: --out " + file + " is a file, not a directory; name a directory (it is created if missing)\n", r.err());

        Run under = dnn(file.resolve("run"), "--epochs", "1");
        assertEquals(1, under.code(), under.err());
        assertTrue(under.err().startsWith("kiln: Cannot create the --out directory " + file.resolve("run") + ": "), under.err());
        assertTrue(under.err().endsWith(": Not a directory\n"), "the reason: " + under.err());

        Path locked = Files.createDirectory(dir.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-x------"));
        try {
            assumeTrue(!Files.isWritable(locked), "not running as root (root can write anywhere)");
            Run denied = dnn(locked.resolve("run"), "--epochs", "1");
            assertEquals(1, denied.code(), denied.err());
            assertEquals("kiln: Cannot create the --out directory " + locked.resolve("run") + ": " + locked.resolve("run")
                    + ": permission denied\n", denied.err());
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void temporaryFilesOfAnInterruptedRunAreRemovedByTheNextRun(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("run");
        assertEquals(0, dnn(out, "--epochs", "1").code());
        Path oldStyle = Files.writeString(out.resolve("checkpoint.kiln1234567890.tmp"), "half");
        Path newStyle = Files.writeString(out.resolve("history.csv.0123456789abcdef.tmp"), "half");
        Path mine = Files.writeString(out.resolve("notes.tmp"), "the user's own");
        Run r = kiln("train", "dnn", "--device", "cpu", "--out", out.toString(), "--epochs", "1", "--resume");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("kiln: removed 2 temporary files of an interrupted run from " + out), r.err());
        assertFalse(Files.exists(oldStyle) || Files.exists(newStyle));
        assertTrue(Files.exists(mine), "only the names Kiln's writes use are removed");
    }

    @Test
    void aSecondRunIntoTheSameDirectoryIsRefusedWhileTheFirstHoldsIt(@TempDir Path dir) throws IOException {
        try (RunDirectory held = RunDirectory.open(dir.resolve("run"), false, false, null)) {
            Run r = dnn(held.dir(), "--epochs", "1");
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().contains("Another kiln run is writing to " + held.dir()), r.err());
        }
    }

    @Test
    void resumingWithAnotherScheduleIsRefusedUnlessAllowedAndThenSaid(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("run");
        assertEquals(0, dnn(out, "--epochs", "2", "--lr", "0.01").code());
        byte[] checkpoint = Files.readAllBytes(out.resolve(Checkpoint.FILE_NAME));

        Run more = dnn(out, "--epochs", "4", "--lr", "0.01", "--resume");
        assertEquals(1, more.code(), more.err());
        assertTrue(more.err().contains("this run changes its schedule (--epochs 2 -> 4); pass the checkpoint's values, "
                + "or --allow-schedule-change"), more.err());
        Run lr = dnn(out, "--epochs", "2", "--resume");
        assertEquals(1, lr.code(), lr.err());
        assertTrue(lr.err().contains("(--lr 0.01 -> "), lr.err());
        Run batch = dnn(out, "--epochs", "2", "--lr", "0.01", "--batch-size", "7", "--resume");
        assertEquals(1, batch.code(), batch.err());
        assertTrue(batch.err().contains("(--batch-size 16 -> 7)"), batch.err());
        assertArrayEquals(checkpoint, Files.readAllBytes(out.resolve(Checkpoint.FILE_NAME)), "a refused resume writes nothing");

        Run allowed = kiln("train", "dnn", "--device", "cpu", "--out", out.toString(), "--epochs", "4", "--lr", "0.01", "--resume",
                "--allow-schedule-change");
        assertEquals(0, allowed.code(), allowed.err());
        assertTrue(allowed.err().contains("resuming with a changed schedule: --epochs 2 -> 4"), allowed.err());
        assertEquals(4, Checkpoint.load(out.resolve(Checkpoint.FILE_NAME)).epoch());

        Run same = dnn(out, "--epochs", "4", "--lr", "0.01", "--resume", "--allow-schedule-change");
        assertEquals(0, same.code(), "allowing without a change is fine: " + same.err());
        Run notResuming = dnn(dir.resolve("other"), "--allow-schedule-change");
        assertEquals(2, notResuming.code(), notResuming.err());
    }

    @Test
    void aSeedMismatchNamesTheSeedsTheUserGave(@TempDir Path dir) {
        Path out = dir.resolve("run");
        assertEquals(0, dnn(out, "--epochs", "1", "--seed", "7").code());
        Run r = dnn(out, "--epochs", "2", "--seed", "8", "--resume", "--allow-schedule-change");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("it was trained with --seed 7, this run has --seed 8 (pass --seed 7)"), r.err());
    }

    @Test
    void outOfMemoryIsOneLineWithTheHeapLimitAndHowToRaiseIt() {
        String m = KilnCli.outOfMemory(new OutOfMemoryError("Java heap space"), 64L << 20);
        assertEquals("kiln: out of memory (Java heap space) with a Java heap of at most 64 MiB; give the JVM more, e.g. "
                + "KILN_JAVA_OPTS=-Xmx8g ./kiln ... or java -Xmx8g -jar kiln.jar ...", m);
    }

    /** A real small heap while loading Fashion-MNIST, in a child JVM: the hint, not a stack trace. */
    @Test
    void aSmallHeapWhileLoadingFashionMnistGivesTheHint(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")),
                "Fashion-MNIST installed (apt-get install dataset-fashion-mnist)");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx48m", "-cp", System.getProperty("java.class.path"),
                KilnCli.class.getName(), "train", "dnn", "--dataset", "fashion-mnist", "--device", "cpu", "--epochs", "1",
                "--out", dir.resolve("run").toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM ends");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.exitValue(), output);
        assertTrue(output.contains("kiln: out of memory (Java heap space) with a Java heap of at most "), output);
        assertFalse(output.contains("\tat "), "no stack trace: " + output);
    }
}
