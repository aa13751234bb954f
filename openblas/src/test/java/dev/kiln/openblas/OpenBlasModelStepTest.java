package dev.kiln.openblas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.backend.cpu.CpuGemm;
import dev.kiln.nn.Activation;
import dev.kiln.nn.Linear;
import dev.kiln.nn.Module;
import dev.kiln.nn.Sequential;
import dev.kiln.optim.Adam;
import dev.kiln.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** A whole MLP training step with the CPU backend's GEMM on Kiln's own code and on OpenBLAS. */
class OpenBlasModelStepTest {

    /** Runs {@code body} with {@code -Dkiln.cpu.impl.gemm=impl}, then restores the property. */
    static <T> T withGemm(String impl, Supplier<T> body) {
        String old = System.getProperty(CpuGemm.PROPERTY);
        System.setProperty(CpuGemm.PROPERTY, impl);
        try {
            return body.get();
        } finally {
            if (old == null) {
                System.clearProperty(CpuGemm.PROPERTY);
            } else {
                System.setProperty(CpuGemm.PROPERTY, old);
            }
        }
    }

    /** The losses of three Adam steps, the last step's gradients and the trained parameters. */
    private static List<float[]> train() {
        Generator g = new Generator(7);
        Module net = new Sequential(new Linear(300, 53, g), Activation.relu(), new Linear(53, 29, g),
                Activation.relu(), new Linear(29, 5, g));
        Optimizer opt = new Adam(net.parameters(), 1e-2f);
        Tensor x = Tensor.randn(new Generator(8), 67, 300);
        int[] labels = new int[67];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (i * 7) % 5;
        }
        Tensor y = Tensor.fromIndices(labels);
        List<float[]> out = new ArrayList<>();
        float[] losses = new float[3];
        for (int step = 0; step < 3; step++) {
            opt.zeroGrad();
            Tensor loss = net.forward(x).crossEntropy(y);
            loss.backward();
            losses[step] = loss.toFloatArray()[0];
            if (step == 2) {
                for (Tensor p : net.parameters()) {
                    out.add(p.grad().toFloatArray());
                }
            }
            opt.step();
        }
        out.add(losses);
        for (Tensor p : net.parameters()) {
            out.add(p.toFloatArray());
        }
        return out;
    }

    @Test
    void ownAndVendorGemmTrainTheSameMlp() {
        List<float[]> own = withGemm("own", OpenBlasModelStepTest::train);
        List<float[]> vendor = withGemm("vendor", OpenBlasModelStepTest::train);
        assertEquals(own.size(), vendor.size());
        int differing = 0;
        for (int t = 0; t < own.size(); t++) {
            float[] a = own.get(t), b = vendor.get(t);
            assertEquals(a.length, b.length);
            for (int i = 0; i < a.length; i++) {
                assertTrue(Float.isFinite(b[i]), "vendor tensor " + t + "[" + i + "] = " + b[i]);
                assertEquals(a[i], b[i], 1e-4f + 1e-4f * Math.abs(a[i]), "tensor " + t + "[" + i + "]");
                if (a[i] != b[i]) {
                    differing++;
                }
            }
        }
        // Both runs being one implementation would pass the comparison trivially. The first layer's
        // depth (300) is more than one of Sgemm's packed panels (255), and OpenBLAS blocks K
        // differently, so the two sum in another order and some last bits differ.
        assertTrue(differing > 0, "own and vendor gave bit-identical results: the switch did not take effect");
    }
}
