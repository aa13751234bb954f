package dev.kiln.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A raw IDX image: magic, sizes, payload, exactly as given (may be inconsistent on purpose). */
    static byte[] idx(int magic, int[] dims, byte[] payload) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bos);
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(payload);
        out.flush();
        return bos.toByteArray();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(data);
        }
        return bos.toByteArray();
    }

    private Path write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    private static CorruptDataException corrupt(Path file, int dims) {
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> IdxReader.read(file, dims));
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), "message must name the file: " + e.getMessage());
        assertEquals(file, e.path());
        return e;
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
        }
    }

    @Test
    void roundTripGzipAndPlain() throws IOException {
        byte[] pixels = randomBytes(5 * 3 * 4, 1);
        byte[] labels = randomBytes(5, 2);
        for (boolean gz : new boolean[] {true, false}) {
            Path img = dir.resolve("img-idx3-ubyte" + (gz ? ".gz" : ""));
            Path lab = dir.resolve("lab-idx1-ubyte" + (gz ? ".gz" : ""));
            IdxWriter.write(img, new int[] {5, 3, 4}, pixels, gz);
            IdxWriter.write(lab, new int[] {5}, labels, gz);
            assertEquals(gz, Files.readAllBytes(img)[0] == (byte) 0x1f);
            IdxReader.Idx i = IdxReader.readImages(img);
            assertArrayEquals(new int[] {5, 3, 4}, i.dims());
            assertArrayEquals(pixels, i.data());
            assertEquals(5, i.count());
            assertEquals(pixels[7] & 0xFF, i.unsigned(7));
            IdxReader.Idx l = IdxReader.readLabels(lab);
            assertArrayEquals(new int[] {5}, l.dims());
            assertArrayEquals(labels, l.data());
        }
        // written layout is the standard one
        byte[] raw = Files.readAllBytes(dir.resolve("img-idx3-ubyte"));
        assertArrayEquals(idx(0x803, new int[] {5, 3, 4}, pixels), raw);
        try (var files = Files.list(dir)) {
            assertEquals(4, files.count(), "no temporary files left");
        }
    }

    @Test
    void gzipIsRecognizedByContentNotName() throws IOException {
        byte[] payload = randomBytes(6, 3);
        Path p = write("labels.bin", gzip(idx(0x801, new int[] {6}, payload)));
        assertArrayEquals(payload, IdxReader.readLabels(p).data());
    }

    @Test
    void emptyCountIsFine() throws IOException {
        Path p = write("empty-idx3", idx(0x803, new int[] {0, 28, 28}, new byte[0]));
        assertArrayEquals(new int[] {0, 28, 28}, IdxReader.readImages(p).dims());
    }

    @Test
    void truncatedPayload() throws IOException {
        byte[] full = idx(0x803, new int[] {2, 2, 2}, randomBytes(8, 4));
        byte[] cut = Arrays.copyOf(full, full.length - 1);
        CorruptDataException e = corrupt(write("cut-idx3", cut), 3);
        assertMentions(e, "truncated", "2x2x2", "declare 8 bytes", "found only 7");
        e = corrupt(write("cut-idx3.gz", gzip(cut)), 3);
        assertMentions(e, "truncated", "declare 8 bytes", "found only 7", "gzip");
    }

    @Test
    void truncatedHeader() throws IOException {
        CorruptDataException e = corrupt(write("short-idx3", new byte[] {0, 0, 8, 3, 0, 0, 0, 2, 0}), 3);
        assertMentions(e, "truncated IDX header", "3 dimension sizes", "found only 5 bytes");
        e = corrupt(write("tiny", new byte[] {0, 0}), 1);
        assertMentions(e, "4-byte magic", "0x00000801", "found only 2");
        e = corrupt(write("empty", new byte[0]), 1);
        assertMentions(e, "found only 0");
    }

    @Test
    void badMagic() throws IOException {
        CorruptDataException e = corrupt(write("zip-idx3", "PK\u0003\u0004 not idx".getBytes("ISO-8859-1")), 3);
        assertMentions(e, "bad IDX magic", "expected 0x00000803", "unsigned byte, 3 dimensions",
                "found 0x504b0304", "not an IDX file");
        e = corrupt(write("float-idx3", idx(0xD03, new int[] {1, 1, 1}, new byte[4])), 3);
        assertMentions(e, "found 0x00000d03 (float, 3 dimensions)");
    }

    @Test
    void wrongDimensionCount() throws IOException {
        Path labels = write("labels-idx1", idx(0x801, new int[] {4}, randomBytes(4, 5)));
        CorruptDataException e = corrupt(labels, 3);
        assertMentions(e, "expected 0x00000803", "found 0x00000801 (unsigned byte, 1 dimension)");
        Path images = write("images-idx3.gz", gzip(idx(0x803, new int[] {1, 2, 2}, randomBytes(4, 6))));
        e = assertThrows(CorruptDataException.class, () -> IdxReader.readLabels(images));
        assertMentions(e, images.toString(), "expected 0x00000801", "found 0x00000803");
    }

    @Test
    void trailingBytes() throws IOException {
        byte[] ok = idx(0x801, new int[] {4}, randomBytes(4, 7));
        byte[] longer = Arrays.copyOf(ok, ok.length + 3);
        CorruptDataException e = corrupt(write("long-idx1", longer), 1);
        assertMentions(e, "trailing", "declare 4 payload bytes", "found 3 more bytes");
        e = corrupt(write("long-idx1.gz", gzip(longer)), 1);
        assertMentions(e, "trailing", "found 3 more bytes");
        e = corrupt(write("one-more-idx1", Arrays.copyOf(ok, ok.length + 1)), 1);
        assertMentions(e, "found 1 more byte after");
    }

    @Test
    void absurdDimensionsAreRejectedWithoutAllocating() throws IOException {
        CorruptDataException e = corrupt(write("huge-idx3",
                idx(0x803, new int[] {-1, 28, 28}, new byte[10])), 3);
        assertMentions(e, "4294967295");
        e = corrupt(write("big-idx3", idx(0x803, new int[] {100_000, 100_000, 1}, new byte[10])), 3);
        assertMentions(e, "100000x100000x1");
        // a plausible header over a short payload: the error reports what arrived
        e = corrupt(write("lie-idx3", idx(0x803, new int[] {60_000, 28, 28}, new byte[10])), 3);
        assertMentions(e, "declare 47040000 bytes", "found only 10");
    }

    @Test
    void corruptGzip() throws IOException {
        byte[] gz = gzip(idx(0x803, new int[] {10, 28, 28}, randomBytes(7840, 8)));
        // cut the compressed stream in half
        CorruptDataException e = corrupt(write("half-idx3.gz", Arrays.copyOf(gz, gz.length / 2)), 3);
        assertMentions(e, "corrupt or truncated gzip stream");
        // damage the CRC in the gzip trailer
        byte[] badCrc = gz.clone();
        badCrc[badCrc.length - 8] ^= 0x5A;
        e = corrupt(write("crc-idx3.gz", badCrc), 3);
        assertMentions(e, "gzip");
        // damage the deflate data itself
        byte[] flipped = gz.clone();
        for (int i = 20; i < flipped.length - 20; i += 37) {
            flipped[i] ^= (byte) 0xFF;
        }
        corrupt(write("flipped-idx3.gz", flipped), 3);
        // a .gz name over plain content
        e = corrupt(write("plain-idx3.gz", idx(0x803, new int[] {1, 1, 1}, new byte[1])), 3);
        assertMentions(e, "expected the gzip magic bytes 1f 8b, found 00 00");
        e = corrupt(write("magic-only.gz", new byte[] {0x1f, (byte) 0x8b}), 3);
        assertMentions(e, "gzip");
    }

    @Test
    void missingFile() {
        Path p = dir.resolve("nope-idx1.gz");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> IdxReader.readLabels(p));
        assertMentions(e, p.toString());
    }
}
