package dev.kiln.models.gcn;

import dev.kiln.Device;
import dev.kiln.data.CorruptDataException;
import dev.kiln.models.RunRequest;
import dev.kiln.models.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kiln train gcn --dataset cora} end to end on a generated graph in Cora's file format (the
 * real files are not on the build machines): 1,750 papers in 7 classes, binary word vectors whose
 * words depend on the class, citations mostly within a class. The loader, the preparation, the
 * Planetoid split and training are the ones a real Cora run takes.
 */
class CoraGraphTest {

    @TempDir
    Path tmp;

    static final int PAPERS = 1750, CLASSES = 7, WORDS = 140;

    /** Writes the fixture into {@code dir} and returns the papers' classes. */
    static int[] writeFixture(Path dir, long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        int[] label = new int[PAPERS];
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < PAPERS; i++) {
            label[i] = r.nextInt(CLASSES);
            content.append(100000 + 7 * i);
            for (int w = 0; w < WORDS; w++) {
                // a class's own 20 words appear with probability 0.2, the others with 0.03
                double p = w / 20 == label[i] ? 0.2 : 0.03;
                content.append('\t').append(r.nextDouble() < p ? 1 : 0);
            }
            content.append('\t').append("Topic_").append((char) ('A' + label[i])).append('\n');
        }
        StringBuilder cites = new StringBuilder();
        for (int i = 0; i < PAPERS; i++) {
            for (int k = 0; k < 2; k++) {
                int j;
                do {
                    j = r.nextInt(PAPERS);
                } while (j == i || (r.nextDouble() < 0.85 && label[j] != label[i]));
                cites.append(100000 + 7 * j).append('\t').append(100000 + 7 * i).append('\n');
            }
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("cora.content"), content);
        Files.writeString(dir.resolve("cora.cites"), cites);
        return label;
    }

    @Test
    void trainsOnCoraFilesWithThePlanetoidSplit() throws Exception {
        int[] label = writeFixture(tmp.resolve("cora"), 5);
        GraphData d = CoraGraph.load(tmp, 11);
        assertEquals(PAPERS, d.nodes());
        assertEquals(CLASSES, d.classes());
        assertEquals(140, d.train().length);
        assertEquals(1000, d.test().length);
        for (int i = 0; i < PAPERS; i++) {
            assertEquals(label[i], d.labels()[i], "classes sort as their names do: Topic_A … Topic_G");
        }
        float[] x = d.features().toFloatArray();
        for (int i = 0; i < 50; i++) {
            double sum = 0;
            for (int w = 0; w < WORDS; w++) {
                sum += x[i * WORDS + w];
            }
            assertTrue(sum == 0 || Math.abs(sum - 1) < 1e-5, "row " + i + " sums to " + sum);
        }

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RunRequest req = new RunRequest("cora", Device.cpu(), null, null, null, 1, null, tmp, false, false,
                new PrintStream(log, true, StandardCharsets.UTF_8));
        RunResult r = new GcnModel().train(req);
        String out = log.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("Cora: 1750 papers, 3500 citations, 140 word features, 7 classes; 140 labelled, 500 validation, "
                + "1000 test papers"), out);
        assertTrue(r.resultLine().startsWith("RESULT model=gcn dataset=cora device=cpu metric=test_accuracy"), r.resultLine());
        // chance is 1/7; the words alone and the homophilous citations together make this easy
        assertTrue(r.value() >= 0.75, "test accuracy " + r.value());
    }

    @Test
    void aBadCitationStopsTheRunNamingTheLine() throws Exception {
        writeFixture(tmp.resolve("cora"), 6);
        Files.writeString(tmp.resolve("cora").resolve("cora.cites"), "100000\t100007\n100000\t31\n");
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> new GcnModel().train(new RunRequest("cora", Device.cpu(), 1, null, null, 1, null, tmp, false, false, null)));
        assertTrue(e.getMessage().contains("cora.cites: line 2: paper '31' (citing) is not in cora.content"), e.getMessage());
    }
}
