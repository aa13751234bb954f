package dev.kiln.bench.gpu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code benchmarks/gpu/run.sh} must keep to fit a lent GPU's window, checked without a GPU:
 * the step caps sum to at most 420 s (the device tool's limit, with the slack the budget logic
 * needs), at most 8 files land in {@code $OUT} (the device tool returns no more), crash logs go
 * into the archive, and no slow filesystem search runs. Then the script itself, in smoke mode
 * with a stand-in {@code java} that only prints, must leave exactly results.md and logs.tar.gz
 * and summarise a skipped step once, as skipped.
 */
class RunScriptTest {

    static final int MAX_SECONDS = 420, MAX_FILES = 8;
    static final Path SCRIPT = Path.of("gpu", "run.sh");

    static List<String> code() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(SCRIPT, StandardCharsets.UTF_8)) {
            if (!l.stripLeading().startsWith("#")) {
                lines.add(l);
            }
        }
        return lines;
    }

    /** Each step's cap (the larger one where a step has alternatives, like train's two datasets). */
    static Map<String, Integer> caps(List<String> code) {
        Pattern step = Pattern.compile("^\\s*step\\s+(\\S+)\\s+(\\d+)\\s");
        Map<String, Integer> caps = new LinkedHashMap<>();
        for (String l : code) {
            Matcher m = step.matcher(l);
            if (m.find()) {
                caps.merge(m.group(1), Integer.parseInt(m.group(2)), Math::max);
            }
        }
        return caps;
    }

    @Test
    void stepCapsFitTheWindow() throws IOException {
        Map<String, Integer> caps = caps(code());
        assertTrue(caps.keySet().containsAll(List.of("parity", "bench", "sequence", "conv", "train", "jmh")), caps.toString());
        int sum = caps.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(sum <= MAX_SECONDS, "step caps " + caps + " sum to " + sum + " s > " + MAX_SECONDS + " s");
        assertTrue(code().stream().anyMatch(l -> l.contains("RUN_BUDGET_S:-420")), "the default budget is 420 s");
    }

    @Test
    void atMostEightFilesGoToOut() throws IOException {
        TreeSet<String> outputs = new TreeSet<>();
        Matcher m = Pattern.compile("\\$OUT/([A-Za-z0-9_.*%-]+)").matcher(String.join("\n", code()));
        while (m.find()) {
            outputs.add(m.group(1));
        }
        assertTrue(outputs.size() <= MAX_FILES, "run.sh writes " + outputs.size() + " files to $OUT: " + outputs);
        assertTrue(outputs.containsAll(List.of("results.md", "logs.tar.gz")), outputs.toString());
        String all = String.join("\n", code());
        assertTrue(all.contains("-XX:ErrorFile=$WORK/"), "JVM crash logs go into the archive");
        assertFalse(all.contains("find /opt"), "no search over /opt for data sets");
    }

    /** A stand-in bundle: lib/ and a {@code java} that prints what the steps grep for and exits 0. */
    static Path fakeBundle(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bundle/jre/bin"));
        Files.createDirectories(dir.resolve("bundle/lib"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"stand-in\"'\necho 'PARITY pass=1 fail=0 unsupported=0 skip=0'\n"
                + "echo 'GpuBench: stand-in'\necho 'SequenceBench: stand-in'\necho 'ConvBench: stand-in'\necho 'RESULT stand-in'\n");
        assertTrue(java.toFile().setExecutable(true));
        return dir.resolve("bundle");
    }

    /** Makes the stand-in {@code java} append its arguments to {@code calls}, then run {@code extra} (shell lines). */
    static void recordCalls(Path bundle, Path calls, String extra) throws IOException {
        Path java = bundle.resolve("jre/bin/java");
        Files.writeString(java, Files.readString(java).replace("#!/bin/sh\n", "#!/bin/sh\necho \"$*\" >> '" + calls + "'\n" + extra));
    }

    static String runScript(Path bundle, Path out, String budget) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString(), "--smoke").redirectErrorStream(true);
        pb.environment().put("BUNDLE", bundle.toString());
        pb.environment().put("OUT", out.toString());
        pb.environment().put("RUN_BUDGET_S", budget);
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "run.sh did not finish");
        return log;
    }

    /** The names in {@code out/logs.tar.gz}, as {@code tar -tzf} lists them. */
    static String archiveListing(Path out) throws Exception {
        Process tar = new ProcessBuilder("tar", "-tzf", out.resolve("logs.tar.gz").toString()).start();
        String listing = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        tar.waitFor();
        return listing;
    }

    static List<String> files(Path out) throws IOException {
        try (Stream<Path> s = Files.list(out)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aSmokeRunLeavesResultsAndOneArchive(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        String log = runScript(fakeBundle(dir), out, "420");
        assertEquals(List.of("logs.tar.gz", "results.md"), files(out), log);
        String listing = archiveListing(out);
        for (String f : List.of("env.log", "parity.log", "bench.log", "sequence.log", "conv.log", "train.log", "jmh.log")) {
            assertTrue(listing.contains("./" + f), f + " missing from logs.tar.gz: " + listing);
        }
        String results = Files.readString(out.resolve("results.md"));
        assertTrue(results.contains("| parity | ok |"), results);
        assertTrue(results.contains("PARITY pass=1"), results);
    }

    @Test
    void aSkippedStepIsSummarisedOnceAsSkipped(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        String log = runScript(fakeBundle(dir), out, "20"); // under 15 s left for every step
        String results = Files.readString(out.resolve("results.md"));
        for (String step : List.of("parity", "bench", "sequence", "conv", "jmh")) {
            long rows = results.lines().filter(l -> l.startsWith("| " + step + " |")).count();
            assertEquals(1, rows, step + " rows in\n" + results + "\n" + log);
            assertTrue(results.contains("| " + step + " | skipped |"), results);
        }
        assertFalse(results.contains("| ok |"), results);
        assertEquals(List.of("logs.tar.gz", "results.md"), files(out), log);
    }

    /**
     * The word2vec step: with the tokenised KJV in the bundle, a smoke run trains one epoch on its
     * first 2,000 lines through {@code GpuTrain word2vec text 1} and records the row; without it the
     * step is skipped and the log says why. The sparse step (SpMM vs cuSPARSE) leaves its log in the
     * archive either way.
     */
    @Test
    void word2vecStepTrainsOnASliceOfTheBundledCorpus(@TempDir Path dir) throws Exception {
        Path bundle = fakeBundle(dir);
        Path calls = dir.resolve("calls.txt");
        recordCalls(bundle, calls, "for a; do last=\"$a\"; done\n"
                + "case \"$*\" in *'GpuTrain word2vec'*) echo \"lines $(wc -l < \"$last\")\" >> '" + calls + "' ;; esac\n");
        String without = runScript(bundle, dir.resolve("out0"), "420");
        assertTrue(without.contains("word2vec: no word2vec-corpus.txt in the bundle"), without);
        assertFalse(Files.readString(calls).contains("GpuTrain word2vec"), Files.readString(calls));

        StringBuilder corpus = new StringBuilder();
        for (int i = 0; i < 2500; i++) {
            corpus.append("in the beginning god created the heaven and the earth ").append(i).append('\n');
        }
        Files.writeString(bundle.resolve("word2vec-corpus.txt"), corpus.toString());
        Files.writeString(calls, "");
        Path out = dir.resolve("out");
        String log = runScript(bundle, out, "420");
        List<String> lines = Files.readAllLines(calls);
        int at = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches(".*dev\\.kiln\\.bench\\.gpu\\.GpuTrain word2vec text 1 \\S+w2v-smoke\\.txt$")) {
                at = i;
            }
        }
        assertTrue(at >= 0, "no GpuTrain word2vec call on the smoke slice: " + lines + "\n" + log);
        assertEquals("lines 2000", lines.get(at + 1).strip(), "the smoke slice is the corpus's first 2,000 lines");
        String results = Files.readString(out.resolve("results.md"));
        assertTrue(results.contains("| train word2vec kjv, 1 epoch | ok |"), results);
        String listing = archiveListing(out);
        for (String f : List.of("word2vec.log", "sparse.log")) {
            assertTrue(listing.contains("./" + f), f + " missing from logs.tar.gz: " + listing);
        }
    }

    /**
     * {@code --first-contact}: parity first, then every benchmark family with one case (GpuBench one
     * GEMM shape, the others a 1 s budget so only their first case starts), training and JMH not run
     * and said so once each; still only results.md and the archive come back.
     */
    @Test
    void firstContactRunsParityThenOneCasePerFamily(@TempDir Path dir) throws Exception {
        Path bundle = fakeBundle(dir);
        Path calls = dir.resolve("calls.txt");
        recordCalls(bundle, calls, "echo 'GPU parity on cuda: stand-in card, driver CUDA 13.0, kernels SASS sm_90a, cuDNN 9.19.0'\n");
        Path out = dir.resolve("out");
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString(), "--smoke", "--first-contact").redirectErrorStream(true);
        pb.environment().put("BUNDLE", bundle.toString());
        pb.environment().put("OUT", out.toString());
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "run.sh did not finish");
        assertEquals(0, p.exitValue(), log);
        List<String> mains = new ArrayList<>();
        for (String call : Files.readAllLines(calls)) {
            Matcher m = Pattern.compile("(dev\\.kiln\\.bench\\.gpu\\.\\w+|org\\.openjdk\\.jmh\\.Main)(.*)").matcher(call);
            if (m.find()) {
                mains.add(m.group(1).replaceAll(".*\\.", "") + m.group(2));
            }
        }
        assertEquals(6, mains.size(), mains + "\n" + log);
        assertTrue(mains.get(0).startsWith("GpuParity"), "parity runs first: " + mains);
        assertTrue(mains.get(1).startsWith("GpuBench") && mains.get(1).endsWith("--smoke --shapes 128"), mains.get(1));
        for (int k = 2; k <= 4; k++) {
            assertTrue(mains.get(k).endsWith("--smoke --budget-s 1"), mains.get(k));
        }
        assertTrue(mains.get(5).startsWith("DiffusionBench"), mains.toString());
        String results = Files.readString(out.resolve("results.md"));
        assertTrue(results.contains("| mode | first contact"), results);
        assertTrue(results.contains("| loaded (as the JVM sees it) | cuda: stand-in card, driver CUDA 13.0, kernels SASS sm_90a,"
                + " cuDNN 9.19.0 |"), results);
        for (String step : List.of("jmh", "train dnn iris (no Fashion-MNIST)")) {
            assertEquals(1, results.lines().filter(l -> l.startsWith("| " + step + " | not run |")).count(), results);
        }
        assertTrue(results.contains("| parity | ok |") && results.contains("| diffusion | ok |"), results);
        assertEquals(List.of("logs.tar.gz", "results.md"), files(out), log);
    }
}
