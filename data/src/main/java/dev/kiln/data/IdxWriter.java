package dev.kiln.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;

/**
 * Writes unsigned-byte IDX files, the counterpart of {@link IdxReader}: useful for small
 * fixtures and for exporting generated image sets in the MNIST layout.
 *
 * <p>The file is written to a temporary sibling and renamed into place, so a failed write
 * never leaves a half-written file under the target name.
 *
 * <pre>{@code
 * IdxWriter.write(dir.resolve("labels-idx1-ubyte.gz"), new int[] {3}, new byte[] {1, 2, 3}, true);
 * }</pre>
 */
public final class IdxWriter {

    private IdxWriter() {
    }

    /**
     * Writes {@code data} with header {@code 0x000008DD} ({@code DD = dims.length}) and the sizes.
     *
     * @param gzip whether to gzip the file
     * @throws IllegalArgumentException if {@code data.length} is not the product of {@code dims}
     */
    public static void write(Path file, int[] dims, byte[] data, boolean gzip) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(dims, "dims");
        Objects.requireNonNull(data, "data");
        if (dims.length < 1 || dims.length > 255) {
            throw new IllegalArgumentException("IDX needs 1..255 dimensions, got " + dims.length);
        }
        long product = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("dimension sizes must be >= 0, got " + Arrays.toString(dims));
            }
            product *= d;
        }
        if (product != data.length) {
            throw new IllegalArgumentException("data has " + data.length + " bytes, dims "
                    + Arrays.toString(dims) + " need " + product);
        }
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, abs.getFileName().toString(), ".part");
        try {
            try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
                 OutputStream maybeGz = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
                 DataOutputStream out = new DataOutputStream(maybeGz)) {
                out.writeInt((IdxReader.TYPE_UNSIGNED_BYTE << 8) | dims.length);
                for (int d : dims) {
                    out.writeInt(d);
                }
                out.write(data);
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
