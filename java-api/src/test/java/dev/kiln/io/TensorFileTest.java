package dev.kiln.io;

import dev.kiln.DType;
import dev.kiln.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static dev.kiln.Checks.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TensorFile format byte for byte, its edge cases, every corruption it detects, and atomic replacement. */
class TensorFileTest {

    @TempDir
    Path dir;

    /** The bytes of a file of the first layout ({@code KILNTF1}), built by hand. */
    private static byte[] file(Body body) throws IOException {
        return fileWithMagic("KILNTF1\n", body);
    }

    /** The bytes of a file with {@code magic}, {@code body} and the CRC-32 of both. */
    private static byte[] fileWithMagic(String magic, Body body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(magic.getBytes(StandardCharsets.US_ASCII));
        body.write(out);
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        return bytes.toByteArray();
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private Path write(byte[] b) throws IOException {
        Path p = dir.resolve("t.kiln");
        Files.write(p, b);
        return p;
    }

    private static Map<String, Tensor> map(Object... kv) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int k = 0; k < kv.length; k += 2) {
            m.put((String) kv[k], (Tensor) kv[k + 1]);
        }
        return m;
    }

    /** The bytes of a file of the current layout ({@code KILNTF2}), built by hand. */
    private static byte[] fileV2(Body body) throws IOException {
        return fileWithMagic("KILNTF2\n", body);
    }

    /** A string of the current layout: its UTF-8 byte count and the bytes. */
    private static void str(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    @Test
    void theLayoutIsExactlyTheDocumentedOne() throws IOException {
        Path p = dir.resolve("a.kiln");
        TensorFile.save(p, map("w", Tensor.fromArray(new float[] {1.5f, -2f}, 2, 1), "i", Tensor.fromIndices(new int[] {7}, 1),
                "l", Tensor.fromLongs(new long[] {-3L, 1L << 40}, 2)), Map.of("k", "vé"));
        byte[] want = fileV2(out -> {
            out.writeInt(1);
            str(out, "k");
            str(out, "vé");
            out.writeInt(3);
            str(out, "w");
            out.writeByte(0);
            out.writeInt(2);
            out.writeInt(2);
            out.writeInt(1);
            out.writeFloat(1.5f);
            out.writeFloat(-2f);
            str(out, "i");
            out.writeByte(1);
            out.writeInt(1);
            out.writeInt(1);
            out.writeInt(7);
            str(out, "l");
            out.writeByte(2);
            out.writeInt(1);
            out.writeInt(2);
            out.writeLong(-3L);
            out.writeLong(1L << 40);
        });
        assertArrayEquals(want, Files.readAllBytes(p));
    }

    @Test
    void filesOfTheFirstLayoutAreStillRead() throws IOException {
        Path p = write(file(out -> {
            out.writeInt(1);
            out.writeUTF("k");
            out.writeUTF("v");
            out.writeInt(1);
            out.writeUTF("i");
            out.writeByte(1);
            out.writeInt(1);
            out.writeInt(1);
            out.writeInt(7);
        }));
        TensorFile.Contents c = TensorFile.load(p);
        assertEquals(Map.of("k", "v"), c.meta());
        assertArrayEquals(new long[] {7}, c.tensors().get("i").toLongArray());
    }

    @Test
    void metadataBeyondSixtyFourKibRoundTrips() throws IOException {
        // The first layout stored strings with writeUTF, which refuses more than 65,535 bytes.
        String big = "epoch,loss\n" + "1,0.123456789\n".repeat(20_000);
        assertTrue(big.length() > 200_000);
        Path p = dir.resolve("big.kiln");
        TensorFile.save(p, map("a", Tensor.ones(2)), Map.of("history", big, "k".repeat(70_000), "v"));
        TensorFile.Contents c = TensorFile.load(p);
        assertEquals(big, c.meta().get("history"));
        assertEquals("v", c.meta().get("k".repeat(70_000)));
    }

    @Test
    void badStringsOfTheCurrentLayoutAreNamed() throws IOException {
        corrupt(fileV2(out -> {
            out.writeInt(1);
            out.writeInt(1_000_000);
            out.write(new byte[8]);
        }), "metadata key 0 claims 1000000 bytes");
        corrupt(fileV2(out -> {
            out.writeInt(1);
            str(out, "k");
            out.writeInt(2);
            out.write(new byte[] {(byte) 0xC3, (byte) 0x28});
            out.writeInt(0);
        }), "metadata value 'k' is not valid UTF-8");
        corrupt(fileV2(out -> {
            out.writeInt(0);
            out.writeInt(1);
            out.writeInt(-5);
        }), "tensor name 0 claims -5 bytes");
    }

    @Test
    void aZeroDimensionBesideHugeOnesIsRefused() throws IOException {
        corrupt(fileV2(out -> {
            out.writeInt(0);
            out.writeInt(1);
            str(out, "t");
            out.writeByte(0);
            out.writeInt(3);
            out.writeInt(0);
            out.writeInt(1 << 20);
            out.writeInt(1 << 20);
        }), "tensor 't' shape [0, 1048576, 1048576] does not fit in the file");
    }

    @Test
    void roundTripKeepsValuesDtypesShapesOrderAndMetadata() throws IOException {
        Path p = dir.resolve("sub/dir/state.kiln"); // missing folders are created
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("model", "dnn");
        meta.put("note", "ünïcode ✓");
        meta.put("empty", "");
        TensorFile.save(p, map("z", Tensor.fromArray(new float[] {Float.NaN, Float.NEGATIVE_INFINITY, -0f, 3.25f}, 2, 2),
                "scalar", Tensor.scalar(4.5f),
                "empty", Tensor.zeros(0, 3),
                "ids", Tensor.fromIndices(new int[] {-1, Integer.MAX_VALUE, 0}, 3, 1),
                "longs", Tensor.fromLongs(new long[] {Long.MIN_VALUE, 9}, 1, 2)), meta);
        TensorFile.Contents c = TensorFile.load(p);
        assertEquals(List.of("z", "scalar", "empty", "ids", "longs"), List.copyOf(c.tensors().keySet()));
        assertEquals(List.of("model", "note", "empty"), List.copyOf(c.meta().keySet()));
        assertEquals("ünïcode ✓", c.meta().get("note"));
        assertEquals("", c.meta().get("empty"));
        Tensor z = c.tensors().get("z");
        assertArrayEquals(new int[] {2, 2}, z.shape());
        float[] zv = z.toFloatArray();
        assertTrue(Float.isNaN(zv[0]));
        assertEquals(Float.NEGATIVE_INFINITY, zv[1]);
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(zv[2]));
        assertEquals(3.25f, zv[3]);
        assertEquals(0, c.tensors().get("scalar").rank());
        assertEquals(4.5f, c.tensors().get("scalar").item());
        assertArrayEquals(new int[] {0, 3}, c.tensors().get("empty").shape());
        assertEquals(DType.INT32, c.tensors().get("ids").dtype());
        assertArrayEquals(new int[] {3, 1}, c.tensors().get("ids").shape());
        assertArrayEquals(new long[] {-1, Integer.MAX_VALUE, 0}, c.tensors().get("ids").toLongArray());
        assertEquals(DType.INT64, c.tensors().get("longs").dtype());
        assertArrayEquals(new long[] {Long.MIN_VALUE, 9}, c.tensors().get("longs").toLongArray());
        assertThrows(UnsupportedOperationException.class, () -> c.tensors().put("x", Tensor.zeros(1)));
        assertThrows(UnsupportedOperationException.class, () -> c.meta().put("x", "y"));
    }

    @Test
    void anEmptyFileHoldsNothing() throws IOException {
        Path p = dir.resolve("e.kiln");
        TensorFile.save(p, Map.of(), Map.of());
        assertEquals(8 + 4 + 4 + 8, Files.size(p));
        TensorFile.Contents c = TensorFile.load(p);
        assertTrue(c.tensors().isEmpty());
        assertTrue(c.meta().isEmpty());
    }

    @Test
    void saveReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws IOException {
        Path p = dir.resolve("ckpt.kiln");
        TensorFile.save(p, map("a", Tensor.ones(3)), Map.of("epoch", "1"));
        TensorFile.save(p, map("a", Tensor.full(2f, 2)), Map.of("epoch", "2"));
        TensorFile.Contents c = TensorFile.load(p);
        assertEquals("2", c.meta().get("epoch"));
        assertClose(new float[] {2, 2}, c.tensors().get("a").toFloatArray(), "a");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(p), s.toList());
        }
    }

    @Test
    void aFailedSaveLeavesTheOldFileIntact() throws IOException {
        Path p = dir.resolve("ckpt.kiln");
        TensorFile.save(p, map("a", Tensor.ones(3)), Map.of("epoch", "1"));
        byte[] before = Files.readAllBytes(p);
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("epoch", "2");
        bad.put("broken", null); // fails in the middle of writing
        assertThrows(NullPointerException.class, () -> TensorFile.save(p, map("a", Tensor.zeros(3)), bad));
        assertArrayEquals(before, Files.readAllBytes(p));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(p), s.toList(), "no temporary file left behind");
        }
    }

    // ---- corruption --------------------------------------------------------------------------------

    private void corrupt(byte[] b, String message) throws IOException {
        Path p = write(b);
        IOException e = assertThrows(IOException.class, () -> TensorFile.load(p));
        assertTrue(e instanceof TensorFile.CorruptFileException, e.toString());
        assertTrue(e.getMessage().contains(p.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(message), "expected '" + message + "' in: " + e.getMessage());
    }

    @Test
    void missingFileIsAPlainIoError() {
        Path p = dir.resolve("nope.kiln");
        IOException e = assertThrows(IOException.class, () -> TensorFile.load(p));
        assertTrue(e.getMessage().contains("No such file"), e.getMessage());
        assertThrows(IOException.class, () -> TensorFile.load(dir));
    }

    @Test
    void badMagicOrTooShort() throws IOException {
        corrupt(new byte[0], "bad magic or too short: 0 bytes");
        byte[] good = file(out -> {
            out.writeInt(0);
            out.writeInt(0);
        });
        assertEquals(24, good.length);
        corrupt(java.util.Arrays.copyOf(good, 23), "too short: 23 bytes");
        byte[] magic = good.clone();
        magic[6] = '9';
        corrupt(magic, "bad magic");
        write(good);
        assertTrue(TensorFile.load(dir.resolve("t.kiln")).tensors().isEmpty(), "the smallest valid file loads");
    }

    @Test
    void everyFlippedByteIsCaughtByTheChecksum() throws IOException {
        Path p = dir.resolve("x.kiln");
        TensorFile.save(p, map("w", Tensor.fromArray(new float[] {1, 2, 3}, 3)), Map.of("a", "b"));
        byte[] good = Files.readAllBytes(p);
        for (int k = 8; k < good.length; k++) {
            byte[] b = good.clone();
            b[k] ^= 0x10;
            corrupt(b, "checksum mismatch");
        }
        corrupt(java.util.Arrays.copyOf(good, good.length - 1), "checksum mismatch");
    }

    @Test
    void wellSummedButMalformedContentsAreNamed() throws IOException {
        corrupt(file(out -> {
            out.writeInt(0);
            out.writeInt(1);
            out.writeUTF("t");
            out.writeByte(3);
        }), "tensor 't' has unknown dtype code 3");
        corrupt(file(out -> {
            out.writeInt(0);
            out.writeInt(1);
            out.writeUTF("t");
            out.writeByte(-1);
        }), "unknown dtype code -1");
        corrupt(file(out -> {
            out.writeInt(0);
            out.writeInt(1);
            out.writeUTF("t");
            out.writeByte(0);
            out.writeInt(17);
        }), "implausible rank 17");
        corrupt(file(out -> {
            out.writeInt(0);
            out.writeInt(1);
            out.writeUTF("t");
            out.writeByte(0);
            out.writeInt(-1);
        }), "implausible rank -1");
        corrupt(file(out -> {
            out.writeInt(0);
            out.writeInt(1);
            out.writeUTF("t");
            out.writeByte(0);
            out.writeInt(2);
            out.writeInt(1);
            out.writeInt(-3);
        }), "shape [1, -3] does not fit");
        corrupt(file(out -> {
            out.writeInt(0);
            out.writeInt(1);
            out.writeUTF("t");
            out.writeByte(2);
            out.writeInt(1);
            out.writeInt(2);
            out.writeLong(1); // one INT64 of the two
            out.writeInt(0);
        }), "shape [2] does not fit");
        corrupt(file(out -> {
            out.writeInt(0);
            out.writeInt(1);
            out.writeUTF("t");
            out.writeByte(0);
            out.writeInt(1);
            out.writeInt(1);
            out.writeFloat(1);
            out.writeByte(9);
        }), "1 unexpected trailing bytes");
        corrupt(file(out -> {
            out.writeInt(2); // two metadata entries promised, one given
            out.writeUTF("a");
            out.writeUTF("b");
        }), "ends in the middle of an entry");
        corrupt(file(out -> {
            out.writeInt(0);
            out.writeInt(2); // two tensors promised, none given
        }), "ends in the middle of an entry");
    }

    @Test
    void rankSixteenAndExactFitAreAccepted() throws IOException {
        Path p = write(file(out -> {
            out.writeInt(0);
            out.writeInt(1);
            out.writeUTF("t");
            out.writeByte(1);
            out.writeInt(16);
            for (int k = 0; k < 16; k++) {
                out.writeInt(1);
            }
            out.writeInt(42);
        }));
        Tensor t = TensorFile.load(p).tensors().get("t");
        assertEquals(16, t.rank());
        assertArrayEquals(new long[] {42}, t.toLongArray());
    }
}
