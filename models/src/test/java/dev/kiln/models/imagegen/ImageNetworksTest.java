package dev.kiln.models.imagegen;

import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.nn.F;
import dev.kiln.nn.Module;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image generators' networks: the U-Net maps {@code [B, 1, 28, 28]} to the same shape, depends
 * on the timestep, and passes a gradient to every parameter; the DCGAN's generator makes 28×28
 * images in (−1, 1) and its discriminator one logit per image.
 */
class ImageNetworksTest {

    @Test
    void unetShapesTimestepsAndGradients() {
        UNet net = new UNet(1000, 8, new Generator(1));
        Tensor x = Tensor.randn(new Generator(2), 2, 1, 28, 28);
        Tensor early = net.predict(x, Tensor.fromIndices(new int[] {0, 0}));
        Tensor late = net.predict(x, Tensor.fromIndices(new int[] {999, 999}));
        assertArrayEquals(new int[] {2, 1, 28, 28}, early.shape());
        assertFalse(Arrays.equals(early.toFloatArray(), late.toFloatArray()), "the timestep embedding reaches the output");
        Tensor loss = F.mseLoss(net.predict(x, Tensor.fromIndices(new int[] {3, 500})), Tensor.zeros(2, 1, 28, 28));
        loss.backward();
        net.namedParameters().forEach((name, p) -> {
            assertNotNull(p.grad(), name + " has a gradient");
            float[] g = p.grad().toFloatArray();
            double sum = 0;
            for (float v : g) {
                assertTrue(Float.isFinite(v), name);
                sum += Math.abs(v);
            }
            assertTrue(sum > 0, name + " gets a non-zero gradient");
        });
        assertThrows(IllegalArgumentException.class, () -> new UNet(1000, 12, new Generator(1)));
        assertThrows(UnsupportedOperationException.class, () -> net.forward(x));
    }

    @Test
    void dcganShapesAndRange() {
        Module g = Dcgan.generator(8, new Generator(1)), d = Dcgan.discriminator(8, new Generator(2));
        Tensor img = g.forward(Tensor.randn(new Generator(3), 4, Dcgan.LATENT));
        assertArrayEquals(new int[] {4, 1, 28, 28}, img.shape());
        for (float v : img.toFloatArray()) {
            assertTrue(v > -1 && v < 1, "tanh output " + v);
        }
        Tensor logit = d.forward(img);
        assertArrayEquals(new int[] {4, 1}, logit.shape());
        assertEquals(4, logit.toFloatArray().length);
    }
}
