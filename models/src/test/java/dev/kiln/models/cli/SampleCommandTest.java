package dev.kiln.models.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kiln sample}: points from a 2-D DDPM checkpoint (DDIM and the ancestral chain, CSV and
 * scatter PNG) and a GAN's, the same seed giving the same points; bad input (another model's
 * checkpoint, {@code --steps} 0 or above T, {@code --n} ≤ 0, {@code --steps} for a GAN, no
 * checkpoint) fails with a message naming the value.
 */
class SampleCommandTest {

    @TempDir
    static Path dir;
    static Path ddpm, gan;

    @BeforeAll
    static void trainTwoTinyModels() {
        ddpm = dir.resolve("ddpm");
        gan = dir.resolve("gan");
        assertEquals(0, KilnCliTest.kiln("train", "ddpm", "--dataset", "moons", "--quick", "--epochs", "1", "--device", "cpu",
                "--out", ddpm.toString(), "-q").code());
        assertEquals(0, KilnCliTest.kiln("train", "gan", "--dataset", "ring", "--quick", "--epochs", "1", "--device", "cpu",
                "--out", gan.toString(), "-q").code());
    }

    @Test
    void pointsFromBothModels() throws IOException {
        Path csv = dir.resolve("ddim.csv"), again = dir.resolve("again.csv");
        KilnCliTest.Run r = KilnCliTest.kiln("sample", "ddpm", "--checkpoint", ddpm.toString(), "--n", "30", "--steps", "20",
                "--seed", "4", "--out", csv.toString(), "--device", "cpu");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("20 DDIM steps") && r.err().contains("30 points (CSV)"), r.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("x,y", lines.get(0));
        assertEquals(31, lines.size());
        for (String line : lines.subList(1, lines.size())) {
            String[] xy = line.split(",");
            assertTrue(Math.abs(Double.parseDouble(xy[0])) < 5 && Math.abs(Double.parseDouble(xy[1])) < 5, line);
        }
        assertEquals(0, KilnCliTest.kiln("sample", "ddpm", "--checkpoint", ddpm.resolve("checkpoint.kiln").toString(), "--n", "30",
                "--steps", "20", "--seed", "4", "--out", again.toString(), "--device", "cpu").code());
        assertEquals(lines, Files.readAllLines(again), "the same seed gives the same points");

        Path png = dir.resolve("ddpm1000.png");
        r = KilnCliTest.kiln("sample", "ddpm", "--checkpoint", ddpm.toString(), "--n", "8", "--steps", "1000", "--out", png.toString(),
                "--device", "cpu");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("1000 DDPM steps"), r.err());
        byte[] head = Files.readAllBytes(png);
        assertTrue(head.length > 500 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G');

        Path ganCsv = dir.resolve("gan.csv");
        r = KilnCliTest.kiln("sample", "gan", "--checkpoint", gan.toString(), "--n", "12", "--out", ganCsv.toString(), "--device", "cpu");
        assertEquals(0, r.code(), r.err());
        assertEquals(13, Files.readAllLines(ganCsv).size());
    }

    @Test
    void badInputFailsNamingTheValue() {
        Path out = dir.resolve("never.png");
        KilnCliTest.Run r = KilnCliTest.kiln("sample", "ddpm", "--checkpoint", gan.toString(), "--out", out.toString(), "--device", "cpu");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("belongs to model 'gan'") && r.err().contains("not to ddpm"), r.err());
        r = KilnCliTest.kiln("sample", "gan", "--checkpoint", ddpm.toString(), "--out", out.toString(), "--device", "cpu");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("belongs to model 'ddpm'"), r.err());
        assertUsage(KilnCliTest.kiln("sample", "ddpm", "--checkpoint", ddpm.toString(), "--steps", "0", "--out", out.toString()),
                "--steps must be in [1, T = 1000], got 0");
        assertUsage(KilnCliTest.kiln("sample", "ddpm", "--checkpoint", ddpm.toString(), "--steps", "1001", "--out", out.toString()),
                "--steps must be in [1, T = 1000], got 1001");
        assertUsage(KilnCliTest.kiln("sample", "ddpm", "--checkpoint", ddpm.toString(), "--n", "0", "--out", out.toString()),
                "--n must be > 0, got 0");
        assertUsage(KilnCliTest.kiln("sample", "gan", "--checkpoint", gan.toString(), "--n", "-3", "--out", out.toString()),
                "--n must be > 0, got -3");
        assertUsage(KilnCliTest.kiln("sample", "gan", "--checkpoint", gan.toString(), "--steps", "50", "--out", out.toString()),
                "--steps is for ddpm only");
        assertUsage(KilnCliTest.kiln("sample", "dnn", "--checkpoint", gan.toString(), "--out", out.toString()),
                "Unknown model 'dnn' for sample; expected one of: ddpm, gan");
        r = KilnCliTest.kiln("sample", "gan", "--checkpoint", dir.resolve("nothing").toString(), "--out", out.toString(), "--device", "cpu");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("no checkpoint there"), r.err());
        assertFalse(Files.exists(out), "nothing written on bad input");
    }

    private static void assertUsage(KilnCliTest.Run r, String message) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(message), r.err());
    }
}
