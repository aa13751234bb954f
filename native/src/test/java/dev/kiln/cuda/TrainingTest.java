package dev.kiln.cuda;

import dev.kiln.backend.Backends;
import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.nn.Activation;
import dev.kiln.nn.Linear;
import dev.kiln.nn.Module;
import dev.kiln.nn.Sequential;
import dev.kiln.optim.AdamW;
import dev.kiln.optim.Optimizer;
import dev.kiln.optim.SGD;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A small MLP trained for a few steps on CUDA (emulated) and on the CPU gives the same losses. */
class TrainingTest {

    static Module mlp() {
        Generator g = new Generator(11);
        return new Sequential(new Linear(6, 32, g), Activation.gelu(), new Linear(32, 16, g), Activation.relu(),
                new Linear(16, 4, g));
    }

    static float[] train(Device device, Function<Module, Optimizer> opt, int steps) {
        Module model = mlp().to(device);
        Optimizer o = opt.apply(model);
        Generator data = new Generator(5);
        float[] losses = new float[steps];
        for (int s = 0; s < steps; s++) {
            Tensor x = Tensor.randn(data, 24, 6).to(device);
            int[] y = new int[24];
            for (int i = 0; i < y.length; i++) {
                y[i] = data.nextInt(4);
            }
            Tensor t = Tensor.fromIndices(y).to(device);
            o.zeroGrad();
            Tensor loss = model.forward(x).crossEntropy(t);
            loss.backward();
            o.step();
            losses[s] = loss.item();
        }
        for (Tensor p : model.parameters()) {
            assertEquals(device, p.device(), "parameters must stay on " + device);
        }
        return losses;
    }

    static void compare(Function<Module, Optimizer> opt) {
        CudaBackend be = (CudaBackend) Backends.of(Device.cuda());
        float[] cpu = train(Device.cpu(), opt, 6);
        long launches = be.launches();
        float[] gpu = train(Device.cuda(), opt, 6);
        assertTrue(be.launches() > launches + 6 * 10, "the training steps should run as kernels");
        for (int s = 0; s < cpu.length; s++) {
            assertEquals(cpu[s], gpu[s], 1e-4f * Math.max(1, Math.abs(cpu[s])), "step " + s);
        }
        assertTrue(gpu[gpu.length - 1] < gpu[0], "loss should fall");
    }

    @Test
    void adamWStepsMatchTheCpu() {
        compare(m -> new AdamW(m.parameters(), 1e-2f));
    }

    @Test
    void sgdMomentumStepsMatchTheCpu() {
        compare(m -> new SGD(m.parameters(), 0.1f).momentum(0.9f).nesterov(true).weightDecay(1e-3f));
    }
}
