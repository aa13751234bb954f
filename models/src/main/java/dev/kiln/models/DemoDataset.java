package dev.kiln.models;

import java.util.Objects;

/**
 * A dataset {@code kiln demo} would run a model on, and whether it can: the demo never downloads,
 * so a dataset whose files are not on this machine is skipped, and the demo says why and prints
 * the one command that gets it.
 *
 * @param name    the {@code --dataset} value
 * @param missing null when the data is here; else why the run is skipped
 * @param getIt   null when the data is here; else the command that puts it on this machine
 */
public record DemoDataset(String name, String missing, String getIt) {

    public DemoDataset {
        Objects.requireNonNull(name, "name");
        if ((missing == null) != (getIt == null)) {
            throw new IllegalArgumentException("A skipped dataset needs both the reason and the command that gets it");
        }
    }

    /** A dataset the demo can run (embedded, generated, or found on this machine). */
    public static DemoDataset available(String name) {
        return new DemoDataset(name, null, null);
    }

    /** A dataset the demo skips, with the reason and the command that gets it. */
    public static DemoDataset skipped(String name, String missing, String getIt) {
        return new DemoDataset(name, Objects.requireNonNull(missing, "missing"), Objects.requireNonNull(getIt, "getIt"));
    }

    /** Whether the demo runs it. */
    public boolean isAvailable() {
        return missing == null;
    }
}
