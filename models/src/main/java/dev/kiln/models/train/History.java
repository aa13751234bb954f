package dev.kiln.models.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-epoch values of one training run, in epoch order, with the same columns in every row (those
 * of the first); serialises to CSV ({@code epoch,<columns...>}) for {@code history.csv} and checkpoints.
 */
public final class History {

    private final List<EpochStats> epochs = new ArrayList<>();

    public History() {
    }

    /** Appends the next epoch; epochs must arrive in order 1, 2, 3, … with the first row's columns. */
    public void add(EpochStats s) {
        int expected = epochs.size() + 1;
        if (s.epoch() != expected) {
            throw new IllegalArgumentException("History expects epoch " + expected + ", got " + s.epoch());
        }
        if (!epochs.isEmpty() && !epochs.get(0).values().keySet().equals(s.values().keySet())) {
            throw new IllegalArgumentException("Epoch " + s.epoch() + " has columns " + s.values().keySet() + ", the history "
                    + epochs.get(0).values().keySet());
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

    /** The columns after {@code epoch} (empty while the history is). */
    public List<String> columns() {
        return epochs.isEmpty() ? List.of() : List.copyOf(epochs.get(0).values().keySet());
    }

    /** Header line plus one row per epoch; an empty history is the header {@code epoch} alone. */
    public String toCsv() {
        List<String> cols = columns();
        StringBuilder sb = new StringBuilder("epoch");
        cols.forEach(c -> sb.append(',').append(c));
        sb.append('\n');
        for (EpochStats s : epochs) {
            sb.append(s.epoch());
            for (String c : cols) {
                sb.append(',').append(s.values().get(c));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Parses {@link #toCsv()} output. */
    public static History parseCsv(String csv) {
        // -1 keeps empty fields: "\n" or "," must be refused as malformed, not split into nothing.
        String[] lines = csv.split("\n", -1);
        String[] head = lines[0].trim().split(",", -1);
        if (!head[0].equals("epoch")) {
            throw new IllegalArgumentException("History CSV must start with a header whose first column is 'epoch', got '"
                    + lines[0] + "'");
        }
        if (new java.util.HashSet<>(Arrays.asList(head)).size() != head.length || Arrays.asList(head).contains("")) {
            throw new IllegalArgumentException("History CSV header '" + lines[0].trim() + "' has an empty or repeated column name");
        }
        History h = new History();
        for (int k = 1; k < lines.length; k++) {
            if (lines[k].isBlank()) {
                continue;
            }
            String[] f = lines[k].trim().split(",", -1);
            if (f.length != head.length) {
                throw new IllegalArgumentException("Expected " + head.length + " comma-separated fields (" + lines[0].trim()
                        + "), got " + f.length + " in '" + lines[k] + "'");
            }
            try {
                Map<String, Double> values = new LinkedHashMap<>();
                for (int c = 1; c < f.length; c++) {
                    values.put(head[c], Double.parseDouble(f[c]));
                }
                h.add(new EpochStats(Integer.parseInt(f[0]), values));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Bad number in history row '" + lines[k] + "': " + e.getMessage());
            }
        }
        return h;
    }

    /** Writes {@link #toCsv()} to {@code file} (temporary file, then rename). */
    public void writeCsv(Path file) throws IOException {
        AtomicFiles.write(file, out -> out.write(toCsv().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
