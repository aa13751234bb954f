package dev.kiln.models.train;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HistoryTest {

    private static EpochStats row(int epoch, double dLoss, double gLoss, double lr) {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("train_d_loss", dLoss);
        v.put("train_g_loss", gLoss);
        v.put("test_fake_mean", dLoss * 3);
        v.put("lr_g", lr);
        v.put("lr_d", lr / 3);
        v.put(EpochStats.SECONDS, 1.25 * epoch);
        v.put(EpochStats.SAMPLES_PER_SECOND, 1234.5 / epoch);
        return new EpochStats(epoch, v);
    }

    @Test
    void csvRoundTripsExactlyWithTheMetricColumns() {
        History h = new History();
        h.add(row(1, 0.6931471805599453, 0.1, 1e-3));
        h.add(row(2, Math.PI / 7, 1.0 / 3, 7.000000000000001e-4));
        assertEquals("epoch,train_d_loss,train_g_loss,test_fake_mean,lr_g,lr_d,seconds,samples_per_second",
                h.toCsv().split("\n")[0]);
        History back = History.parseCsv(h.toCsv());
        assertEquals(h.epochs(), back.epochs());
        assertEquals(List.of("lr_g", "lr_d"), back.last().lrColumns());
        assertEquals(List.of("d_loss", "g_loss", "fake_mean"), CurvePlot.metrics(back));
        assertEquals(Math.PI / 7, back.last().train("d_loss"), 0.0);
    }

    @Test
    void rejectsOutOfOrderEpochsChangedColumnsAndBadRows() {
        History h = new History();
        assertThrows(IllegalArgumentException.class, () -> h.add(row(2, 0, 0, 0)));
        h.add(row(1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> h.add(new EpochStats(2, Map.of("train_loss", 1.0))));
        assertThrows(IllegalArgumentException.class, () -> History.parseCsv("step,loss\n1,2\n"));
        // Found by fuzzing: these split into no fields at all and failed with ArrayIndexOutOfBoundsException.
        assertThrows(IllegalArgumentException.class, () -> History.parseCsv(","));
        assertThrows(IllegalArgumentException.class, () -> History.parseCsv("\n\n"));
        assertThrows(IllegalArgumentException.class, () -> History.parseCsv("epoch,train_loss\n,\n"));
        assertThrows(IllegalArgumentException.class, () -> History.parseCsv("epoch,,\n"), "empty column names");
        assertThrows(IllegalArgumentException.class, () -> History.parseCsv("epoch,a,a\n1,2,3\n"), "a repeated column");
        assertThrows(IllegalArgumentException.class, () -> History.parseCsv("epoch,train_loss\n1,x\n"));
        assertThrows(IllegalArgumentException.class, () -> History.parseCsv("epoch,train_loss\n1,0.5,7\n"));
        assertThrows(IllegalArgumentException.class, () -> h.last().test("accuracy"));
    }
}
