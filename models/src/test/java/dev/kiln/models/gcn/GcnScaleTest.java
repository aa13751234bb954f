package dev.kiln.models.gcn;

import dev.kiln.Device;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scale benchmark at a small scale, and the Planetoid split it and Cora share. */
class GcnScaleTest {

    @Test
    void smallRmatEpochsRunAndLearn() {
        GcnScale.Report r = GcnScale.run(9, 8, 16, 4, 30, 3, Device.cpu(), null);
        assertEquals(512, r.nodes());
        assertEquals(4096, r.edgesDrawn());
        // merged duplicates make fewer than 2 · edges + nodes entries, but far more than the nodes alone
        assertTrue(r.storedEntries() > 2000 && r.storedEntries() < 2 * 4096 + 512, "stored " + r.storedEntries());
        assertEquals(30, r.epochSeconds().length);
        assertTrue(Arrays.stream(r.epochSeconds()).allMatch(s -> s > 0));
        // features carry the class: training lowers the loss on the 80 labelled nodes
        assertTrue(r.lastLoss() < r.firstLoss() - 0.03, "loss " + r.firstLoss() + " -> " + r.lastLoss());
    }

    @Test
    void planetoidSplitIsDisjointBalancedAndSeeded() {
        int[] labels = new int[3000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (i * 7 + i / 11) % 7;
        }
        PlanetoidSplit s = PlanetoidSplit.standard(labels, 7, 42);
        assertEquals(140, s.train().length);
        assertEquals(500, s.validation().length);
        assertEquals(1000, s.test().length);
        int[] perClass = new int[7];
        for (int n : s.train()) {
            perClass[labels[n]]++;
        }
        assertTrue(Arrays.stream(perClass).allMatch(c -> c == 20), Arrays.toString(perClass));
        Set<Integer> seen = new HashSet<>();
        for (int[] part : new int[][] {s.train(), s.validation(), s.test()}) {
            for (int n : part) {
                assertTrue(seen.add(n), "node " + n + " in two parts");
            }
        }
        PlanetoidSplit again = PlanetoidSplit.standard(labels, 7, 42), other = PlanetoidSplit.standard(labels, 7, 43);
        assertTrue(Arrays.equals(s.test(), again.test()));
        assertTrue(!Arrays.equals(s.test(), other.test()));
    }

    @Test
    void splitNamesTheClassThatIsTooSmall() {
        int[] labels = new int[2000];
        labels[0] = 1; // class 1 has one node
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PlanetoidSplit.standard(labels, 2, 1));
        assertTrue(e.getMessage().contains("class 1 has 1 nodes"), e.getMessage());
    }
}
