package dev.kiln.models.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Per-epoch statistics of one training run, in epoch order; serialises to CSV for checkpoints. */
public final class History {

    private final List<EpochStats> epochs = new ArrayList<>();

    public History() {
    }

    /** Appends the next epoch; epochs must arrive in order 1, 2, 3, … */
    public void add(EpochStats s) {
        int expected = epochs.size() + 1;
        if (s.epoch() != expected) {
            throw new IllegalArgumentException("History expects epoch " + expected + ", got " + s.epoch());
        }
        epochs.add(s);
    }

    /** All epochs so far (unmodifiable). */
    public List<EpochStats> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    public int size() {
        return epochs.size();
    }

    public boolean isEmpty() {
        return epochs.isEmpty();
    }

    /** The latest epoch; throws if there is none. */
    public EpochStats last() {
        if (epochs.isEmpty()) {
            throw new IllegalStateException("History is empty");
        }
        return epochs.get(epochs.size() - 1);
    }

    /** Header line plus one row per epoch. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(EpochStats.CSV_HEADER).append('\n');
        for (EpochStats s : epochs) {
            sb.append(s.toCsv()).append('\n');
        }
        return sb.toString();
    }

    /** Parses {@link #toCsv()} output. */
    public static History parseCsv(String csv) {
        History h = new History();
        String[] lines = csv.split("\n");
        if (lines.length == 0 || !lines[0].trim().equals(EpochStats.CSV_HEADER)) {
            throw new IllegalArgumentException("History CSV must start with the header '" + EpochStats.CSV_HEADER + "'");
        }
        for (int k = 1; k < lines.length; k++) {
            if (!lines[k].isBlank()) {
                h.add(EpochStats.parseCsv(lines[k]));
            }
        }
        return h;
    }

    /** Writes {@link #toCsv()} to {@code file} (temporary file, then rename). */
    public void writeCsv(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, toCsv());
            AtomicFiles.move(tmp, abs);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
