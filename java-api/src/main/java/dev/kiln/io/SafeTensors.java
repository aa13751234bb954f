package dev.kiln.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.DType;
import dev.kiln.Tensor;

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
import java.util.Iterator;
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

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

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
            JsonNode header;
            try {
                header = JSON.readTree(new String(headerBuf.array(), StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw new IOException(file + ": the header is not valid JSON: " + e.getOriginalMessage(), e);
            }
            if (header == null || !header.isObject()) {
                throw new IOException(file + ": the header must be a JSON object");
            }
            long dataStart = 8 + n;
            long dataSize = size - dataStart;
            Map<String, String> meta = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().equals("__metadata__")) {
                    if (!f.getValue().isObject()) {
                        throw new IOException(file + ": __metadata__ must be an object of strings");
                    }
                    for (Iterator<Map.Entry<String, JsonNode>> m = f.getValue().fields(); m.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = m.next();
                        if (!e.getValue().isTextual()) {
                            throw new IOException(file + ": __metadata__ value of '" + e.getKey() + "' is not a string");
                        }
                        meta.put(e.getKey(), e.getValue().textValue());
                    }
                    continue;
                }
                entries.add(Entry.parse(file, f.getKey(), f.getValue(), dataSize));
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
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode m = header.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long offset = 0;
        List<byte[]> blobs = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                throw new IllegalArgumentException("A tensor cannot be named __metadata__");
            }
            Tensor t = e.getValue();
            byte[] data = encode(t);
            ObjectNode info = header.putObject(e.getKey());
            info.put("dtype", code(t.dtype()));
            ArrayNode shape = info.putArray("shape");
            for (int d : t.shape()) {
                shape.add(d);
            }
            info.putArray("data_offsets").add(offset).add(offset + data.length);
            offset += data.length;
            blobs.add(data);
        }
        byte[] json = JSON.writeValueAsBytes(header);
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

        static Entry parse(Path file, String name, JsonNode v, long dataSize) throws IOException {
            JsonNode dt = v.get("dtype");
            JsonNode sh = v.get("shape");
            JsonNode off = v.get("data_offsets");
            if (dt == null || !dt.isTextual() || sh == null || !sh.isArray() || off == null || !off.isArray() || off.size() != 2) {
                throw new IOException(file + ": tensor '" + name + "' needs dtype, shape and data_offsets [begin, end], got " + v);
            }
            int[] shape = new int[sh.size()];
            long numel = 1;
            for (int i = 0; i < shape.length; i++) {
                if (!sh.get(i).canConvertToInt() || sh.get(i).intValue() < 0) {
                    throw new IOException(file + ": tensor '" + name + "' has a bad dimension " + sh.get(i) + " in " + sh);
                }
                shape[i] = sh.get(i).intValue();
                numel *= shape[i];
            }
            long begin = off.get(0).asLong(-1);
            long end = off.get(1).asLong(-1);
            int width = width(file, name, dt.textValue());
            if (begin < 0 || end < begin || end > dataSize) {
                throw new IOException(file + ": tensor '" + name + "' has data_offsets " + off + " outside the " + dataSize
                        + " data bytes");
            }
            if (end - begin != numel * width) {
                throw new IOException(file + ": tensor '" + name + "' of shape " + sh + " " + dt.textValue() + " needs "
                        + numel * width + " bytes, data_offsets " + off + " give " + (end - begin));
            }
            if (numel > Integer.MAX_VALUE - 8) {
                throw new IOException(file + ": tensor '" + name + "' has " + numel + " elements, more than a CPU tensor holds");
            }
            return new Entry(name, dt.textValue(), shape, begin, end);
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
