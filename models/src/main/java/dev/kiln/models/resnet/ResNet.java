package dev.kiln.models.resnet;

import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.nn.Activation;
import dev.kiln.nn.AdaptiveAvgPool2d;
import dev.kiln.nn.BatchNorm2d;
import dev.kiln.nn.Conv2d;
import dev.kiln.nn.Flatten;
import dev.kiln.nn.Linear;
import dev.kiln.nn.Module;
import dev.kiln.nn.Sequential;

import java.util.Arrays;

/**
 * A ResNet-18-style network adapted to 28×28 grey images: a 3×3 stride-1 stem (no max-pool), four
 * stages of basic blocks with widths {@code w, 2w, 4w, 8w} (stages 2–4 halve the resolution: 28 →
 * 14 → 7 → 4), global average pooling and a linear classifier. ResNet-18 is {@code blocks = {2, 2,
 * 2, 2}}, {@code width = 64}; CPU presets use a narrower width.
 */
public final class ResNet extends Module {

    private final int width;
    private final int[] blocks;

    public ResNet(int width, int[] blocks, int classes, Generator g) {
        if (width <= 0 || blocks.length != 4) {
            throw new IllegalArgumentException("ResNet: width must be positive and blocks has 4 stages, got " + width + ", "
                    + Arrays.toString(blocks));
        }
        this.width = width;
        this.blocks = blocks.clone();
        Sequential s = new Sequential(new Conv2d(1, width, 3, 1, 1, 1, 1, false, g), new BatchNorm2d(width), Activation.relu());
        int in = width;
        for (int stage = 0; stage < 4; stage++) {
            int out = width << stage;
            for (int b = 0; b < blocks[stage]; b++) {
                s.add(new BasicBlock(in, out, b == 0 && stage > 0 ? 2 : 1, g));
                in = out;
            }
        }
        s.add(new AdaptiveAvgPool2d(1, 1)).add(new Flatten()).add(new Linear(in, classes, g));
        registerModule("layers", s);
    }

    @Override
    public Tensor forward(Tensor x) {
        return module("layers").forward(x);
    }

    /** {@code width=16 blocks=[2, 2, 2, 2]}. */
    public String describe() {
        return "width=" + width + " blocks=" + Arrays.toString(blocks);
    }
}
