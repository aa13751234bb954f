package dev.kiln.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.kiln.DType;
import dev.kiln.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format (Hugging Face), read and written: an 8-byte little-endian header length
 * {@code N}, {@code N} bytes of UTF-8 JSON mapping each tensor name to
 * {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets into the data that follows, which
 * the tensors cover without gaps or overlap) plus an optional {@code "__metadata__"} of strings,
 * then the row-major little-endian data.
 *
 * <p>Reading gives CPU tensors: {@code F32} as is; {@code F16}, {@code BF16} and {@code F64}
 * converted to FLOAT32 (F64 rounds to nearest); {@code I64} and {@code I32} as index tensors;
 * {@code I16}, {@code I8}, {@code U8} and {@code BOOL} widened to INT32. Writing stores FLOAT32 as
 * {@code F32}, INT32 as {@code I32}, INT64 as {@code I64}, the header padded with spaces to a
 * multiple of 8 bytes, atomically (a temporary file renamed over the target). With
 * {@link PyTorchStateDict} a model's weights move to and from PyTorch:
 *
 * <pre>{@code
 * PyTorchStateDict.load(model, SafeTensors.read(Path.of("model.safetensors")));
 * SafeTensors.write(Path.of("out.safetensors"), PyTorchStateDict.of(model), Map.of("format", "pt"));
 * }</pre>
 */
public final class SafeTensors {

    /** Larger headers are refused (the reference implementation's limit). */
    static final long MAX_HEADER = 100_000_000L;

