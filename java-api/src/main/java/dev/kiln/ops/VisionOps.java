package dev.kiln.ops;

import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.Vision;

import java.util.List;

/**
 * The registry entries of the vision ops ({@link Vision}): ragged shapes (odd and unequal H/W),
 * stride 2, padding, dilation, groups and depthwise, fused bias and ReLU, both average-pool
 * divisors, uneven adaptive windows, batch norm in training and eval mode.
 */
final class VisionOps {

    private VisionOps() {
    }

    private static Tensor n(Generator g, int... shape) {
        return Tensor.randn(g, shape);
    }

    private static int[] p(int a, int b) {
        return new int[] {a, b};
    }

    static void register(List<OpSpec> l) {
        l.add(new OpSpec("conv2d", g -> new Tensor[] {n(g, 2, 3, 7, 6), n(g, 4, 3, 3, 3), n(g, 4)},
                in -> Vision.conv2d(in[0], in[1], in[2], 1, 1, 1, 1, false), true));
        l.add(new OpSpec("conv2dStride2", g -> new Tensor[] {n(g, 2, 2, 9, 7), n(g, 3, 2, 3, 2)},
                in -> Vision.conv2d(in[0], in[1], null, p(2, 2), p(1, 0), p(1, 1), 1, false), true));
        l.add(new OpSpec("conv2dDilation", g -> new Tensor[] {n(g, 1, 2, 9, 8), n(g, 2, 2, 3, 3), n(g, 2)},
                in -> Vision.conv2d(in[0], in[1], in[2], p(1, 2), p(2, 2), p(2, 2), 1, false), true));
        l.add(new OpSpec("conv2dGroups", g -> new Tensor[] {n(g, 2, 4, 7, 7), n(g, 6, 2, 3, 3), n(g, 6)},
                in -> Vision.conv2d(in[0], in[1], in[2], 2, 1, 1, 2, false), true));
        l.add(new OpSpec("conv2dDepthwise", g -> new Tensor[] {n(g, 2, 3, 6, 5), n(g, 3, 1, 3, 3)},
                in -> Vision.conv2d(in[0], in[1], null, 1, 1, 1, 3, false), true));
        l.add(new OpSpec("conv2dBiasRelu", g -> new Tensor[] {n(g, 2, 2, 6, 5), n(g, 3, 2, 3, 3), n(g, 3)},
                in -> Vision.conv2d(in[0], in[1], in[2], 1, 0, 1, 1, true), true));
        l.add(new OpSpec("conv2d1x1", g -> new Tensor[] {n(g, 2, 5, 4, 3), n(g, 3, 5, 1, 1)},
                in -> Vision.conv2d(in[0], in[1], null, 2, 0, 1, 1, false), true));
        // NHWC: x [N, H, W, C], w [K, R, S, C/groups]
        l.add(new OpSpec("conv2dNhwc", g -> new Tensor[] {n(g, 2, 7, 6, 3), n(g, 4, 3, 3, 3), n(g, 4)},
                in -> Vision.conv2dNhwc(in[0], in[1], in[2], p(2, 1), p(1, 1), p(1, 1), 1, true), true));
        l.add(new OpSpec("conv2dNhwcGroups", g -> new Tensor[] {n(g, 2, 9, 8, 4), n(g, 6, 3, 2, 2)},
                in -> Vision.conv2dNhwc(in[0], in[1], null, p(1, 2), p(2, 0), p(2, 1), 2, false), true));
        l.add(new OpSpec("maxPool2d", g -> new Tensor[] {n(g, 2, 3, 7, 6)}, in -> Vision.maxPool2d(in[0], 3, 2, 1), true));
        l.add(new OpSpec("maxPool2d2x2", g -> new Tensor[] {n(g, 2, 2, 6, 5)}, in -> Vision.maxPool2d(in[0], 2, 2, 0), true));
        l.add(new OpSpec("maxPool2dDilated", g -> new Tensor[] {n(g, 1, 2, 7, 7)},
                in -> Vision.maxPool2d(in[0], p(2, 3), p(1, 2), p(1, 1), p(2, 1)), true));
        l.add(new OpSpec("avgPool2d", g -> new Tensor[] {n(g, 2, 3, 7, 6)}, in -> Vision.avgPool2d(in[0], 3, 2, 1), true));
        l.add(new OpSpec("avgPool2dExcludePad", g -> new Tensor[] {n(g, 2, 2, 5, 7)},
                in -> Vision.avgPool2d(in[0], p(3, 2), p(2, 1), p(1, 1), false), true));
        // PyTorch's ceil_mode: last windows hang over the bottom/right border (never start in the right padding)
        l.add(new OpSpec("maxPool2dCeil", g -> new Tensor[] {n(g, 2, 2, 6, 7)},
                in -> Vision.maxPool2d(in[0], p(3, 2), p(2, 2), p(1, 0), p(1, 1), true), true));
        l.add(new OpSpec("avgPool2dCeil", g -> new Tensor[] {n(g, 2, 2, 6, 7)},
                in -> Vision.avgPool2d(in[0], p(3, 3), p(2, 2), p(1, 1), true, true), true));
        l.add(new OpSpec("avgPool2dCeilExcludePad", g -> new Tensor[] {n(g, 1, 3, 5, 6)},
                in -> Vision.avgPool2d(in[0], p(2, 3), p(2, 2), p(0, 1), false, true), true));
        l.add(new OpSpec("adaptiveAvgPool2d", g -> new Tensor[] {n(g, 2, 3, 7, 5)}, in -> Vision.adaptiveAvgPool2d(in[0], 3, 2), true));
        l.add(new OpSpec("adaptiveAvgPool2dGlobal", g -> new Tensor[] {n(g, 3, 4, 5, 5)}, in -> Vision.adaptiveAvgPool2d(in[0], 1, 1), true));
        l.add(new OpSpec("batchNorm2d", g -> new Tensor[] {n(g, 3, 4, 3, 5).mul(2f).add(1f), n(g, 4), n(g, 4)},
                in -> Vision.batchNorm2d(in[0], in[1], in[2], null, null, true, 0.1f, 1e-5f), true));
        l.add(new OpSpec("batchNorm2dEval", g -> new Tensor[] {n(g, 2, 3, 4, 3), n(g, 3), n(g, 3)},
                in -> Vision.batchNorm2d(in[0], in[1], in[2],
                        Tensor.fromArray(new float[] {0.5f, -0.25f, 1f}, 3).to(in[0].device()),
                        Tensor.fromArray(new float[] {0.8f, 1.5f, 2f}, 3).to(in[0].device()), false, 0.1f, 1e-5f), true));
        l.add(new OpSpec("flatten", g -> new Tensor[] {n(g, 2, 3, 4, 5)}, in -> Vision.flatten(in[0], 1), true));
        // Augmentation (no gradient); a fresh generator per call so every backend draws the same crops.
        l.add(new OpSpec("randomCropFlip", g -> new Tensor[] {n(g, 5, 2, 7, 6)},
                in -> Vision.randomCropFlip(in[0], 2, true, -0.5f, new Generator(11)), false));
    }
}
