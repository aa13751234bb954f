package dev.kiln.models.cnn;

import dev.kiln.Tensor;
import dev.kiln.Vision;
import dev.kiln.models.train.RandomStream;
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
    private final long seed;
    private final SplittableRandom rng;
    private long images;

    public RandomCropFlip(int pad, boolean flip, float fill, long seed) {
        if (pad < 0) {
            throw new IllegalArgumentException("RandomCropFlip: padding must be >= 0, got " + pad);
        }
        this.pad = pad;
        this.flip = flip;
        this.fill = fill;
        this.seed = seed;
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
            draw(params, 3 * i);
        }
        return Vision.cropFlip(x, params, pad, fill);
    }

    /** The crop offsets and flip bit of the next image, into {@code params[at .. at+3)}. */
    private void draw(int[] params, int at) {
        params[at] = pad == 0 ? 0 : rng.nextInt(2 * pad + 1);
        params[at + 1] = pad == 0 ? 0 : rng.nextInt(2 * pad + 1);
        params[at + 2] = flip && rng.nextBoolean() ? 1 : 0;
        images++;
    }

    /**
     * The augmentation's random stream for checkpoints: its position is the number of images
     * augmented so far; seeking replays the draws of the images in between, so a resumed run
     * crops and flips as the uninterrupted run did.
     */
    public RandomStream stream() {
        return new RandomStream() {
            @Override
            public long seed() {
                return seed;
            }

            @Override
            public long position() {
                return images;
            }

            @Override
            public void seek(long position) {
                if (position < images) {
                    throw new IllegalArgumentException("the augmentation has drawn for " + images
                            + " images and cannot go back to " + position);
                }
                int[] scratch = new int[3];
                while (images < position) {
                    draw(scratch, 0);
                }
            }
        };
    }

    @Override
    public String toString() {
        return "RandomCropFlip(pad " + pad + (flip ? ", flip" : "") + ")";
    }
}
