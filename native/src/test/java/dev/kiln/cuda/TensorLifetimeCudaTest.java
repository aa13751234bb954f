package dev.kiln.cuda;

import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.MemoryStats;
import dev.kiln.Tensor;
import dev.kiln.TensorScope;
import dev.kiln.backend.Backends;
import dev.kiln.nn.Activation;
import dev.kiln.nn.Linear;
import dev.kiln.nn.Module;
import dev.kiln.nn.Sequential;
import dev.kiln.optim.AdamW;
import dev.kiln.optim.GradClip;
import dev.kiln.optim.Optimizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deterministic device memory on the CUDA backend (emulated in CI): a closed tensor's block goes
 * back to the caching allocator at once and the tensor refuses to be read, and a long run of
 * training steps, each in a {@link TensorScope}, holds a constant number of live bytes.
 */
class TensorLifetimeCudaTest {

    /**
     * 50 steps in CI; {@code -Dkiln.soak.steps=5000} for the full soak (386.8 s under the emulator
     * on a loaded 2-core machine).
     */
    private static final int SOAK_STEPS = Integer.getInteger("kiln.soak.steps", 50);

    static CudaBackend cuda;

    @BeforeAll
    static void open() {
        cuda = (CudaBackend) Backends.of(Device.cuda());
    }

    /** Lets the cleaner return the blocks of tensors other tests dropped, so byte counts below move only by ours. */
    private static void settle() throws InterruptedException {
        long before;
        do {
            before = cuda.memoryStats().bytesInUse();
            System.gc();
            Thread.sleep(50);
        } while (cuda.memoryStats().bytesInUse() != before);
    }

    @Test
    void aClosedTensorReturnsItsBlockAndThrowsWhenRead() throws InterruptedException {
        settle();
        long live = cuda.memoryStats().bytesInUse();
        Tensor t = Tensor.randn(new Generator(2), Device.cuda(), 64, 16);
        assertEquals(live + 4096, cuda.memoryStats().bytesInUse());
        Tensor view = t.reshape(1024);
        t.close();
        assertEquals(live + 4096, cuda.memoryStats().bytesInUse(), "a view still holds the block");
        view.close();
        assertEquals(live, cuda.memoryStats().bytesInUse(), "the last close returns the block to the allocator");
        IllegalStateException e = assertThrows(IllegalStateException.class, t::toFloatArray);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        // a kernel never gets the pointer of a released block
        IllegalStateException k = assertThrows(IllegalStateException.class, () -> view.mul(2f));
        assertTrue(k.getMessage().contains("CUDA FLOAT32 buffer of 1024 elements") && k.getMessage().contains("release"),
                k.getMessage());
        // the block is handed out again, and the new tensor is unaffected by the old one's close
        Tensor u = Tensor.full(Device.cuda(), 3f, 1024);
        view.close();
        t.close();
        assertEquals(3f, u.sum().item() / 1024f);
    }

    @Test
    void soakTrainingStepsKeepLiveBytesFlat() throws InterruptedException {
        settle();
        Device d = Device.cuda();
        Generator g = new Generator(4);
        Module net = new Sequential(new Linear(4, 16, g), Activation.relu(), new Linear(16, 3, g)).to(d);
        Optimizer opt = new AdamW(net.parameters(), 1e-2f);
        Tensor x = Tensor.randn(g, 16, 4).to(d);
        int[] labels = new int[16];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 3;
        }
        Tensor y = Tensor.fromIndices(labels).to(d);
        long baseline = -1;
        long peakAfterWarmUp = -1;
        float first = 0;
        float last = 0;
        long start = System.nanoTime();
        for (int step = 1; step <= SOAK_STEPS; step++) {
            try (TensorScope scope = Tensor.scope()) {
                opt.zeroGrad();
                Tensor loss = net.forward(x).crossEntropy(y);
                loss.backward();
                GradClip.clipGradNorm(net.parameters(), 1f);
                opt.step();
                if (step == 1 || step == SOAK_STEPS) {
                    float v = loss.item();
                    first = step == 1 ? v : first;
                    last = v;
                }
            }
            MemoryStats m = Backends.memoryUsage(d);
            if (step == 2) {  // parameters, data, optimiser moments and the gradients of the last step
                baseline = m.live();
                peakAfterWarmUp = m.peak();
            } else if (step > 2) {
                // never above the level of step 2 (the cleaner may still return older tests' blocks)
                assertTrue(m.live() <= baseline, "live bytes grew to " + m.live() + " after step " + step + " from "
                        + baseline + " (" + m + ")");
            }
        }
        MemoryStats end = Backends.memoryUsage(d);
        assertEquals(peakAfterWarmUp, end.peak(), "the peak must not grow after the first steps: " + end);
        assertTrue(last < first, "the loss should fall: " + first + " -> " + last);
        System.out.printf("soak: %d steps in %.1f s, live %d B (step 2: %d B), cached %d B, peak %d B%n", SOAK_STEPS,
                (System.nanoTime() - start) / 1e9, end.live(), baseline, end.cached(), end.peak());
    }
}
