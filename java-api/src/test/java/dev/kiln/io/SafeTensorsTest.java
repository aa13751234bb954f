package dev.kiln.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.Autograd;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.nn.BatchNorm2d;
import dev.kiln.nn.Conv2d;
import dev.kiln.nn.Embedding;
import dev.kiln.nn.LSTM;
import dev.kiln.nn.LayerNorm;
import dev.kiln.nn.Linear;
import dev.kiln.nn.Module;
import dev.kiln.nn.MultiheadAttention;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * safetensors files built here byte by byte from the published format (8-byte little-endian header
 * length, JSON header, raw little-endian data) with PyTorch's state-dict names load into the
 * matching Kiln layers, whose forward passes are checked against the same arithmetic done here in
 * double precision from the file's numbers; and what Kiln writes is read back here, bit for bit.
 */
class SafeTensorsTest {

    @TempDir
    Path dir;

    private final Random rnd = new Random(17);

    // ---- a spec-level writer and reader, independent of SafeTensors ---------------------------

    /** One tensor for the hand-built file: dtype code, shape, raw little-endian bytes. */
    private record Raw(String dtype, int[] shape, byte[] data) {
    }

    private static Path writeSpec(Path file, Map<String, Raw> tensors) throws IOException {
        StringBuilder json = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (Map.Entry<String, Raw> e : tensors.entrySet()) {
            long begin = data.size();
            data.write(e.getValue().data);
            StringBuilder shape = new StringBuilder();
            for (int d : e.getValue().shape) {
                shape.append(shape.length() == 0 ? "" : ",").append(d);
            }
            json.append(",\"").append(e.getKey()).append("\":{\"dtype\":\"").append(e.getValue().dtype)
                    .append("\",\"shape\":[").append(shape).append("],\"data_offsets\":[").append(begin).append(',')
                    .append(data.size()).append("]}");
        }
        json.append('}');
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream file0 = new ByteArrayOutputStream();
        file0.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
        file0.write(header);
        file0.write(data.toByteArray());
        Files.write(file, file0.toByteArray());
        return file;
    }

    private static byte[] f32(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    /** Half-precision bits of a value that is exactly m·2^-6 with |m| < 1024 (normal or zero). */
    private static short halfBits(float v) {
        if (v == 0) {
            return 0;
        }
        int sign = v < 0 ? 0x8000 : 0;
        float a = Math.abs(v);
        int e = Math.getExponent(a);
        int mant = Math.round((a / (float) Math.pow(2, e) - 1f) * 1024f);
        return (short) (sign | ((e + 15) << 10) | mant);
    }

    private float[] halfExact(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (rnd.nextInt(129) - 64) / 64f;
        }
        return v;
    }

