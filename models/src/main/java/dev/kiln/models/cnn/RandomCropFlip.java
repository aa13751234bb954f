package dev.kiln.models.cnn;

import dev.kiln.Tensor;
import dev.kiln.Vision;
import dev.kiln.nn.Module;

import java.util.SplittableRandom;

/**
 * Training-time augmentation of an image batch {@code [N, C, H, W]}: a random crop of the image
 * padded by {@code pad} pixels (filled with {@code fill}, the normalised value of a black pixel)
 * and a horizontal flip with probability 1/2. Identity in eval mode.
 *
 * <p>The per-image offsets and flip bits are drawn on the host (three ints per image); the pixel
 * work is {@link Vision#cropFlip}, which runs on the batch's device, so a CUDA batch is not copied
 * back to the host.
 */
public final class RandomCropFlip extends Module {
    private final int pad;
    private final boolean flip;
    private final float fill;
    private final SplittableRandom rng;

    public RandomCropFlip(int pad, boolean flip, float fill, long seed) {
        if (pad < 0) {
            throw new IllegalArgumentException("RandomCropFlip: padding must be >= 0, got " + pad);
        }
        this.pad = pad;
        this.flip = flip;
        this.fill = fill;
        this.rng = new SplittableRandom(seed);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || (pad == 0 && !flip)) {
            return x;
        }
        if (x.rank() != 4) {
            throw new IllegalArgumentException("RandomCropFlip needs [N, C, H, W] images, got " + java.util.Arrays.toString(x.shape()));
        }
        int n = x.size(0);
        int[] params = new int[3 * n];
        for (int i = 0; i < n; i++) {
            params[3 * i] = pad == 0 ? 0 : rng.nextInt(2 * pad + 1);
            params[3 * i + 1] = pad == 0 ? 0 : rng.nextInt(2 * pad + 1);
            params[3 * i + 2] = flip && rng.nextBoolean() ? 1 : 0;
        }
        return Vision.cropFlip(x, params, pad, fill);
    }

    @Override
    public String toString() {
        return "RandomCropFlip(pad " + pad + (flip ? ", flip" : "") + ")";
    }
}
