package dev.kiln.models.resnet;

import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.nn.BatchNorm2d;
import dev.kiln.nn.Conv2d;
import dev.kiln.nn.Module;
import dev.kiln.nn.Sequential;

/**
 * ResNet's basic block: conv 3×3 (stride s) → BN → ReLU → conv 3×3 → BN, plus the shortcut —
 * identity when shape is kept, else a projection (conv 1×1 stride s → BN) — then ReLU.
 */
public final class BasicBlock extends Module {

    private final boolean projection;

    public BasicBlock(int in, int out, int stride, Generator g) {
        registerModule("conv1", new Conv2d(in, out, 3, stride, 1, 1, 1, false, g));
        registerModule("bn1", new BatchNorm2d(out));
        registerModule("conv2", new Conv2d(out, out, 3, 1, 1, 1, 1, false, g));
        registerModule("bn2", new BatchNorm2d(out));
        projection = stride != 1 || in != out;
        if (projection) {
            registerModule("shortcut", new Sequential(new Conv2d(in, out, 1, stride, 0, 1, 1, false, g), new BatchNorm2d(out)));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = module("bn1").forward(module("conv1").forward(x)).relu();
        y = module("bn2").forward(module("conv2").forward(y));
        Tensor skip = projection ? module("shortcut").forward(x) : x;
        return y.add(skip).relu();
    }
}