    private static byte[] f16(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putShort(halfBits(x));
        }
        return b.array();
    }

    /** Values with 8 significant bits (exact in bfloat16) and their bfloat16 bytes. */
    private float[] bf16Exact(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = Float.intBitsToFloat(Float.floatToIntBits((float) rnd.nextGaussian()) & 0xFFFF0000);
        }
        return v;
    }

    private static byte[] bf16(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putShort((short) (Float.floatToRawIntBits(x) >>> 16));
        }
        return b.array();
    }

    private float[] gauss(int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextGaussian() * scale);
        }
        return v;
    }

    private static void close(float[] expected, double[] ref, float[] got, double tol, String what) {
        assertEquals(ref.length, got.length, what);
        for (int i = 0; i < ref.length; i++) {
            assertEquals(ref[i], got[i], tol * (1 + Math.abs(ref[i])), what + " element " + i);
        }
    }

    /** A container whose children carry PyTorch's module names. */
    private static final class Net extends Module {
        Net(Generator g) {
            registerModule("fc", new Linear(4, 3, g));
            registerModule("conv", new Conv2d(2, 3, 3, 1, 1, g));
            registerModule("bn", new BatchNorm2d(3));
            registerModule("ln", new LayerNorm(5));
            registerModule("emb", new Embedding(6, 5, g));
            registerModule("lstm", new LSTM(3, 2, 1, g));
            registerModule("attn", new MultiheadAttention(4, 2, g));
        }

        <M extends Module> M get(String name) {
            return module(name);
        }

        @Override
        public Tensor forward(Tensor input) {
            throw new UnsupportedOperationException("a container of layers under test");
        }
    }

    @Test
    void aPyTorchNamedFileLoadsAndEachLayerComputesWhatItsWeightsSay() throws IOException {
        Map<String, Raw> file = new LinkedHashMap<>();
        float[] fcW = gauss(12, 0.5), fcB = gauss(3, 0.5);
        file.put("fc.weight", new Raw("F32", new int[] {3, 4}, f32(fcW)));
        file.put("fc.bias", new Raw("F32", new int[] {3}, f32(fcB)));
        float[] convW = halfExact(3 * 2 * 9), convB = halfExact(3);   // half precision in the file
        file.put("conv.weight", new Raw("F16", new int[] {3, 2, 3, 3}, f16(convW)));
        file.put("conv.bias", new Raw("F16", new int[] {3}, f16(convB)));
        float[] bnW = bf16Exact(3), bnB = bf16Exact(3), bnMean = bf16Exact(3), bnVar = new float[3];
        for (int i = 0; i < 3; i++) {
            bnVar[i] = Float.intBitsToFloat(Float.floatToIntBits(0.5f + rnd.nextFloat()) & 0xFFFF0000);
        }
        file.put("bn.weight", new Raw("BF16", new int[] {3}, bf16(bnW)));
        file.put("bn.bias", new Raw("BF16", new int[] {3}, bf16(bnB)));
        file.put("bn.running_mean", new Raw("BF16", new int[] {3}, bf16(bnMean)));
        file.put("bn.running_var", new Raw("BF16", new int[] {3}, bf16(bnVar)));
        file.put("bn.num_batches_tracked", new Raw("I64", new int[] {},
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(42).array()));
        float[] lnW = gauss(5, 1), lnB = gauss(5, 1);
        file.put("ln.weight", new Raw("F32", new int[] {5}, f32(lnW)));
        file.put("ln.bias", new Raw("F32", new int[] {5}, f32(lnB)));
        float[] emb = gauss(30, 1);
        file.put("emb.weight", new Raw("F32", new int[] {6, 5}, f32(emb)));
        int in = 3, hid = 2;
        float[] wih = gauss(4 * hid * in, 0.5), whh = gauss(4 * hid * hid, 0.5), bih = gauss(4 * hid, 0.5), bhh = gauss(4 * hid, 0.5);
        file.put("lstm.weight_ih_l0", new Raw("F32", new int[] {4 * hid, in}, f32(wih)));
        file.put("lstm.weight_hh_l0", new Raw("F32", new int[] {4 * hid, hid}, f32(whh)));
        file.put("lstm.bias_ih_l0", new Raw("F32", new int[] {4 * hid}, f32(bih)));
        file.put("lstm.bias_hh_l0", new Raw("F32", new int[] {4 * hid}, f32(bhh)));
        int d = 4, heads = 2;
        float[] inW = gauss(3 * d * d, 0.5), inB = gauss(3 * d, 0.5), outW = gauss(d * d, 0.5), outB = gauss(d, 0.5);
        file.put("attn.in_proj_weight", new Raw("F32", new int[] {3 * d, d}, f32(inW)));
        file.put("attn.in_proj_bias", new Raw("F32", new int[] {3 * d}, f32(inB)));
        file.put("attn.out_proj.weight", new Raw("F32", new int[] {d, d}, f32(outW)));
        file.put("attn.out_proj.bias", new Raw("F32", new int[] {d}, f32(outB)));
        Path path = writeSpec(dir.resolve("torch.safetensors"), file);

        Net net = new Net(new Generator(1));
        SafeTensors.Contents read = SafeTensors.readAll(path);
        assertEquals(Map.of("format", "pt"), read.metadata());
        PyTorchStateDict.load(net, read.tensors());
        net.eval();
        BatchNorm2d bn = net.get("bn");
        assertEquals(42, bn.numBatchesTracked());

        try (Autograd.Scope ignored = Autograd.noGrad()) {
            // Linear: y = x Wᵀ + b
            float[] x = gauss(2 * 4, 1);
            double[] ref = new double[2 * 3];
            for (int r = 0; r < 2; r++) {
                for (int o = 0; o < 3; o++) {
                    double s = fcB[o];
                    for (int i = 0; i < 4; i++) {
                        s += (double) x[r * 4 + i] * fcW[o * 4 + i];
                    }
                    ref[r * 3 + o] = s;
                }
            }
            close(null, ref, net.<Linear>get("fc").forward(Tensor.fromArray(x, 2, 4)).toFloatArray(), 1e-5, "linear");

            // Conv2d 3x3, stride 1, padding 1, on a [1, 2, 4, 4] input
            float[] img = gauss(2 * 16, 1);
            double[] conv = new double[3 * 16];
            for (int k = 0; k < 3; k++) {
                for (int y = 0; y < 4; y++) {
                    for (int xx = 0; xx < 4; xx++) {
                        double s = convB[k];
                        for (int c = 0; c < 2; c++) {
                            for (int r = 0; r < 3; r++) {
                                for (int q = 0; q < 3; q++) {
                                    int iy = y + r - 1, ix = xx + q - 1;
                                    if (iy >= 0 && iy < 4 && ix >= 0 && ix < 4) {
                                        s += (double) img[c * 16 + iy * 4 + ix] * convW[((k * 2 + c) * 3 + r) * 3 + q];
                                    }
                                }
                            }
                        }
                        conv[k * 16 + y * 4 + xx] = s;
                    }
                }
            }
            close(null, conv, net.<Conv2d>get("conv").forward(Tensor.fromArray(img, 1, 2, 4, 4)).toFloatArray(), 1e-5, "conv2d");

            // BatchNorm2d in eval mode: (x − mean) / √(var + 1e-5) · w + b with the file's running statistics
            float[] bx = gauss(3 * 4, 1);
            double[] bref = new double[12];
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 4; i++) {
                    bref[c * 4 + i] = (bx[c * 4 + i] - bnMean[c]) / Math.sqrt(bnVar[c] + 1e-5) * bnW[c] + bnB[c];
                }
            }
            close(null, bref, bn.forward(Tensor.fromArray(bx, 1, 3, 2, 2)).toFloatArray(), 1e-5, "batchnorm2d");

            // LayerNorm over the last axis (eps 1e-5)
            float[] lx = gauss(2 * 5, 2);
            double[] lref = new double[10];
            for (int r = 0; r < 2; r++) {
                double mean = 0, var = 0;
                for (int i = 0; i < 5; i++) {
                    mean += lx[r * 5 + i] / 5.0;
                }
                for (int i = 0; i < 5; i++) {
                    var += Math.pow(lx[r * 5 + i] - mean, 2) / 5.0;
                }
                for (int i = 0; i < 5; i++) {
                    lref[r * 5 + i] = (lx[r * 5 + i] - mean) / Math.sqrt(var + 1e-5) * lnW[i] + lnB[i];
                }
            }
            close(null, lref, net.<LayerNorm>get("ln").forward(Tensor.fromArray(lx, 2, 5)).toFloatArray(), 1e-4, "layernorm");

            // Embedding: rows of the table
            int[] ids = {5, 0, 3};
            double[] eref = new double[15];
            for (int j = 0; j < 3; j++) {
                for (int i = 0; i < 5; i++) {
                    eref[j * 5 + i] = emb[ids[j] * 5 + i];
                }
            }
            close(null, eref, net.<Embedding>get("emb").forward(Tensor.fromIndices(ids)).toFloatArray(), 0, "embedding");

            // LSTM, batch-first [B=2, T=3, 3], PyTorch's equations with gate order i, f, g, o
            int bsz = 2, steps = 3;
            float[] sx = gauss(bsz * steps * in, 1);
            double[] sref = new double[bsz * steps * hid];
            for (int b = 0; b < bsz; b++) {
                double[] h = new double[hid], c = new double[hid];
                for (int t = 0; t < steps; t++) {
                    double[] gates = new double[4 * hid];
                    for (int r = 0; r < 4 * hid; r++) {
                        double s = bih[r] + bhh[r];
                        for (int i = 0; i < in; i++) {
                            s += (double) wih[r * in + i] * sx[(b * steps + t) * in + i];
                        }
                        for (int i = 0; i < hid; i++) {
                            s += (double) whh[r * hid + i] * h[i];
                        }
                        gates[r] = s;
                    }
                    for (int j = 0; j < hid; j++) {
                        double ig = sigmoid(gates[j]), fg = sigmoid(gates[hid + j]);
                        double gg = Math.tanh(gates[2 * hid + j]), og = sigmoid(gates[3 * hid + j]);
                        c[j] = fg * c[j] + ig * gg;
                        h[j] = og * Math.tanh(c[j]);
                        sref[(b * steps + t) * hid + j] = h[j];
                    }
                }
            }
            close(null, sref, net.<LSTM>get("lstm").forward(Tensor.fromArray(sx, bsz, steps, in)).toFloatArray(), 1e-5, "lstm");

            // MultiheadAttention, self-attention on [1, L=3, 4], 2 heads of 2, softmax(QKᵀ/√2)V then out_proj
            int len = 3, dh = d / heads;
            float[] ax = gauss(len * d, 1);
            double[][] qkv = new double[3][len * d];
            for (int p = 0; p < 3; p++) {
                for (int t = 0; t < len; t++) {
                    for (int o = 0; o < d; o++) {
                        double s = inB[p * d + o];
                        for (int i = 0; i < d; i++) {
                            s += (double) inW[(p * d + o) * d + i] * ax[t * d + i];
                        }
                        qkv[p][t * d + o] = s;
                    }
                }
            }
            double[] ctx = new double[len * d];
            for (int hh = 0; hh < heads; hh++) {
                for (int t = 0; t < len; t++) {
                    double[] sc = new double[len];
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int u = 0; u < len; u++) {
                        for (int i = 0; i < dh; i++) {
                            sc[u] += qkv[0][t * d + hh * dh + i] * qkv[1][u * d + hh * dh + i];
                        }
                        sc[u] /= Math.sqrt(dh);
                        max = Math.max(max, sc[u]);
                    }
                    for (int u = 0; u < len; u++) {
                        sc[u] = Math.exp(sc[u] - max);
                        sum += sc[u];
                    }
                    for (int u = 0; u < len; u++) {
                        for (int i = 0; i < dh; i++) {
                            ctx[t * d + hh * dh + i] += sc[u] / sum * qkv[2][u * d + hh * dh + i];
                        }
                    }
                }
            }
            double[] aref = new double[len * d];
            for (int t = 0; t < len; t++) {
                for (int o = 0; o < d; o++) {
                    double s = outB[o];
                    for (int i = 0; i < d; i++) {
                        s += (double) outW[o * d + i] * ctx[t * d + i];
                    }
                    aref[t * d + o] = s;
                }
            }
            close(null, aref, net.<MultiheadAttention>get("attn").forward(Tensor.fromArray(ax, 1, len, d)).toFloatArray(), 1e-5,
                    "multihead attention");
        }
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    @Test
    void whatKilnWritesASpecReaderReadsBitForBit() throws IOException {
        Net net = new Net(new Generator(5));
        net.<BatchNorm2d>get("bn").setNumBatchesTracked(7);
        Map<String, Tensor> sd = PyTorchStateDict.of(net);
        Path path = dir.resolve("kiln.safetensors");
        SafeTensors.write(path, sd, Map.of("framework", "kiln"));

        byte[] bytes = Files.readAllBytes(path);
        ByteBuffer all = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = all.getLong(0);
        assertEquals(0, n % 8, "header padded to 8 bytes");
        JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
        assertEquals("kiln", header.get("__metadata__").get("framework").textValue());
        long dataStart = 8 + n;
        List<long[]> spans = new ArrayList<>();
        int seen = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            seen++;
            Tensor expected = sd.get(e.getKey());
            JsonNode info = e.getValue();
            int[] shape = new int[info.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = info.get("shape").get(i).intValue();
            }
            assertArrayEquals(expected.shape(), shape, e.getKey());
            long begin = info.get("data_offsets").get(0).longValue(), end = info.get("data_offsets").get(1).longValue();
            spans.add(new long[] {begin, end});
            ByteBuffer data = ByteBuffer.wrap(bytes, (int) (dataStart + begin), (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
            switch (info.get("dtype").textValue()) {
                case "F32" -> {
                    float[] want = expected.toFloatArray();
                    assertEquals(want.length * 4L, end - begin, e.getKey());
                    for (float w : want) {
                        assertEquals(Float.floatToRawIntBits(w), Float.floatToRawIntBits(data.getFloat()), e.getKey());
                    }
                }
                case "I64" -> {
                    long[] want = expected.toLongArray();
                    for (long w : want) {
                        assertEquals(w, data.getLong(), e.getKey());
                    }
                }
                default -> throw new AssertionError("unexpected dtype " + info.get("dtype") + " for " + e.getKey());
            }
        }
        assertEquals(sd.size(), seen);
        spans.sort((a, b) -> Long.compare(a[0], b[0]));
        long at = 0;
        for (long[] s : spans) {
            assertEquals(at, s[0], "tensors tile the data without gaps");
            at = s[1];
        }
        assertEquals(bytes.length - dataStart, at);
        // names as PyTorch writes them
        assertTrue(sd.containsKey("lstm.weight_ih_l0") && sd.containsKey("attn.in_proj_weight")
                && sd.containsKey("attn.out_proj.bias") && sd.containsKey("bn.num_batches_tracked"), sd.keySet().toString());
        assertEquals(7, sd.get("bn.num_batches_tracked").toLongArray()[0]);

        // and back into a fresh model: the same state dict, bit for bit
        Net copy = new Net(new Generator(99));
        PyTorchStateDict.load(copy, SafeTensors.read(path));
        Map<String, Tensor> a = net.stateDict(), b = copy.stateDict();
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), k);
        }
    }

    @Test
    void halfPrecisionSpecialValuesConvertExactly() {
        assertEquals(1f, SafeTensors.halfToFloat((short) 0x3C00));
        assertEquals(-2f, SafeTensors.halfToFloat((short) 0xC000));
        assertEquals(65504f, SafeTensors.halfToFloat((short) 0x7BFF));
        assertEquals(0x1p-24f, SafeTensors.halfToFloat((short) 0x0001), "smallest subnormal");
        assertEquals(Float.NEGATIVE_INFINITY, SafeTensors.halfToFloat((short) 0xFC00));
        assertTrue(Float.isNaN(SafeTensors.halfToFloat((short) 0x7E00)));
    }

    @Test
    void damagedFilesAreRefusedWithTheReason() throws IOException {
        Path bad = dir.resolve("bad.safetensors");
        Files.write(bad, new byte[] {1, 2, 3});
        assertTrue(assertThrows(IOException.class, () -> SafeTensors.read(bad)).getMessage().contains("not a safetensors file"));

        Map<String, Raw> one = new LinkedHashMap<>();
        one.put("w", new Raw("F32", new int[] {2, 2}, f32(new float[] {1, 2, 3})));   // 12 bytes for 4 floats
        Path shortData = writeSpec(dir.resolve("short.safetensors"), one);
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(shortData));
        assertTrue(e.getMessage().contains("'w'") && e.getMessage().contains("needs 16 bytes"), e.getMessage());

        Map<String, Raw> odd = new LinkedHashMap<>();
        odd.put("c", new Raw("C64", new int[] {1}, new byte[8]));
        Path complex = writeSpec(dir.resolve("complex.safetensors"), odd);
        IOException c = assertThrows(IOException.class, () -> SafeTensors.read(complex));
        assertTrue(c.getMessage().contains("C64"), c.getMessage());

        Net net = new Net(new Generator(2));
        Map<String, Tensor> sd = PyTorchStateDict.of(net);
        sd.remove("fc.bias");
        sd.put("fc.extra", Tensor.zeros(1));
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> PyTorchStateDict.load(net, sd));
        assertTrue(m.getMessage().contains("missing [fc.bias]") && m.getMessage().contains("unexpected [fc.extra]"), m.getMessage());
    }
}
