package dev.kiln.models.train;

import dev.kiln.io.AtomicWrite;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/** Writes a run's output files through {@link AtomicWrite}: temporary file, fsync, rename, fsync of the directory. */
final class AtomicFiles {

    /** What writes the file's bytes. */
    @FunctionalInterface
    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    static void write(Path file, Writer writer) throws IOException {
        AtomicWrite.write(file, writer::write);
    }
}
