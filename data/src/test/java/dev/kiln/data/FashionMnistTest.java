package dev.kiln.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    static final Path DEBIAN = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir
    Path tmp;

    static void assumeDebianFiles() {
        assumeTrue(Files.isRegularFile(DEBIAN.resolve("train-images-idx3-ubyte.gz"))
                        && Files.isRegularFile(DEBIAN.resolve("t10k-labels-idx1-ubyte.gz")),
                "Fashion-MNIST not installed at " + DEBIAN + " (sudo apt-get install dataset-fashion-mnist)");
    }

    @Test
    void loadsTheDebianTrainSplit() throws Exception {
        assumeDebianFiles();
        LabeledData train = FashionMnist.load(DEBIAN, FashionMnist.Split.TRAIN);
        assertEquals(60_000, train.size());
        assertArrayEquals(new int[] {1, 28, 28}, train.featureShape());
        assertEquals(10, train.numClasses());
        assertEquals("Ankle boot", train.classNames().get(9));
        int[] balanced = new int[10];
        java.util.Arrays.fill(balanced, 6000);
        assertArrayEquals(balanced, train.classCounts());
        assertArrayEquals(new int[] {9, 0, 0, 3, 0},
                java.util.Arrays.copyOf(train.labels(), 5));
        float[] first = new float[784];
        train.copyFeatures(0, first, 0);
        double sum = 0;
        for (float v : first) {
            assertTrue(v >= 0f && v <= 1f);
            sum += v;
        }
        assertEquals(76247 / 255.0, sum, 1e-3);
    }

    @Test
    void loadsTheDebianTestSplit() throws Exception {
        assumeDebianFiles();
        LabeledData test = FashionMnist.load(DEBIAN, FashionMnist.Split.TEST);
        assertEquals(10_000, test.size());
        assertArrayEquals(new int[] {1, 28, 28}, test.featureShape());
        assertEquals(FashionMnist.CLASS_NAMES, test.classNames());
        assertArrayEquals(new int[] {9, 2, 1, 1, 6}, java.util.Arrays.copyOf(test.labels(), 5));
        float max = 0;
        for (float v : test.features()) {
            max = Math.max(max, v);
        }
        assertEquals(1f, max);
    }

    /**
     * Debian's files carry the official deflate streams under a rewritten gzip header (no stored
     * name, another timestamp). Putting the official header back must give exactly the SHA-256
     * values Kiln checks downloads against.
     */
    @Test
    void hardCodedChecksumsMatchTheOfficialFilesRebuiltFromDebian() throws Exception {
        assumeDebianFiles();
        String[][] files = {
            {"train-images-idx3-ubyte", "1504176606"},
            {"train-labels-idx1-ubyte", "1504176606"},
            {"t10k-images-idx3-ubyte", "1504176627"},
            {"t10k-labels-idx1-ubyte", "1504176627"},
        };
        for (String[] f : files) {
            byte[] deb = Files.readAllBytes(DEBIAN.resolve(f[0] + ".gz"));
            assumeTrue(deb[3] == 0, "Debian header layout changed for " + f[0]);
            long mtime = Long.parseLong(f[1]);
            ByteArrayOutputStream official = new ByteArrayOutputStream();
            official.write(new byte[] {0x1f, (byte) 0x8b, 8, 8,
                (byte) mtime, (byte) (mtime >> 8), (byte) (mtime >> 16), (byte) (mtime >> 24), 0, 3});
            official.write(f[0].getBytes(StandardCharsets.US_ASCII));
            official.write(0);
            official.write(deb, 10, deb.length - 10);
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] bytes = official.toByteArray();
            String expectedMd5 = switch (f[0]) {
                case "train-images-idx3-ubyte" -> "8d4fb7e6c68d591d4c3dfef9ec88bf0d";
                case "train-labels-idx1-ubyte" -> "25c81989df183df01b3e8a0aad5dffbe";
                case "t10k-images-idx3-ubyte" -> "bef4ecab320f06d8554ea6380940ec79";
                default -> "bb300cfdad3c16e7a12a480ee83cd310";
            };
            assertEquals(expectedMd5, HexFormat.of().formatHex(md5.digest(bytes)), f[0] + " MD5 (published)");
            assertEquals(FashionMnist.SHA256.get(f[0] + ".gz"), HexFormat.of().formatHex(sha.digest(bytes)),
                    f[0] + " SHA-256");
        }
    }

    @Test
    void rejectsMismatchedCounts() throws Exception {
        Path img = tmp.resolve("img.gz");
        Path lab = tmp.resolve("lab.gz");
        IdxWriter.write(img, new int[] {3, 28, 28}, new byte[3 * 784], true);
        IdxWriter.write(lab, new int[] {4}, new byte[] {1, 2, 3, 4}, true);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> FashionMnist.read(img, lab));
        assertTrue(e.getMessage().contains("3 images") && e.getMessage().contains("4 labels")
                && e.getMessage().contains(img.toString()) && e.getMessage().contains(lab.toString()),
                e.getMessage());
    }

    @Test
    void rejectsLabelsOutOfRange() throws Exception {
        Path img = tmp.resolve("img.gz");
        Path lab = tmp.resolve("lab.gz");
        IdxWriter.write(img, new int[] {3, 28, 28}, new byte[3 * 784], true);
        IdxWriter.write(lab, new int[] {3}, new byte[] {1, 10, 3}, true);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> FashionMnist.read(img, lab));
        assertTrue(e.getMessage().startsWith(lab + ": label 10 at index 1"), e.getMessage());
        assertTrue(e.getMessage().contains("0..9"), e.getMessage());
    }

    @Test
    void rejectsWrongImageSize() throws Exception {
        Path img = tmp.resolve("img.gz");
        Path lab = tmp.resolve("lab.gz");
        IdxWriter.write(img, new int[] {2, 27, 28}, new byte[2 * 27 * 28], true);
        IdxWriter.write(lab, new int[] {2}, new byte[] {1, 2}, true);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> FashionMnist.read(img, lab));
        assertTrue(e.getMessage().contains("expected 28x28 images, found 27x28"), e.getMessage());
    }

    @Test
    void scalesPixelsToUnitInterval() throws Exception {
        Path img = tmp.resolve("img");
        Path lab = tmp.resolve("lab");
        byte[] px = new byte[784];
        px[0] = (byte) 255;
        px[1] = (byte) 128;
        IdxWriter.write(img, new int[] {1, 28, 28}, px, false);
        IdxWriter.write(lab, new int[] {1}, new byte[] {9}, false);
        LabeledData d = FashionMnist.read(img, lab);
        assertEquals(1f, d.feature(0, 0));
        assertEquals(128 / 255f, d.feature(0, 1));
        assertEquals(0f, d.feature(0, 2));
        assertEquals(9, d.label(0));
    }
}
