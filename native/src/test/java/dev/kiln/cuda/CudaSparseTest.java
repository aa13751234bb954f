package dev.kiln.cuda;

import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.backend.Backends;
import dev.kiln.sparse.Csr;
import dev.kiln.sparse.Graphs;
import dev.kiln.sparse.RandomCsr;
import dev.kiln.sparse.Sparse;
import dev.kiln.sparse.SparseTensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sparse family on the CUDA backend (emulated driver, NaN-poisoned allocations) against the
 * CPU backend: both SpMM kernels (row-split and the nonzero-balanced split with its fix-up), scalar
 * and float4 widths, empty rows and power-law degrees, gradients through the cached transpose,
 * segment and scatter sums, and the cuSPARSE switch under the emulator.
 */
class CudaSparseTest {

    static Device cuda;
    static boolean emulator;

    /** The emulated driver normally; the real JavaCppDriver against the fake libcuda in the fake-driver execution. */
    @BeforeAll
    static void open() {
        cuda = Device.cuda();
        emulator = ((CudaBackend) Backends.of(cuda)).driver().name().equals("emulator");
    }

    @AfterEach
    void clearSwitches() {
        System.clearProperty("kiln.sparse.spmm.kernel");
    }

    /** Kind 0: {@link RandomCsr#uniform} (empty rows); kind 1: {@link RandomCsr#zipf} (a few long rows). */
    static Csr random(Generator g, int rows, int cols, int kind, int maxDeg) {
        return kind == 0 ? RandomCsr.uniform(g, rows, cols) : RandomCsr.zipf(g, rows, cols, maxDeg);
    }

    static void assertClose(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(want[i] - got[i]) <= 1e-5f * (1 + Math.abs(want[i])))) {
                throw new AssertionError(what + ": [" + i + "] cpu " + want[i] + " cuda " + got[i]);
            }
        }
    }

    /** Forward and the gradient w.r.t. x on CUDA vs the CPU. */
    static void parity(Csr a, int n, Generator g, String what) {
        Tensor x = Tensor.randn(g, a.cols(), n);
        Tensor w = Tensor.randn(g, a.rows(), n);
        SparseTensor s = SparseTensor.of(a);
        Tensor xc = x.detach().requiresGrad(true);
        Tensor yc = Sparse.mm(s, xc);
        yc.mul(w).sum().backward();
        Tensor xg = x.to(cuda).detach().requiresGrad(true);
        SparseTensor sg = s.to(cuda);
        Tensor yg = Sparse.mm(sg, xg);
        yg.mul(w.to(cuda)).sum().backward();
        assertClose(yc.toFloatArray(), yg.toFloatArray(), what + " forward (" + sg.kernel() + ")");
        assertClose(xc.grad().toFloatArray(), xg.grad().toFloatArray(), what + " gradient (" + sg.transpose().kernel() + ")");
    }

    @Test
    void bothKernelsMatchTheCpuAtRaggedShapes() {
        Generator g = new Generator(21);
        for (String kernel : new String[] {"rowsplit", "split"}) {
            System.setProperty("kiln.sparse.spmm.kernel", kernel);
            for (int kind = 0; kind < 2; kind++) {
                Csr a = random(g, 45, 38, kind, 100);
                for (int n : new int[] {1, 3, 4, 16, 17, 40}) {
                    parity(a, n, g, kernel + " kind " + kind + " n " + n);
                }
            }
        }
    }

    @Test
    void autoChoosesTheSplitKernelForPowerLawDegrees() {
        Generator g = new Generator(22);
        SparseTensor even = SparseTensor.of(random(g, 60, 60, 0, 0)).to(cuda);
        SparseTensor skewed = SparseTensor.of(random(g, 200, 150, 1, 400)).to(cuda);
        assertEquals("rowsplit", even.kernel());
        SparseTensor host = SparseTensor.of(even.csr());
        assertSame(host.to(cuda), host.to(cuda), "one device copy per matrix: its buffers are uploaded once");
        assertSame(host.to(cuda).transpose(), host.to(cuda).transpose(), "the transpose's device copy is made once");
        assertSame(host.to(cuda), host.to(cuda).transpose().transpose());
        assertTrue(skewed.kernel().startsWith("split"), skewed.kernel());
        parity(skewed.csr(), 8, g, "auto skewed");
        // An empty matrix and a matrix of empty rows write zeros over the poisoned output.
        parity(Csr.fromCoo(6, 4, new int[0], new int[0], null), 5, g, "empty");
    }

    @Test
    void gcnPropagationMatchesTheCpu() {
        Generator g = new Generator(23);
        int nodes = 50, e = 120;
        int[] s = new int[e], d = new int[e];
        for (int k = 0; k < e; k++) {
            s[k] = g.nextInt(nodes);
            d[k] = g.nextInt(nodes);
        }
        SparseTensor a = Graphs.gcnNormalize(Graphs.undirected(nodes, s, d));
        parity(a.csr(), 16, g, "normalised adjacency");
    }

    @Test
    void segmentAndScatterSumsMatchTheCpu() {
        Generator g = new Generator(24);
        Tensor src = Tensor.randn(g, 30, 7);
        Tensor off = Tensor.fromIndices(new int[] {0, 4, 4, 4, 19, 30});
        assertClose(Sparse.segmentSum(src, off).toFloatArray(), Sparse.segmentSum(src.to(cuda), off.to(cuda)).toFloatArray(), "segmentSum");
        int[] idx = new int[30];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = g.nextInt(3) == 0 ? 5 : g.nextInt(9);
        }
        Tensor ix = Tensor.fromIndices(idx);
        float[] want = Sparse.scatterSum(src, ix, 9).toFloatArray();
        assertClose(want, Sparse.scatterSum(src.to(cuda), ix.to(cuda), 9).toFloatArray(), "scatterSum");
        assertClose(want, Sparse.scatterSumUnordered(src.to(cuda), ix.to(cuda), 9).toFloatArray(), "scatterSumUnordered");
    }

    @Test
    void cusparseWithoutAGpuIsAClearError() {
        CudaBackend be = (CudaBackend) Backends.of(cuda);
        SparseTensor a = SparseTensor.fromCoo(3, 3, new int[] {0, 2}, new int[] {1, 0}, null).to(cuda);
        for (String key : new String[] {"kiln.cuda.impl.spmm", "kiln.cuda.impl"}) {
            WithOption.run(be, key, "vendor", () -> {
                if (emulator) {
                    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                            () -> Sparse.mm(a, Tensor.ones(cuda, 3, 2)));
                    assertTrue(e.getMessage().contains("cuSPARSE needs a real GPU") && e.getMessage().contains("spmm"), e.getMessage());
                } else {
                    // The real driver over the fake libcuda: no libcusparse.so.12 on this machine.
                    CudaException e = assertThrows(CudaException.class, () -> Sparse.mm(a, Tensor.ones(cuda, 3, 2)));
                    assertTrue(e.getMessage().contains("libcusparse.so.12") && e.getMessage().contains("LD_LIBRARY_PATH"), e.getMessage());
                }
            });
        }
        // Vendor GEMM leaves SpMM on our kernels.
        WithOption.run(be, "kiln.cuda.impl.gemm", "vendor",
                () -> assertEquals(4f, Sparse.mm(a, Tensor.ones(cuda, 3, 2)).sum().item(), 0f)); // two stored ones × width 2
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> be.options().with("kiln.cuda.impl.spmm", "bogus"));
        assertTrue(bad.getMessage().contains("kiln.cuda.impl.spmm"), bad.getMessage());
    }
}
