package dev.kiln.models.imagegen;

import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.nn.Module;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sampling from a saved state ({@code kiln sample}): the network's width comes from the state
 * itself, so a run trained at another width than its preset's (the {@code kiln.ddpm.base} and
 * {@code kiln.gan.width} properties) samples the same images from its checkpoint as in the run,
 * and a state of another network is refused with a message that names what is missing.
 */
class ImageSamplingTest {

    @Test
    void ddpmSamplesFromAStateOfAnyWidth() {
        UNet net = new UNet(ImageDdpm.T, 16, new Generator(5));
        net.eval();
        float[] direct = ImageDdpm.sample(net, dev.kiln.diffusion.NoiseSchedule.linear(Device.cpu(), ImageDdpm.T), 3, 2, 7,
                Device.cpu());
        float[] fromState = ImageDdpm.sample(net.stateDict(), 3, 2, 7, Device.cpu());
        assertEquals(3 * 784, fromState.length);
        assertArrayEquals(direct, fromState, 0f);
        for (float v : fromState) {
            assertTrue(v >= -1f && v <= 1f, "samples are clipped to [-1, 1]: " + v);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageDdpm.sample(Dcgan.generator(8, new Generator(1)).stateDict(), 1, 1, 1, Device.cpu()));
        assertTrue(e.getMessage().contains("in.weight"), e.getMessage());
    }

    @Test
    void ganSamplesFromAStateOfAnyWidth() {
        Module gen = Dcgan.generator(24, new Generator(5));
        gen.eval();
        float[] direct = ImageGan.sample(gen, 4, 9, Device.cpu());
        Map<String, Tensor> state = gen.stateDict();
        assertArrayEquals(direct, ImageGan.sample(state, 4, 9, Device.cpu()), 0f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageGan.sample(new UNet(ImageDdpm.T, 8, new Generator(1)).stateDict(), 1, 1, Device.cpu()));
        assertTrue(e.getMessage().contains("0.weight"), e.getMessage());
    }
}
