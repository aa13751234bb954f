package dev.kiln.cuda;

import dev.kiln.spi.TensorStorage;

import dev.kiln.Device;
import dev.kiln.Tensor;
import dev.kiln.word2vec.SgnsKernels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The word2vec family's fused SGNS kernel on the CUDA backend (emulated driver) against the CPU
 * family, on pairs whose rows are all distinct (so the lock-free result is unique), at widths that
 * are not multiples of 32, with negatives equal to the positive (skipped) among them.
 */
class CudaSgnsTest {

    static void parity(int rows, int dim, int pairs, int k1, long seed) {
        Random r = new Random(seed);
        float[] in = new float[rows * dim], out = new float[rows * dim];
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) r.nextGaussian() * 0.5f;
            out[i] = (float) r.nextGaussian() * 0.5f;
        }
        List<Integer> perm = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            perm.add(i);
        }
        Collections.shuffle(perm, r);
        int[] inputs = new int[pairs], targets = new int[pairs * k1];
        int next = 0;
        for (int p = 0; p < pairs; p++) {
            inputs[p] = perm.get(next++);
            for (int j = 0; j < k1; j++) {
                targets[p * k1 + j] = perm.get(next++);
            }
            if (k1 > 2 && p % 2 == 0) {
                targets[p * k1 + 1] = targets[p * k1];
            }
        }
        float alpha = 0.3f;
        float[][] got = new float[2][];
        float[][] gotOut = new float[2][];
        Device[] devices = {Device.cpu(), Device.cuda()};
        for (int d = 0; d < 2; d++) {
            Tensor a = Tensor.fromArray(in, rows, dim).to(devices[d]);
            Tensor b = Tensor.fromArray(out, rows, dim).to(devices[d]);
            Tensor i = Tensor.fromIndices(inputs).to(devices[d]);
            Tensor t = Tensor.fromIndices(targets).to(devices[d]);
            TensorStorage.backend(a).kernels(SgnsKernels.class).update(TensorStorage.buffer(a), TensorStorage.buffer(b), TensorStorage.buffer(i), TensorStorage.buffer(t), pairs, k1, dim, alpha);
            got[d] = a.toFloatArray();
            gotOut[d] = b.toFloatArray();
        }
        String what = "rows " + rows + " dim " + dim + " pairs " + pairs + " k1 " + k1;
        CudaSparseTest.assertClose(got[0], got[1], what + " (input table)");
        CudaSparseTest.assertClose(gotOut[0], gotOut[1], what + " (output table)");
        int changed = 0;
        for (int x = 0; x < in.length; x++) {
            changed += got[1][x] != in[x] ? 1 : 0;
        }
        assertEquals(pairs * dim, changed, what + ": exactly the input rows of the pairs change");
    }

    @Test
    void matchesTheCpuFamilyOnDisjointPairs() {
        parity(40, 1, 5, 6, 1);
        parity(200, 45, 20, 6, 2);
        parity(300, 100, 30, 6, 3);
        parity(64, 130, 7, 2, 4);
    }

    @Test
    void refusesWidthsTheKernelCannotHold() {
        Tensor a = Tensor.zeros(Device.cuda(), 2, 600);
        Tensor i = Tensor.fromIndices(new int[] {0}).to(Device.cuda());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TensorStorage.backend(a).kernels(SgnsKernels.class).update(TensorStorage.buffer(a), TensorStorage.buffer(a), TensorStorage.buffer(i), TensorStorage.buffer(i), 1, 1, 600, 0.1f));
        assertTrue(e.getMessage().contains("600"), e.getMessage());
    }
}
