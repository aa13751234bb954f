package dev.kiln;

import dev.kiln.backend.Backends;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Device values and parsing, and the backend lookup on a class path with only the CPU backend (kiln-api's own tests). */
class DeviceAndBackendsTest {

    @Test
    void devicesAreValues() {
        assertSame(Device.cpu(), Device.parse(" CPU "));
        assertEquals(Device.cuda(0), Device.parse("cuda"));
        assertEquals(Device.cuda(3), Device.parse("cuda:3"));
        assertEquals(3, Device.parse("cuda:3").index());
        assertEquals(Device.Kind.CUDA, Device.cuda(1).kind());
        assertEquals(Device.Kind.CPU, Device.cpu().kind());
        assertEquals(Device.cuda(), Device.cuda(0));
        assertNotEquals(Device.cuda(0), Device.cuda(1));
        assertNotEquals(Device.cuda(0), Device.cpu());
        assertNotEquals(Device.cuda(0), "cuda:0");
        assertEquals(Device.cuda(2).hashCode(), Device.parse("cuda:2").hashCode());
        assertNotEquals(Device.cuda(1).hashCode(), Device.cuda(2).hashCode());
        assertNotEquals(Device.cpu().hashCode(), Device.cuda(0).hashCode());
        assertEquals("cuda:2", Device.cuda(2).toString());
        assertEquals("cpu", Device.cpu().toString());
        for (String bad : new String[] {"gpu", "cuda:x", "cuda:", "cuda:-1", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.parse(bad), bad);
            assertTrue(e.getMessage().contains("cuda") || e.getMessage().contains(">= 0"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.cuda(-1));
        assertTrue(e.getMessage().contains("CUDA device index must be >= 0, got -1"), e.getMessage());
        Device.cuda(0);
    }

    @Test
    void withoutTheCudaJarTheCpuIsBest() {
        assertEquals(Device.cpu(), Backends.best());
        assertEquals(Device.cpu(), Backends.parse("auto"));
        assertEquals(Device.cpu(), Backends.parse("cpu"));
        assertTrue(Backends.isAvailable(Device.cpu()));
        assertFalse(Backends.isAvailable(Device.cuda(0)));
        DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class, () -> Backends.cuda(0));
        assertTrue(e.getMessage().contains("kiln-cuda"), e.getMessage());
        assertThrows(DeviceUnavailableException.class, () -> Backends.parse("cuda:1"));
        assertThrows(DeviceUnavailableException.class, () -> Tensor.zeros(Device.cuda(0), 1));
        assertSame(Backends.of(Device.cpu()), Backends.of(Device.parse("cpu")));
    }

    @Test
    void generatorHelpers() {
        Generator g = new Generator(9);
        assertEquals(0, g.offset());
        float u = g.nextFloat();
        assertEquals(4, g.offset(), "one draw reserves a block of four");
        float[] want = new float[1];
        Generator.uniform(9, 0, want, 0, 1);
        assertEquals(want[0], u);
        assertEquals(9, g.seed());
        assertEquals(8, new Generator(9, 8).offset());
        assertThrows(IllegalArgumentException.class, () -> new Generator(1, -1));
        assertThrows(IllegalArgumentException.class, () -> g.nextInt(0));
        assertEquals(0, new Generator(3).nextInt(1));
        int[] p = new Generator(4).permutation(6);
        int[] sorted = p.clone();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, sorted);
        // Fisher-Yates with the generator's own draws, replayed by hand
        Generator r = new Generator(4);
        int[] a = {0, 1, 2, 3, 4, 5};
        for (int i = 5; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        assertArrayEquals(a, p);
        int[] one = {7};
        new Generator(1).shuffle(one);
        assertArrayEquals(new int[] {7}, one);
    }
}
