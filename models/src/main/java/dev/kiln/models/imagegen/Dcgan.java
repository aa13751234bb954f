package dev.kiln.models.imagegen;

import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.nn.Activation;
import dev.kiln.nn.BatchNorm2d;
import dev.kiln.nn.Conv2d;
import dev.kiln.nn.ConvTranspose2d;
import dev.kiln.nn.Flatten;
import dev.kiln.nn.Linear;
import dev.kiln.nn.Module;
import dev.kiln.nn.Sequential;

/**
 * The DCGAN (Radford et al. 2016) for 28×28 grey images, with width {@code W}:
 * generator {@code z [B, 64] → dense 2W·7·7 → BN → ReLU → convT 2W→W (4×4, stride 2) → BN → ReLU
 * → convT W→1 (4×4, stride 2) → tanh} (7 → 14 → 28); discriminator {@code conv 1→W (4×4, stride 2)
 * → LeakyReLU 0.2 → conv W→2W (4×4, stride 2) → BN → LeakyReLU 0.2 → dense → logit} (28 → 14 → 7).
 */
public final class Dcgan {

    /** Width of the latent vector. */
    public static final int LATENT = 64;

    private Dcgan() {
    }

    public static Module generator(int width, Generator g) {
        return new Sequential(new Linear(LATENT, 2 * width * 49, g), new Reshape(2 * width, 7, 7), new BatchNorm2d(2 * width),
                Activation.relu(), new ConvTranspose2d(2 * width, width, 4, 2, 1, g), new BatchNorm2d(width), Activation.relu(),
                new ConvTranspose2d(width, 1, 4, 2, 1, g), Activation.tanh());
    }

    public static Module discriminator(int width, Generator g) {
        return new Sequential(new Conv2d(1, width, 4, 2, 1, g), Activation.leakyRelu(0.2f),
                new Conv2d(width, 2 * width, 4, 2, 1, 1, 1, false, g), new BatchNorm2d(2 * width), Activation.leakyRelu(0.2f),
                new Flatten(), new Linear(2 * width * 49, 1, g));
    }

    /** {@code [B, c·h·w] → [B, c, h, w]}. */
    static final class Reshape extends Module {
        private final int c, h, w;

        Reshape(int c, int h, int w) {
            this.c = c;
            this.h = h;
            this.w = w;
        }

        @Override
        public Tensor forward(Tensor x) {
            return x.reshape(x.size(0), c, h, w);
        }

        @Override
        public String toString() {
            return "Reshape(" + c + ", " + h + ", " + w + ")";
        }
    }
}
