package dev.kiln.models.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HistoryTest {

    @Test
    void csvRoundTripsExactly() {
        History h = new History();
        h.add(new EpochStats(1, 0.6931471805599453, 0.5, 0.7, 0.45, 1e-3, 1.25, 1234.5));
        h.add(new EpochStats(2, 0.1, 0.9, 0.2, 0.875, 5e-4, 1.5, 999.0));
        History back = History.parseCsv(h.toCsv());
        assertEquals(h.epochs(), back.epochs());
    }

    @Test
    void rejectsOutOfOrderEpochsAndBadRows() {
        History h = new History();
        assertThrows(IllegalArgumentException.class, () -> h.add(new EpochStats(2, 0, 0, 0, 0, 0, 0, 0)));
        assertThrows(IllegalArgumentException.class, () -> History.parseCsv("epoch,loss\n1,2\n"));
        assertThrows(IllegalArgumentException.class, () -> History.parseCsv(EpochStats.CSV_HEADER + "\n1,x,0,0,0,0,0,0\n"));
        assertThrows(IllegalStateException.class, h::last);
    }
}
