package dev.kiln;

import java.util.Locale;

/**
 * A backend's device memory at one moment, in bytes: held by open tensors ({@code live}), kept by
 * a caching allocator for reuse ({@code cached}), and the highest {@code live} so far
 * ({@code peak}).
 */
public record MemoryStats(long live, long cached, long peak) {

    /** {@code live 1.2 MiB, cached 3.0 MiB, peak 4.1 MiB}. */
    @Override
    public String toString() {
        return "live " + mib(live) + ", cached " + mib(cached) + ", peak " + mib(peak);
    }

    /** Bytes as MiB with one decimal. */
    public static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
