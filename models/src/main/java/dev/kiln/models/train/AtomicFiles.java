package dev.kiln.models.train;

import dev.kiln.io.AtomicWrite;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a run's output files through {@link AtomicWrite}: temporary file, fsync, rename, fsync of the directory. */
public final class AtomicFiles {

    /** What writes the file's bytes. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    public static void write(Path file, Writer writer) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        AtomicWrite.write(file, writer::write);
    }
}
