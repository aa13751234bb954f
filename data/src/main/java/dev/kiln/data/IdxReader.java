package dev.kiln.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files of unsigned bytes, the format of MNIST and Fashion-MNIST, plain or gzip'd
 * (recognized by the gzip magic bytes, not by the file name).
 *
 * <p>An IDX file is a big-endian header — magic {@code 0x0000TTDD} with element type
 * {@code TT} ({@code 0x08} = unsigned byte, the only type read here) and dimension count
 * {@code DD}, then {@code DD} 32-bit sizes — followed by exactly the product of the sizes in
 * payload bytes. Images are {@code 0x00000803} (count, rows, cols); labels {@code 0x00000801}
 * (count).
 *
 * <p>Every problem is an {@link IOException}: {@link NoSuchFileException} for a missing file,
 * {@link CorruptDataException} for a wrong magic, wrong dimension count, truncated or too long
 * payload, or damaged gzip stream, each message naming the file, what was expected and what
 * was found. Nothing partial is ever returned.
 *
 * <pre>{@code
 * IdxReader.Idx images = IdxReader.readImages(Path.of("train-images-idx3-ubyte.gz"));
 * int n = images.dims()[0], rows = images.dims()[1], cols = images.dims()[2];
 * int firstPixel = images.unsigned(0);
 * }</pre>
 */
public final class IdxReader {

    /** IDX magic of a 3-dimensional unsigned-byte file (images). */
    public static final int MAGIC_IMAGES = 0x00000803;
    /** IDX magic of a 1-dimensional unsigned-byte file (labels). */
    public static final int MAGIC_LABELS = 0x00000801;

    static final int TYPE_UNSIGNED_BYTE = 0x08;
    private static final int MAX_PAYLOAD = Integer.MAX_VALUE - 8;
    private static final int INITIAL_CHUNK = 1 << 24;

    /**
     * The content of one IDX file.
     *
     * @param path the file it was read from
     * @param dims the sizes from the header, outermost first
     * @param data the payload, row-major, bytes to be read as unsigned ({@link #unsigned(int)})
     */
    public record Idx(Path path, int[] dims, byte[] data) {
        public Idx {
            Objects.requireNonNull(dims, "dims");
            Objects.requireNonNull(data, "data");
        }

        /** The payload byte at flat index {@code i} as a value in [0, 255]. */
        public int unsigned(int i) {
            return data[i] & 0xFF;
        }

        /** {@code dims()[0]}: number of items (images or labels). */
        public int count() {
            return dims[0];
        }

        @Override
        public String toString() {
            return "Idx[" + path + ", dims=" + Arrays.toString(dims) + "]";
        }
    }

    private IdxReader() {
    }

    /** Reads a {@code 0x00000803} file: {@code dims = {count, rows, cols}}. */
    public static Idx readImages(Path file) throws IOException {
        return read(file, 3);
    }

    /** Reads a {@code 0x00000801} file: {@code dims = {count}}. */
    public static Idx readLabels(Path file) throws IOException {
        return read(file, 1);
    }

