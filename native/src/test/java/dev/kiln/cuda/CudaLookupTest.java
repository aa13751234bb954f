package dev.kiln.cuda;

import dev.kiln.spi.TensorStorage;

import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.SequenceOps;
import dev.kiln.Tensor;
import dev.kiln.backend.Backends;
import dev.kiln.nn.Embedding;
import dev.kiln.optim.SGD;
import dev.kiln.optim.SparseAdam;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lookups on the CUDA backend (emulated driver): indexSelect and embedding gather on the device
 * without reading their indices back, a bad index is raised at the next synchronisation naming
 * it and the op (the CPU raises it at once), and row-sparse embedding gradients with SGD and
 * SparseAdam give the CPU's parameters.
 */
class CudaLookupTest {

    static Device cuda;
    static CudaBackend be;

    @BeforeAll
    static void open() {
        cuda = Device.cuda();
        be = (CudaBackend) Backends.of(cuda);
    }

    @Test
    void lookupsReadNothingBackAndMatchTheCpu() {
        Generator g = new Generator(1);
        Tensor w = Tensor.randn(g, 50, 8);
        int[] ids = {3, 49, 0, 3, 17, 17};
        Tensor wc = w.to(cuda), idc = Tensor.fromIndices(ids).to(cuda), ids2 = Tensor.fromIndices(ids, 2, 3).to(cuda);
        be.synchronize();
        long reads = be.hostReads();
        Tensor a = wc.indexSelect(0, idc);
        Tensor b = SequenceOps.embedding(wc, ids2);
        Tensor c = wc.indexSelect(1, Tensor.fromIndices(new int[] {7, 0, 7}).to(cuda));
        assertEquals(reads, be.hostReads(), "no host read for device-resident indices");
        assertArrayEquals(w.indexSelect(0, Tensor.fromIndices(ids)).toFloatArray(), a.toFloatArray());
        assertArrayEquals(SequenceOps.embedding(w, Tensor.fromIndices(ids, 2, 3)).toFloatArray(), b.toFloatArray());
        assertArrayEquals(w.indexSelect(1, Tensor.fromIndices(new int[] {7, 0, 7})).toFloatArray(), c.toFloatArray());
    }

    @Test
    void aBadIndexIsRaisedAtTheNextSynchronisationNamingIt() {
        Tensor w = Tensor.randn(new Generator(2), 50, 8).to(cuda);
        Tensor out = w.indexSelect(0, Tensor.fromIndices(new int[] {1, 2, 57, 4}).to(cuda)); // no error yet: nothing waited
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, out::toFloatArray);
        assertTrue(e.getMessage().contains("indexSelect") && e.getMessage().contains("index 57 at position 2 is out of range [0, 50)"),
                e.getMessage());
        // the error word is cleared: the backend keeps working
        float[] ok = w.indexSelect(0, Tensor.fromIndices(new int[] {4, 1}).to(cuda)).toFloatArray();
        assertEquals(16, ok.length);
        // synchronize() raises it as well; an embedding lookup is checked the same way, with INT64 ids
        w.indexSelect(0, Tensor.fromLongs(new long[] {-3}).to(cuda));
        IndexOutOfBoundsException s = assertThrows(IndexOutOfBoundsException.class, be::synchronize);
        assertTrue(s.getMessage().contains("index -3 at position 0"), s.getMessage());
        Tensor emb = SequenceOps.embedding(w, Tensor.fromLongs(new long[] {0, 1, 2, 50}, 2, 2).to(cuda));
        IndexOutOfBoundsException m = assertThrows(IndexOutOfBoundsException.class, () -> emb.sum().item());
        assertTrue(m.getMessage().contains("embedding lookups") && m.getMessage().contains("index 50 at position 3"), m.getMessage());
        // the CPU raises at the call
        IllegalArgumentException cpu = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(50, 8).indexSelect(0, Tensor.fromIndices(new int[] {57})));
        assertTrue(cpu.getMessage().contains("index 57 is out of range [0, 50)"), cpu.getMessage());
    }

    @Test
    void aBadIndexInTheGradientScatterIsRaisedToo() {
        Tensor g = Tensor.randn(new Generator(3), 3, 4).to(cuda), gx = Tensor.zeros(cuda, 10, 4);
        Tensor idx = Tensor.fromIndices(new int[] {1, 10, 2}).to(cuda);
        be.indexAdd(TensorStorage.buffer(g), 1, 10, 4, TensorStorage.buffer(idx), 3, TensorStorage.buffer(gx));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, gx::toFloatArray);
        assertTrue(e.getMessage().contains("indexAdd") && e.getMessage().contains("index 10 at position 1"), e.getMessage());
    }

    /** Three steps of a sparse embedding with the optimizer made by {@code sgd ? SGD : SparseAdam} on {@code dev}. */
    static float[] train(Device dev, boolean sgd) {
        Embedding emb = new Embedding(31, 6, new Generator(4), true);
        emb.to(dev);
        var opt = sgd ? new SGD(emb.parameters(), 0.2f) : new SparseAdam(emb.parameters(), 0.05f);
        Generator g = new Generator(5);
        for (int step = 0; step < 3; step++) {
            int[] ids = new int[9 + step];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = g.nextInt(20); // rows 20..30 never touched
            }
            Tensor c = Tensor.randn(g, ids.length, 6).to(dev);
            opt.zeroGrad();
            emb.forward(Tensor.fromIndices(ids).to(dev)).mul(c).sum().backward();
            opt.step();
        }
        return emb.namedParameters().get("weight").toFloatArray();
    }

    @Test
    void rowSparseUpdatesGiveTheCpuParameters() {
        for (boolean sgd : new boolean[] {true, false}) {
            float[] want = train(Device.cpu(), sgd), got = train(cuda, sgd);
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 1e-5f * (1 + Math.abs(want[i])), (sgd ? "SGD" : "SparseAdam") + " element " + i);
            }
        }
    }
}
