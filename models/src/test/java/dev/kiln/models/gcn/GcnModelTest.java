package dev.kiln.models.gcn;

import dev.kiln.Device;
import dev.kiln.models.Models;
import dev.kiln.models.RunRequest;
import dev.kiln.models.RunResult;
import dev.kiln.sparse.Csr;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GCN's datasets and both targets: karate-club accuracy ≥ 0.90 on the 32 unlabelled members,
 * and on the CSBM at homophily 0.8 the GCN at least 10 points above an MLP on the features alone
 * (same run, the RESULT line's {@code mlp_test_accuracy}).
 */
class GcnModelTest {

    private static final Pattern MLP = Pattern.compile(" mlp_test_accuracy=(\\d\\.\\d{4})$");

    @Test
    void theKarateClubIsZacharysGraph() {
        GraphData d = KarateClub.load();
        Csr a = d.adjacency().csr();
        assertEquals(34, a.rows());
        assertEquals(2 * 78, a.nnz(), "78 friendships, stored both ways");
        assertArrayEquals(a.toDense(), a.transpose().toDense(), "symmetric");
        assertEquals(16, a.degree(0), "the instructor's friends");
        assertEquals(17, a.degree(33), "the administrator's friends");
        int officers = 0;
        for (int y : d.labels()) {
            officers += y;
        }
        assertEquals(17, officers, "17 members followed the administrator");
        assertEquals(0, d.labels()[0]);
        assertEquals(1, d.labels()[33]);
        assertEquals(32, d.test().length);
    }

    @Test
    void theCsbmHasTheRequestedHomophilyAndDegree() {
        GraphData d = Csbm.preset().generate(3);
        Csr a = d.adjacency().csr();
        int[] ptr = a.rowPtr(), col = a.colIdx();
        long intra = 0;
        for (int i = 0; i < a.rows(); i++) {
            for (int k = ptr[i]; k < ptr[i + 1]; k++) {
                intra += d.labels()[i] == d.labels()[col[k]] ? 1 : 0;
            }
        }
        double h = (double) intra / a.nnz(), deg = a.meanDegree();
        assertTrue(Math.abs(h - 0.8) < 0.03, "homophily " + h);
        assertTrue(Math.abs(deg - 10) < 0.6, "mean degree " + deg);
        assertEquals(40, d.train().length);
        assertEquals(2000 - 40, d.test().length);
        assertArrayEquals(d.labels(), Csbm.preset().generate(3).labels(), "a function of the seed");
    }

    @Test
    void karateReachesTheTarget() throws Exception {
        RunResult r = new GcnModel().train(RunRequest.of("karate", Device.cpu(), 1));
        assertTrue(r.value() >= 0.90, "karate test accuracy " + r.value() + " (target 0.90)");
        assertEquals(200, r.training().epochsRun());
        assertTrue(r.resultLine().startsWith("RESULT model=gcn dataset=karate device=cpu metric=test_accuracy value="), r.resultLine());
    }

    @Test
    void onTheCsbmTheGcnBeatsTheMlpByTenPoints() throws Exception {
        RunResult r = new GcnModel().train(RunRequest.of("csbm", Device.cpu(), 1));
        Matcher m = MLP.matcher(r.resultLine());
        assertTrue(m.find(), r.resultLine());
        double mlp = Double.parseDouble(m.group(1));
        assertTrue(r.value() - mlp >= 0.10, "GCN " + r.value() + " vs MLP " + mlp + ": " + r.resultLine());
        // The quick (demo) run keeps the gap.
        RunResult q = new GcnModel().train(RunRequest.of("csbm", Device.cpu(), 2).withQuick(true));
        Matcher mq = MLP.matcher(q.resultLine());
        assertTrue(mq.find() && q.value() - Double.parseDouble(mq.group(1)) >= 0.10, q.resultLine());
    }

    @Test
    void gcnIsRegisteredForTheDemo() {
        assertTrue(Models.find("gcn").isPresent());
        assertEquals(2, new GcnModel().demoDatasets(RunRequest.of("-", Device.cpu(), 1)).stream().filter(d -> d.isAvailable()).count());
    }
}
