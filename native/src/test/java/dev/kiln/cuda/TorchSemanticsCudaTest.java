package dev.kiln.cuda;

import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.backend.Backends;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CUDA backend (emulated driver) where its semantics go beyond what the registry parity checks:
 * cross-entropy targets checked on the device and reported at the next synchronisation, the
 * ignore-index mean, and log-softmax / cross-entropy accuracy at large logits.
 */
class TorchSemanticsCudaTest {

    static CudaBackend cuda;
    static Device dev;

    @BeforeAll
    static void open() {
        dev = Device.cuda();
        cuda = (CudaBackend) Backends.of(dev);
        assertEquals("emulator", cuda.driver().name());
    }

    private static Tensor logits(int rows, int cols) {
        return Tensor.randn(new Generator(5), dev, rows, cols);
    }

    /** Runs a cross-entropy on the device and reads the loss back; the read is where a bad target surfaces. */
    private static IllegalArgumentException badTarget(Tensor targets, int cols) {
        Tensor x = logits((int) targets.size(0), cols);
        Tensor loss = x.crossEntropy(targets.to(dev)); // no host round trip: nothing is thrown yet
        return assertThrows(IllegalArgumentException.class, loss::item);
    }

    @Test
    void outOfRangeTargetsAreCaughtOnTheDeviceAndRaisedAtTheNextRead() {
        // a target equal to C (INT64): was the next row's logit, now the CPU's error
        IllegalArgumentException e = badTarget(Tensor.fromLongs(new long[] {0, 1, 2, 4, 3}, 5), 4);
        assertEquals("crossEntropy: target 4 at index 3 of the targets is out of range [0, 4)", e.getMessage());
        // far out of range: no read outside the logits, the same error
        e = badTarget(Tensor.fromLongs(new long[] {100000, 0, 1}, 3), 4);
        assertEquals("crossEntropy: target 100000 at index 0 of the targets is out of range [0, 4)", e.getMessage());
        // a negative INT32 target is an error, not a silently ignored row
        e = badTarget(Tensor.fromIndices(new int[] {1, 1, -1, 0, 2, 3}), 4);
        assertEquals("crossEntropy: target -1 at index 2 of the targets is out of range [0, 4)", e.getMessage());
        // with an ignore index, other negatives are still errors; over [N, C, d] logits the index is the flat target index
        Tensor x3 = Tensor.randn(new Generator(6), dev, 2, 3, 4);
        Tensor l3 = x3.crossEntropy(Tensor.fromIndices(new int[] {0, 1, 2, -100, 1, 1, 7, 0}, 2, 4).to(dev), -100);
        e = assertThrows(IllegalArgumentException.class, l3::item);
        assertEquals("crossEntropy: target 7 at index 6 of the targets is out of range [0, 3)", e.getMessage());
        // an explicit synchronize raises it too
        Tensor x = logits(3, 4);
        x.crossEntropy(Tensor.fromIndices(new int[] {0, 9, 1}).to(dev));
        e = assertThrows(IllegalArgumentException.class, cuda::synchronize);
        assertTrue(e.getMessage().contains("target 9 at index 1"), e.getMessage());
        // the record is cleared: the backend goes on, and agrees with the CPU
        Tensor ok = Tensor.fromIndices(new int[] {3, 0, 1});
        float gpu = x.crossEntropy(ok.to(dev)).item();
        float cpu = x.to(Device.cpu()).crossEntropy(ok).item();
        assertEquals(cpu, gpu, 1e-6f);
        cuda.synchronize();
    }

    /** Cross-entropy targets and lookup indices share the backend's one device error word: each error keeps its own message. */
    @Test
    void aBadTargetThenABadIndexEachRaiseTheirOwnErrorFromTheOneErrorWord() {
        Tensor x = logits(3, 4);
        x.crossEntropy(Tensor.fromIndices(new int[] {0, 5, 1}).to(dev));
        Tensor table = Tensor.randn(new Generator(8), dev, 6, 2);
        IllegalArgumentException target = assertThrows(IllegalArgumentException.class, cuda::synchronize);
        assertEquals("crossEntropy: target 5 at index 1 of the targets is out of range [0, 4)", target.getMessage());
        Tensor rows = table.indexSelect(0, Tensor.fromIndices(new int[] {2, 6}).to(dev));
        IndexOutOfBoundsException index = assertThrows(IndexOutOfBoundsException.class, rows::toFloatArray);
        assertTrue(index.getMessage().startsWith("indexSelect (Tensor.indexSelect, embedding lookups) on ")
                && index.getMessage().contains("index 6 at position 1 is out of range [0, 6)"), index.getMessage());
        // Both in one step: the first recorded is raised, and the word is clear after it.
        x.crossEntropy(Tensor.fromIndices(new int[] {-3, 0, 1}).to(dev));
        table.indexSelect(0, Tensor.fromIndices(new int[] {9}).to(dev));
        RuntimeException first = assertThrows(RuntimeException.class, cuda::synchronize);
        assertTrue(first.getMessage().contains("target -3 at index 0"), first.getMessage());
        cuda.synchronize();
        assertEquals(2, table.indexSelect(0, Tensor.fromIndices(new int[] {5}).to(dev)).toFloatArray().length);
    }

