package dev.kiln.models.cnn;

import dev.kiln.Tensor;
import dev.kiln.nn.Module;

import java.util.SplittableRandom;

/**
 * Training-time augmentation of an image batch {@code [N, C, H, W]}: a random crop of the image
 * padded by {@code pad} pixels (filled with {@code fill}, the normalised value of a black pixel)
 * and a horizontal flip with probability 1/2. Identity in eval mode.
 *
 * <p>Runs on the host: a CUDA batch is copied to the host, augmented and copied back (one round
 * trip per step). A device kernel for this is not written yet.
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
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        float[] src = x.toFloatArray();
        float[] dst = new float[src.length];
        for (int i = 0; i < n; i++) {
            int dy = pad == 0 ? 0 : rng.nextInt(2 * pad + 1) - pad;
            int dx = pad == 0 ? 0 : rng.nextInt(2 * pad + 1) - pad;
            boolean mirror = flip && rng.nextBoolean();
            for (int ch = 0; ch < c; ch++) {
                int plane = (i * c + ch) * h * w;
                for (int r = 0; r < h; r++) {
                    int sr = r + dy;
                    for (int q = 0; q < w; q++) {
                        int sq = (mirror ? w - 1 - q : q) + dx;
                        dst[plane + r * w + q] = sr >= 0 && sr < h && sq >= 0 && sq < w ? src[plane + sr * w + sq] : fill;
                    }
                }
            }
        }
        return Tensor.fromArray(dst, x.shape()).to(x.device());
    }

    @Override
    public String toString() {
        return "RandomCropFlip(pad " + pad + (flip ? ", flip" : "") + ")";
    }
}