    /**
     * Reads an unsigned-byte IDX file that must have {@code expectedDims} dimensions.
     *
     * @throws NoSuchFileException   if the file does not exist
     * @throws CorruptDataException  if its content is not such a file (message names the path)
     */
    public static Idx read(Path file, int expectedDims) throws IOException {
        Objects.requireNonNull(file, "file");
        if (expectedDims < 1 || expectedDims > 255) {
            throw new IllegalArgumentException("expectedDims must be in [1, 255], got " + expectedDims);
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "IDX file does not exist");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            boolean gzip = b0 == 0x1f && b1 == 0x8b;
            if (!gzip && file.getFileName() != null && file.getFileName().toString().endsWith(".gz")) {
                throw new CorruptDataException(file, "corrupt gzip file: expected the gzip magic bytes 1f 8b, found "
                        + hexBytes(b0, b1));
            }
            if (!gzip) {
                return parse(file, raw, expectedDims, "");
            }
            try (InputStream in = new GZIPInputStream(raw, 1 << 16)) {
                return parse(file, in, expectedDims, " (after gzip decompression)");
            } catch (ZipException | EOFException e) {
                throw new CorruptDataException(file, "corrupt or truncated gzip stream: " + e.getMessage(), e);
            }
        }
    }

    private static Idx parse(Path file, InputStream in, int expectedDims, String where) throws IOException {
        int expectedMagic = (TYPE_UNSIGNED_BYTE << 8) | expectedDims;
        byte[] head = in.readNBytes(4);
        if (head.length < 4) {
            throw new CorruptDataException(file, "truncated IDX header: expected a 4-byte magic number "
                    + hex(expectedMagic) + ", found only " + head.length + " bytes" + where);
        }
        int magic = ((head[0] & 0xFF) << 24) | ((head[1] & 0xFF) << 16) | ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
        if (magic != expectedMagic) {
            throw new CorruptDataException(file, "bad IDX magic number: expected " + hex(expectedMagic) + " ("
                    + describe(expectedMagic) + "), found " + hex(magic) + " (" + describe(magic) + ")" + where);
        }
        byte[] dimBytes = in.readNBytes(4 * expectedDims);
        if (dimBytes.length < 4 * expectedDims) {
            throw new CorruptDataException(file, "truncated IDX header: expected " + expectedDims
                    + " dimension sizes (" + 4 * expectedDims + " bytes) after the magic number, found only "
                    + dimBytes.length + " bytes" + where);
        }
        int[] dims = new int[expectedDims];
        long payload = 1;
        for (int d = 0; d < expectedDims; d++) {
            long size = ((dimBytes[4 * d] & 0xFFL) << 24) | ((dimBytes[4 * d + 1] & 0xFFL) << 16)
                    | ((dimBytes[4 * d + 2] & 0xFFL) << 8) | (dimBytes[4 * d + 3] & 0xFFL);
            if (size > MAX_PAYLOAD) {
                throw new CorruptDataException(file, "IDX dimension " + d + " is " + size
                        + ", more than Kiln can hold in one array (" + MAX_PAYLOAD + ")" + where);
            }
            dims[d] = (int) size;
            payload *= size;
            if (payload > MAX_PAYLOAD) {
                throw new CorruptDataException(file, "IDX dimensions " + dimsText(dimBytes, expectedDims)
                        + " declare more than " + MAX_PAYLOAD + " payload bytes" + where);
            }
        }
        byte[] data = readUpTo(in, (int) payload);
        if (data.length < payload) {
            throw new CorruptDataException(file, "truncated IDX payload: dimensions " + dimsText(dims)
                    + " declare " + payload + " bytes, found only " + data.length + where);
        }
        long trailing = countRemaining(in);
        if (trailing > 0) {
            throw new CorruptDataException(file, "unexpected trailing data: dimensions " + dimsText(dims)
                    + " declare " + payload + " payload bytes, found " + trailing + " more byte"
                    + (trailing == 1 ? "" : "s") + " after them" + where);
        }
        return new Idx(file, dims, data);
    }

    /** Reads up to {@code n} bytes, allocating only as much as actually arrives. */
    private static byte[] readUpTo(InputStream in, int n) throws IOException {
        byte[] buf = new byte[Math.min(n, INITIAL_CHUNK)];
        int filled = 0;
        while (filled < n) {
            if (filled == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(n, 2L * buf.length));
            }
            int r = in.read(buf, filled, buf.length - filled);
            if (r < 0) {
                break;
            }
            filled += r;
        }
        return filled == buf.length ? buf : Arrays.copyOf(buf, filled);
    }

    private static long countRemaining(InputStream in) throws IOException {
        byte[] skip = new byte[8192];
        long total = 0;
        for (int r; (r = in.read(skip)) >= 0; ) {
            total += r;
        }
        return total;
    }

    private static String describe(int magic) {
        if ((magic >>> 16) != 0) {
            return "not an IDX file: the first two bytes must be zero";
        }
        int type = (magic >>> 8) & 0xFF;
        int dims = magic & 0xFF;
        String typeName;
        switch (type) {
            case 0x08: typeName = "unsigned byte"; break;
            case 0x09: typeName = "signed byte"; break;
            case 0x0B: typeName = "short"; break;
            case 0x0C: typeName = "int"; break;
            case 0x0D: typeName = "float"; break;
            case 0x0E: typeName = "double"; break;
            default: typeName = "unknown element type " + String.format("0x%02x", type);
        }
        return typeName + ", " + dims + (dims == 1 ? " dimension" : " dimensions");
    }

    private static String hex(int v) {
        return String.format("0x%08x", v);
    }

    private static String hexBytes(int b0, int b1) {
        if (b0 < 0) {
            return "an empty file";
        }
        return b1 < 0 ? String.format("%02x (1-byte file)", b0) : String.format("%02x %02x", b0, b1);
    }

    private static String dimsText(int[] dims) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : "x").append(dims[i] & 0xFFFFFFFFL);
        }
        return sb.toString();
    }

    private static String dimsText(byte[] dimBytes, int n) {
        int[] dims = new int[n];
        for (int d = 0; d < n; d++) {
            dims[d] = ((dimBytes[4 * d] & 0xFF) << 24) | ((dimBytes[4 * d + 1] & 0xFF) << 16)
                    | ((dimBytes[4 * d + 2] & 0xFF) << 8) | (dimBytes[4 * d + 3] & 0xFF);
        }
        return dimsText(dims);
    }
}
