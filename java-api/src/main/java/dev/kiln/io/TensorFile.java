package dev.kiln.io;

import dev.kiln.spi.TensorStorage;
import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.Tensor;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * Kiln's file format for named tensors plus string metadata (state dicts, checkpoints).
 *
 * <p>Layout, big-endian: the 8 magic bytes {@code KILNTF2\n}; an int count of metadata entries,
 * each two strings; an int count of tensors, each a name (a string), a dtype byte, an int rank,
 * the dims, and the elements; finally the CRC-32 of everything before it as a long. A string is
 * an int byte count and that many bytes of UTF-8, so metadata has no size cap. Files of the first
 * layout ({@code KILNTF1\n}, strings as {@link DataOutputStream#writeUTF} with its 64 KiB limit)
 * are still read. Writes go through {@link AtomicWrite}, so a crash never leaves a half-written
 * file; reads check magic, sizes and the checksum and name the file in every error.
 */
public final class TensorFile {

    private static final byte[] MAGIC = "KILNTF2\n".getBytes(StandardCharsets.US_ASCII);
    /** The first layout: strings in modified UTF-8 with a 16-bit length (at most 65,535 bytes); still read. */
    private static final byte[] MAGIC_V1 = "KILNTF1\n".getBytes(StandardCharsets.US_ASCII);

    /** What a file holds: tensors (on the CPU, in file order) and metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> meta) {
    }

    private TensorFile() {
    }

    /**
     * Writes atomically ({@link AtomicWrite}: a temporary file forced to the disk, renamed over
     * {@code path}, the directory forced), in the current layout ({@code KILNTF2}: no limit on the
     * length of names and metadata values).
     */
    public static void save(Path path, Map<String, Tensor> tensors, Map<String, String> meta) throws IOException {
        AtomicWrite.write(path, fileOut -> {
            CRC32 crc = new CRC32();
            CheckedOutputStream checked = new CheckedOutputStream(fileOut, crc);
            DataOutputStream out = new DataOutputStream(checked);
            out.write(MAGIC);
            out.writeInt(meta.size());
            for (Map.Entry<String, String> e : meta.entrySet()) {
                writeString(out, e.getKey());
                writeString(out, e.getValue());
            }
            out.writeInt(tensors.size());
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                writeTensor(out, e.getKey(), e.getValue());
            }
            out.flush();
            new DataOutputStream(fileOut).writeLong(crc.getValue());
        });
    }

    /** A string as its UTF-8 byte count (an int) and the bytes. */
    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static void writeTensor(DataOutputStream out, String name, Tensor t) throws IOException {
        writeString(out, name);
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
        return read(Files.readAllBytes(path), path);
    }

    /**
     * Reads and validates the bytes of a file written by {@link #save}.
     *
     * @param path named in the errors
     * @throws CorruptFileException naming {@code path} and the defect when the bytes are not a valid file
     */
    public static Contents read(byte[] all, Path path) throws IOException {
        byte[] magic = Arrays.copyOf(all, Math.min(all.length, MAGIC.length));
        boolean v1 = Arrays.equals(magic, MAGIC_V1);
        if (all.length < MAGIC.length + 16 || !(v1 || Arrays.equals(magic, MAGIC))) {
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
                String key = readString(in, v1, path, "metadata key " + k);
                meta.put(key, readString(in, v1, path, "metadata value '" + key + "'"));
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            int count = in.readInt();
            for (int k = 0; k < count; k++) {
                String name = readString(in, v1, path, "tensor name " + k);
                tensors.put(name, readTensor(in, path, name));
            }
            if (in.available() != 0) {
                throw new CorruptFileException(path, in.available() + " unexpected trailing bytes");
            }
            return new Contents(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(meta));
        } catch (EOFException e) {
            throw new CorruptFileException(path, "ends in the middle of an entry");
        } catch (UTFDataFormatException e) {
            throw new CorruptFileException(path, "a string is not valid modified UTF-8");
        }
    }

    private static String readString(DataInputStream in, boolean v1, Path path, String what) throws IOException {
        if (v1) {
            return in.readUTF();
        }
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new CorruptFileException(path, what + " claims " + n + " bytes, " + in.available() + " are left");
        }
        byte[] b = in.readNBytes(n);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new CorruptFileException(path, what + " is not valid UTF-8");
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
            // n * bytes <= available < 2^31 before each step, so the product cannot overflow a long.
            n *= Math.max(shape[k], 0);
            if (shape[k] < 0 || n * dtype.bytes() > in.available() || (n == 0 && !fitsInt(shape, k + 1))) {
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

    /** True when the element count of {@code shape[0..len)}, zero dimensions left out, fits an int. */
    private static boolean fitsInt(int[] shape, int len) {
        long n = 1;
        for (int k = 0; k < len; k++) {
            n *= Math.max(shape[k], 1);
            if (n > Integer.MAX_VALUE) {
                return false;
            }
        }
        return true;
    }

    /** A tensor file that cannot be read; the message names the file and the defect. */
    public static final class CorruptFileException extends IOException {
        public CorruptFileException(Path path, String what) {
            super("Corrupt Kiln tensor file " + path + ": " + what);
        }
    }
}