    /** Jackson's streaming parser and generator (jackson-core alone); a name given twice is an error. */
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** A file's tensors (CPU, in header order) and its {@code __metadata__}. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    private SafeTensors() {
    }

    /** The tensors of a safetensors file, converted as the class describes. */
    public static Map<String, Tensor> read(Path file) throws IOException {
        return readAll(file).tensors();
    }

    /** The tensors and the metadata of a safetensors file. */
    public static Contents readAll(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new IOException(file + ": not a safetensors file (" + size + " bytes, the header length alone is 8)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, file);
            long n = lenBuf.getLong(0);
            if (n < 2 || n > MAX_HEADER || 8 + n > size) {
                throw new IOException(file + ": header length " + n + " does not fit a file of " + size + " bytes");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) n);
            readFully(ch, headerBuf, 8, file);
            long dataStart = 8 + n;
            long dataSize = size - dataStart;
            Map<String, String> meta = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            try (JsonParser p = JSON.createParser(headerBuf.array())) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw new IOException(file + ": the header must be a JSON object");
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    if (p.nextToken() != JsonToken.START_OBJECT) {
                        throw new IOException(file + ": '" + name + "' in the header must be an object");
                    }
                    if (name.equals("__metadata__")) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String key = p.currentName();
                            if (p.nextToken() != JsonToken.VALUE_STRING) {
                                throw new IOException(file + ": __metadata__ value of '" + key + "' is not a string");
                            }
                            meta.put(key, p.getText());
                        }
                        continue;
                    }
                    String dtype = null;
                    long[] shape = null;
                    long[] offsets = null;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        JsonToken t = p.nextToken();
                        switch (field) {
                            case "dtype" -> dtype = t == JsonToken.VALUE_STRING ? p.getText() : null;
                            case "shape" -> shape = longs(p, t);
                            case "data_offsets" -> offsets = longs(p, t);
                            default -> p.skipChildren();
                        }
                    }
                    entries.add(Entry.parse(file, name, dtype, shape, offsets, dataSize));
                }
            } catch (JsonProcessingException e) {
                throw new IOException(file + ": the header is not valid JSON: " + e.getOriginalMessage(), e);
            }
            checkCoverage(file, entries, dataSize);
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Entry e : entries) {
                ByteBuffer raw = ByteBuffer.allocate((int) (e.end - e.begin)).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, raw, dataStart + e.begin, file);
                raw.flip();
                out.put(e.name, e.decode(raw));
            }
            return new Contents(out, meta);
        }
    }

    /**
     * Writes {@code tensors} (any device; copied to the host) and {@code metadata} as a safetensors
     * file, atomically.
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ByteArrayOutputStream jsonOut = new ByteArrayOutputStream();
        long offset = 0;
        List<byte[]> blobs = new ArrayList<>();
        try (JsonGenerator g = JSON.createGenerator(jsonOut)) {
            g.writeStartObject();
            if (metadata != null && !metadata.isEmpty()) {
                g.writeObjectFieldStart("__metadata__");
                for (Map.Entry<String, String> m : metadata.entrySet()) {
                    g.writeStringField(m.getKey(), m.getValue());
                }
                g.writeEndObject();
            }
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    throw new IllegalArgumentException("A tensor cannot be named __metadata__");
                }
                Tensor t = e.getValue();
                byte[] data = encode(t);
                g.writeObjectFieldStart(e.getKey());
                g.writeStringField("dtype", code(t.dtype()));
                g.writeArrayFieldStart("shape");
                for (int d : t.shape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(offset);
                g.writeNumber(offset + data.length);
                g.writeEndArray();
                g.writeEndObject();
                offset += data.length;
                blobs.add(data);
            }
            g.writeEndObject();
        }
        byte[] json = jsonOut.toByteArray();
        int padded = (json.length + 7) / 8 * 8;
        byte[] head = new byte[padded];
        System.arraycopy(json, 0, head, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            head[i] = ' ';
        }
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
                out.write(head);
                for (byte[] b : blobs) {
                    out.write(b);
                }
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A JSON array of integers at the parser's current token, or null when it is something else. */
    private static long[] longs(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return null;
        }
        List<Long> v = new ArrayList<>();
        for (JsonToken x = p.nextToken(); x != JsonToken.END_ARRAY; x = p.nextToken()) {
            if (x != JsonToken.VALUE_NUMBER_INT) {
                p.skipChildren();
                return null;
            }
            v.add(p.getLongValue());
        }
        return v.stream().mapToLong(Long::longValue).toArray();
    }

    private static String code(DType d) {
        return switch (d) {
            case FLOAT32 -> "F32";
            case INT32 -> "I32";
            case INT64 -> "I64";
        };
    }

    private static byte[] encode(Tensor t) {
        long n = t.numel();
        ByteBuffer b = ByteBuffer.allocate((int) (n * t.dtype().bytes())).order(ByteOrder.LITTLE_ENDIAN);
        if (t.dtype() == DType.FLOAT32) {
            for (float v : t.toFloatArray()) {
                b.putFloat(v);
            }
        } else if (t.dtype() == DType.INT32) {
            for (long v : t.toLongArray()) {
                b.putInt((int) v);
            }
        } else {
            for (long v : t.toLongArray()) {
                b.putLong(v);
            }
        }
        return b.array();
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos, Path file) throws IOException {
        while (b.hasRemaining()) {
            int r = ch.read(b, pos + b.position());
            if (r < 0) {
                throw new IOException(file + ": ends early at byte " + (pos + b.position()));
            }
        }
    }

    /** The tensors must tile the data exactly: sorted by offset, each starts where the last ended. */
    private static void checkCoverage(Path file, List<Entry> entries, long dataSize) throws IOException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> Long.compare(a.begin, b.begin));
        long at = 0;
        for (Entry e : sorted) {
            if (e.begin != at) {
                throw new IOException(file + ": tensor '" + e.name + "' starts at data byte " + e.begin + ", expected " + at
                        + (e.begin < at ? " (it overlaps the previous tensor)" : " (a gap before it)"));
            }
            at = e.end;
        }
        if (at != dataSize) {
            throw new IOException(file + ": the tensors cover " + at + " data bytes but the file holds " + dataSize);
        }
    }

    /** One header entry. */
    private record Entry(String name, String dtype, int[] shape, long begin, long end) {

        static Entry parse(Path file, String name, String dtype, long[] sh, long[] off, long dataSize) throws IOException {
            if (dtype == null || sh == null || off == null || off.length != 2) {
                throw new IOException(file + ": tensor '" + name + "' needs a dtype string, a shape and data_offsets [begin, end]");
            }
            int[] shape = new int[sh.length];
            long numel = 1;
            for (int i = 0; i < shape.length; i++) {
                if (sh[i] < 0 || sh[i] > Integer.MAX_VALUE) {
                    throw new IOException(file + ": tensor '" + name + "' has a bad dimension " + sh[i] + " in "
                            + java.util.Arrays.toString(sh));
                }
                shape[i] = (int) sh[i];
                numel *= shape[i];
            }
            long begin = off[0];
            long end = off[1];
            int width = width(file, name, dtype);
            if (begin < 0 || end < begin || end > dataSize) {
                throw new IOException(file + ": tensor '" + name + "' has data_offsets [" + begin + ", " + end + "] outside the "
                        + dataSize + " data bytes");
            }
            if (end - begin != numel * width) {
                throw new IOException(file + ": tensor '" + name + "' of shape " + java.util.Arrays.toString(sh) + " " + dtype
                        + " needs " + numel * width + " bytes, data_offsets [" + begin + ", " + end + "] give " + (end - begin));
            }
            if (numel > Integer.MAX_VALUE - 8) {
                throw new IOException(file + ": tensor '" + name + "' has " + numel + " elements, more than a CPU tensor holds");
            }
            return new Entry(name, dtype, shape, begin, end);
        }

        static int width(Path file, String name, String dtype) throws IOException {
            return switch (dtype) {
                case "F64", "I64" -> 8;
                case "F32", "I32" -> 4;
                case "F16", "BF16", "I16" -> 2;
                case "I8", "U8", "BOOL" -> 1;
                default -> throw new IOException(file + ": tensor '" + name + "' has dtype " + dtype
                        + ", which Kiln does not read (F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
            };
        }

        Tensor decode(ByteBuffer b) {
            int n = (int) ((end - begin) / Math.max(1, widthOf(dtype)));
            switch (dtype) {
                case "F32", "F16", "BF16", "F64" -> {
                    float[] v = new float[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = switch (dtype) {
                            case "F32" -> b.getFloat();
                            case "F16" -> halfToFloat(b.getShort());
                            case "BF16" -> Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16);
                            default -> (float) b.getDouble();
                        };
                    }
                    return Tensor.fromArray(v, shape);
                }
                case "I64" -> {
                    long[] v = new long[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = b.getLong();
                    }
                    return Tensor.fromLongs(v, shape);
                }
                default -> {
                    int[] v = new int[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = switch (dtype) {
                            case "I32" -> b.getInt();
                            case "I16" -> b.getShort();
                            case "I8" -> b.get();
                            default -> b.get() & 0xFF;   // U8, BOOL
                        };
                    }
                    return Tensor.fromIndices(v, shape);
                }
            }
        }

        private static int widthOf(String dtype) {
            return switch (dtype) {
                case "F64", "I64" -> 8;
                case "F32", "I32" -> 4;
                case "F16", "BF16", "I16" -> 2;
                default -> 1;
            };
        }
    }

    /** IEEE 754 binary16 to float, exactly (every half value is a float). */
    static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));      // infinity or NaN
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;                                          // zero or subnormal: exact
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}
