package dev.kiln.models.cnn;

import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.nn.Activation;
import dev.kiln.nn.BatchNorm2d;
import dev.kiln.nn.Conv2d;
import dev.kiln.nn.Dropout;
import dev.kiln.nn.Flatten;
import dev.kiln.nn.Linear;
import dev.kiln.nn.MaxPool2d;
import dev.kiln.nn.Module;
import dev.kiln.nn.Sequential;

/**
 * The 2-conv CNN for 28×28 grey images: conv 32 3×3 → ReLU → conv 64 3×3 → ReLU → max-pool 2×2 →
 * dropout → dense 128 → ReLU → dropout → dense 10 (no padding: 28 → 26 → 24 → 12, so the dense
 * layer sees 64·12·12 = 9216 features). With {@code batchNorm} each conv is followed by
 * BatchNorm2d (conv bias off) before its ReLU; without it the ReLU is fused into the conv.
 */
public final class Cnn extends Module {

    public Cnn(boolean batchNorm, float dropout, Generator init, Generator drop) {
        Sequential s = new Sequential();
        if (batchNorm) {
            s.add(new Conv2d(1, 32, 3, 1, 0, 1, 1, false, init)).add(new BatchNorm2d(32)).add(Activation.relu());
            s.add(new Conv2d(32, 64, 3, 1, 0, 1, 1, false, init)).add(new BatchNorm2d(64)).add(Activation.relu());
        } else {
            s.add(new Conv2d(1, 32, 3, init).fuseRelu());
            s.add(new Conv2d(32, 64, 3, init).fuseRelu());
        }
        s.add(new MaxPool2d(2));
        if (dropout > 0) {
            s.add(new Dropout(dropout / 2, drop));
        }
        s.add(new Flatten()).add(new Linear(64 * 12 * 12, 128, init)).add(Activation.relu());
        if (dropout > 0) {
            s.add(new Dropout(dropout, drop));
        }
        s.add(new Linear(128, 10, init));
        registerModule("layers", s);
    }

    @Override
    public Tensor forward(Tensor x) {
        return module("layers").forward(x);
    }
}
