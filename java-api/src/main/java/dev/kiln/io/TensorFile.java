package dev.kiln.io;

import dev.kiln.spi.TensorStorage;
import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.Tensor;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * Kiln's file format for named tensors plus string metadata (state dicts, checkpoints).
 *
 * <p>Layout, big-endian: the 8 magic bytes {@code KILNTF1\n}; an int count of metadata entries,
 * each two modified-UTF-8 strings; an int count of tensors, each a name, a dtype byte, an int
 * rank, the dims, and the elements; finally the CRC-32 of everything before it as a long.
 * Writes go to a temporary file in the same folder that is renamed over the target, so a crash
 * never leaves a half-written file; reads check magic, sizes and the checksum and name the file
 * in every error.
 */
public final class TensorFile {

    private static final byte[] MAGIC = "KILNTF1\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** What a file holds: tensors (on the CPU, in file order) and metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> meta) {
    }

    private TensorFile() {
    }

    /** Writes atomically (temporary file, then rename). */
    public static void save(Path path, Map<String, Tensor> tensors, Map<String, String> meta) throws IOException {
        Path abs = path.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, abs.getFileName().toString(), ".tmp");
        try {
            CRC32 crc = new CRC32();
            try (OutputStream fileOut = Files.newOutputStream(tmp);
                 CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(fileOut, 1 << 16), crc);
                 DataOutputStream out = new DataOutputStream(checked)) {
                out.write(MAGIC);
                out.writeInt(meta.size());
                for (Map.Entry<String, String> e : meta.entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeUTF(e.getValue());
                }
                out.writeInt(tensors.size());
                for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                    writeTensor(out, e.getKey(), e.getValue());
                }
                out.flush();
                new DataOutputStream(fileOut).writeLong(crc.getValue());
                fileOut.flush();
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void writeTensor(DataOutputStream out, String name, Tensor t) throws IOException {
        out.writeUTF(name);
        out.writeByte(t.dtype().ordinal());
        int[] shape = t.shape();
        out.writeInt(shape.length);
        for (int d : shape) {
            out.writeInt(d);
        }
        ByteBuffer bb;
        if (t.dtype() == DType.FLOAT32) {
            float[] v = t.toFloatArray();
            bb = ByteBuffer.allocate(v.length * 4);
            bb.asFloatBuffer().put(v);
        } else {
            long[] v = t.toLongArray();
            bb = ByteBuffer.allocate(v.length * t.dtype().bytes());
            for (long x : v) {
                if (t.dtype() == DType.INT32) {
                    bb.putInt((int) x);
                } else {
                    bb.putLong(x);
                }
            }
        }
        out.write(bb.array());
    }

    /** Reads and validates a file written by {@link #save}. */
    public static Contents load(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException("No such file: " + path);
        }
        byte[] all = Files.readAllBytes(path);
        if (all.length < MAGIC.length + 16 || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
            throw new CorruptFileException(path, "not a Kiln tensor file (bad magic or too short: " + all.length + " bytes)");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = ByteBuffer.wrap(all, all.length - 8, 8).getLong();
        if (stored != crc.getValue()) {
            throw new CorruptFileException(path, "checksum mismatch (file is truncated or damaged)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, MAGIC.length, all.length - 8 - MAGIC.length))) {
            Map<String, String> meta = new LinkedHashMap<>();
            int metaCount = in.readInt();
            for (int k = 0; k < metaCount; k++) {
                meta.put(in.readUTF(), in.readUTF());
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            int count = in.readInt();
            for (int k = 0; k < count; k++) {
                String name = in.readUTF();
                tensors.put(name, readTensor(in, path, name));
            }
            if (in.available() != 0) {
                throw new CorruptFileException(path, in.available() + " unexpected trailing bytes");
            }
            return new Contents(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(meta));
        } catch (EOFException e) {
            throw new CorruptFileException(path, "ends in the middle of an entry");
        }
    }

    private static Tensor readTensor(DataInputStream in, Path path, String name) throws IOException {
        int dt = in.readByte();
        if (dt < 0 || dt >= DType.values().length) {
            throw new CorruptFileException(path, "tensor '" + name + "' has unknown dtype code " + dt);
        }
        DType dtype = DType.values()[dt];
        int rank = in.readInt();
        if (rank < 0 || rank > 16) {
            throw new CorruptFileException(path, "tensor '" + name + "' has implausible rank " + rank);
        }
        int[] shape = new int[rank];
        long n = 1;
        for (int k = 0; k < rank; k++) {
            shape[k] = in.readInt();
            n *= shape[k];
            if (shape[k] < 0 || n * dtype.bytes() > in.available()) {
                throw new CorruptFileException(path, "tensor '" + name + "' shape " + Arrays.toString(Arrays.copyOf(shape, k + 1))
                        + " does not fit in the file");
            }
        }
        Tensor t = Tensor.empty(Device.cpu(), dtype, shape);
        if (dtype == DType.FLOAT32) {
            float[] v = new float[(int) n];
            for (int k = 0; k < n; k++) {
                v[k] = in.readFloat();
            }
            TensorStorage.backend(t).upload(v, TensorStorage.buffer(t));
        } else {
            long[] v = new long[(int) n];
            for (int k = 0; k < n; k++) {
                v[k] = dtype == DType.INT32 ? in.readInt() : in.readLong();
            }
            TensorStorage.backend(t).upload(v, TensorStorage.buffer(t));
        }
        return t;
    }

    /** A tensor file that cannot be read; the message names the file and the defect. */
    public static final class CorruptFileException extends IOException {
        public CorruptFileException(Path path, String what) {
            super("Corrupt Kiln tensor file " + path + ": " + what);
        }
    }
}
