package dev.kiln.ops;

import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.diffusion.Diffusion;
import dev.kiln.diffusion.NoiseSchedule;
import dev.kiln.nn.GenerativeF;

import java.util.List;

/**
 * The registry entries of the generative-model ops: the noise-scheduling family (schedule tables,
 * fused noising, DDPM and DDIM steps; noise from a fresh generator per call so every backend draws
 * the same) and the layers of {@link GenerativeF} (transposed convolution with stride, padding,
 * output padding, dilation and groups; nearest upsampling; group norm; SiLU; the timestep embedding).
 */
final class GenerativeOps {

    private GenerativeOps() {
    }

    private static Tensor n(Generator g, int... shape) {
        return Tensor.randn(g, shape);
    }

    private static Tensor steps(Generator g, int bound, int count) {
        int[] v = new int[count];
        for (int k = 0; k < count; k++) {
            v[k] = g.nextInt(bound);
        }
        return Tensor.fromIndices(v);
    }

    private static int[] p(int a, int b) {
        return new int[] {a, b};
    }

    static void register(List<OpSpec> l) {
        // noise scheduling (diffusion family)
        l.add(new OpSpec("noiseScheduleLinear", g -> new Tensor[] {n(g, 1)},
                in -> NoiseSchedule.linear(in[0].device(), 37, 1e-3f, 0.05f).table(), false));
        l.add(new OpSpec("noiseScheduleCosine", g -> new Tensor[] {n(g, 1)},
                in -> NoiseSchedule.cosine(in[0].device(), 301).table(), false));
        l.add(new OpSpec("qSample", g -> new Tensor[] {n(g, 5, 3), steps(g, 20, 5)},
                in -> Diffusion.qSample(NoiseSchedule.cosine(in[0].device(), 20), in[0], in[1], new Generator(21)).xt(), true));
        l.add(new OpSpec("qSampleNoise", g -> new Tensor[] {n(g, 3, 2, 3, 3), steps(g, 50, 3)},
                in -> Diffusion.qSample(NoiseSchedule.linear(in[0].device(), 50), in[0], in[1], new Generator(22, 6)).eps(), false));
        l.add(new OpSpec("ddpmStep", g -> new Tensor[] {n(g, 4, 7), n(g, 4, 7)},
                in -> Diffusion.ddpmStep(NoiseSchedule.linear(in[0].device(), 30), in[0], in[1], 17, 0f, new Generator(23)), false));
        l.add(new OpSpec("ddpmStepLastClipped", g -> new Tensor[] {n(g, 3, 5), n(g, 3, 5)},
                in -> Diffusion.ddpmStep(NoiseSchedule.cosine(in[0].device(), 30), in[0], in[1], 0, 1f, new Generator(24)), false));
        l.add(new OpSpec("ddimStep", g -> new Tensor[] {n(g, 6, 5), n(g, 6, 5)},
                in -> Diffusion.ddimStep(NoiseSchedule.cosine(in[0].device(), 40), in[0], in[1], 25, 9, 0f), false));
        l.add(new OpSpec("ddimStepToX0Clipped", g -> new Tensor[] {n(g, 2, 9), n(g, 2, 9)},
                in -> Diffusion.ddimStep(NoiseSchedule.linear(in[0].device(), 40), in[0], in[1], 5, -1, 1f), false));
        // layers
        l.add(new OpSpec("convTranspose2d", g -> new Tensor[] {n(g, 2, 3, 5, 4), n(g, 3, 2, 3, 3), n(g, 2)},
                in -> GenerativeF.convTranspose2d(in[0], in[1], in[2], 2, 1, 1), true));
        l.add(new OpSpec("convTranspose2dGroups", g -> new Tensor[] {n(g, 1, 4, 3, 5), n(g, 4, 3, 2, 3)},
                in -> GenerativeF.convTranspose2d(in[0], in[1], null, p(1, 2), p(0, 1), p(0, 1), p(2, 1), 2), true));
        l.add(new OpSpec("upsampleNearest", g -> new Tensor[] {n(g, 2, 3, 3, 4)},
                in -> GenerativeF.upsampleNearest(in[0], 2, 2), true));
        l.add(new OpSpec("upsampleNearest3x1", g -> new Tensor[] {n(g, 1, 2, 2, 3)},
                in -> GenerativeF.upsampleNearest(in[0], 3, 1), true));
        l.add(new OpSpec("groupNorm", g -> new Tensor[] {n(g, 2, 6, 3, 4).mul(2f).add(0.5f), n(g, 6), n(g, 6)},
                in -> GenerativeF.groupNorm(in[0], 3, in[1], in[2], 1e-5f), true));
        l.add(new OpSpec("groupNormNoAffine", g -> new Tensor[] {n(g, 3, 4)},
                in -> GenerativeF.groupNorm(in[0], 2, null, null, 1e-5f), true));
        l.add(new OpSpec("silu", g -> new Tensor[] {n(g, 4, 5)}, in -> GenerativeF.silu(in[0]), true));
        l.add(new OpSpec("timestepEmbedding", g -> new Tensor[] {steps(g, 50, 6)},
                in -> GenerativeF.timestepEmbedding(
                        Tensor.fromArray(GenerativeF.sinusoidalTable(50, 7, 10000.0), 50, 7).to(in[0].device()), in[0]), false));
    }
}
