package dev.kiln;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class GeneratorTest {

    /** Known-answer vectors of Philox4x32-10 from the Random123 distribution (kat_vectors). */
    @Test
    void philoxMatchesKnownAnswers() {
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
                Generator.philox(0, 0, 0, 0, 0, 0));
        assertArrayEquals(new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
                Generator.philox(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0));
    }

    @Test
    void drawsDependOnlyOnSeedAndOffset() {
        float[] whole = new float[10];
        Generator.uniform(7, 0, whole, 0, 10);
        float[] tail = new float[7];
        Generator.uniform(7, 3, tail, 0, 7);
        for (int k = 0; k < 7; k++) {
            assertEquals(whole[k + 3], tail[k]);
        }
        Generator g = new Generator(7);
        assertEquals(0, g.advance(5));
        assertEquals(8, g.advance(1));
        assertNotEquals(Tensor.rand(new Generator(1), 4).toFloatArray()[0], Tensor.rand(new Generator(2), 4).toFloatArray()[0]);
    }

    @Test
    void permutationIsAPermutation() {
        int[] p = new Generator(3).permutation(100);
        boolean[] seen = new boolean[100];
        for (int v : p) {
            seen[v] = true;
        }
        for (boolean s : seen) {
            assertEquals(true, s);
        }
    }
}