    @Test
    void ignoreIndexMeanDividesByTheCountedTargetsAsOnTheCpu() {
        Tensor x = logits(6, 5);
        Tensor t = Tensor.fromLongs(new long[] {-100, 4, 0, -100, -100, 2}, 6);
        Tensor xc = x.to(Device.cpu()).requiresGrad(true), xg = x.requiresGrad(true);
        Tensor lc = xc.crossEntropy(t, -100), lg = xg.crossEntropy(t.to(dev), -100);
        assertEquals(lc.item(), lg.item(), 1e-6f);
        // the counted rows alone, with the plain mean
        float[] xv = xc.toFloatArray();
        float[] kept = new float[15];
        System.arraycopy(xv, 5, kept, 0, 5);
        System.arraycopy(xv, 10, kept, 5, 5);
        System.arraycopy(xv, 25, kept, 10, 5);
        float ref = Tensor.fromArray(kept, 3, 5).crossEntropy(Tensor.fromIndices(new int[] {4, 0, 2})).item();
        assertEquals(ref, lg.item(), 1e-6f);
        lc.backward();
        lg.backward();
        float[] gc = xc.grad().toFloatArray(), gg = xg.grad().toFloatArray();
        for (int i = 0; i < gc.length; i++) {
            assertEquals(gc[i], gg[i], 1e-6f, "grad " + i);
        }
        for (int c = 0; c < 5; c++) {
            assertEquals(0f, gg[c], "ignored row 0");
            assertEquals(0f, gg[15 + c], "ignored row 3");
        }
    }

    @Test
    void logSoftmaxAndCrossEntropyKeepFloatAccuracyAtLogitsNear800() {
        Generator g = new Generator(22);
        int rows = 7, cols = 45;
        float[] xv = Tensor.rand(g, rows * cols).mul(6f).add(797f).toFloatArray();
        int[] t = new int[rows];
        for (int r = 0; r < rows; r++) {
            t[r] = g.nextInt(cols);
        }
        Tensor x = Tensor.fromArray(xv, rows, cols).to(dev);
        float[] y = x.logSoftmax(-1).toFloatArray();
        float[] yc = Tensor.fromArray(xv, rows, cols).logSoftmax(-1).toFloatArray();
        // the log-softmax in double: x - m - log(sum exp(x - m))
        double[] ref = new double[rows * cols];
        double worst = 0, lossRef = 0, worstCpu = 0;
        for (int r = 0; r < rows; r++) {
            double m = Double.NEGATIVE_INFINITY, s = 0;
            for (int c = 0; c < cols; c++) {
                m = Math.max(m, xv[r * cols + c]);
            }
            for (int c = 0; c < cols; c++) {
                s += Math.exp(xv[r * cols + c] - m);
            }
            for (int c = 0; c < cols; c++) {
                ref[r * cols + c] = xv[r * cols + c] - m - Math.log(s);
                worst = Math.max(worst, Math.abs(y[r * cols + c] - ref[r * cols + c]));
                worstCpu = Math.max(worstCpu, Math.abs(yc[r * cols + c] - ref[r * cols + c]));
            }
            lossRef -= ref[r * cols + t[r]] / rows;
        }
        // m + log(s) rounded to float would be off by up to half an ulp of 800 (3e-5)
        assertTrue(worst < 2e-6, "CUDA log-softmax max abs error " + worst + " (CPU " + worstCpu + ")");
        Tensor xg = x.requiresGrad(true);
        Tensor ce = xg.crossEntropy(Tensor.fromIndices(t).to(dev));
        float loss = ce.item();
        assertTrue(Math.abs(loss - lossRef) < 2e-6, "CUDA cross-entropy error " + Math.abs(loss - lossRef));
        // the kernel's gradient softmax - onehot is max-first too
        ce.backward();
        float[] gx = xg.grad().toFloatArray();
        double worstG = 0;
        for (int i = 0; i < gx.length; i++) {
            double want = Math.exp(ref[i]) - (i % cols == t[i / cols] ? 1 : 0);
            worstG = Math.max(worstG, Math.abs(gx[i] * rows - want));
        }
        assertTrue(worstG < 1e-6, "CUDA cross-entropy gradient max abs error " + worstG);
        System.out.printf("logits near 800: log-softmax max abs error CUDA %.3g, CPU %.3g; mean cross-entropy error CUDA %.3g;"
                + " gradient (per row) max abs error CUDA %.3g%n", worst, worstCpu, Math.abs(loss - lossRef), worstG);
    }
}
