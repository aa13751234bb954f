package dev.kiln.models.train;

import dev.kiln.io.AtomicWrite;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A training run's output directory ({@code --out}), held for the length of the run.
 *
 * <p>{@link #open} checks the directory before any data is loaded: a path that is a file, or a
 * place that cannot be created or written, fails naming the reason; a directory that already holds
 * files is refused unless the run resumes it or {@code overwrite} is set, so that running the
 * same command twice never replaces the previous run's checkpoint silently. It then takes an
 * exclusive lock ({@value #LOCK_FILE}, which stays in the directory), so two runs never write to
 * the same directory, and, holding it, removes the temporary files of writes that an earlier,
 * interrupted run left behind ({@link AtomicWrite#isLeftover}).
 *
 * <pre>{@code
 * try (RunDirectory out = RunDirectory.open(Path.of("runs/dnn-iris"), false, false, System.err)) {
 *     model.train(request);
 * }
 * }</pre>
 */
public final class RunDirectory implements AutoCloseable {

    /** The lock file inside the directory; it does not count as a run's file. */
    public static final String LOCK_FILE = ".kiln-lock";

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private RunDirectory(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Checks, creates (unless resuming) and locks {@code dir}, and removes leftover temporary files.
     *
     * @param resume    the run continues the checkpoint in {@code dir}
     * @param overwrite the run may replace the files of an earlier run in {@code dir}
     * @param log       where the removal of leftovers is reported, or null
     * @throws IOException naming {@code dir} and the reason when it cannot be used
     */
    public static RunDirectory open(Path dir, boolean resume, boolean overwrite, PrintStream log) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException("--out " + dir + " is a file, not a directory; name a directory (it is created if missing)");
        }
        if (resume && !Files.isDirectory(dir)) {
            throw new IOException("Cannot resume: no run directory " + dir + " (run once without --resume to create it)");
        }
        try {
            Files.createDirectories(dir);
        } catch (FileSystemException e) {
            throw new IOException("Cannot create the --out directory " + dir + ": " + explain(e), e);
        } catch (ReadOnlyFileSystemException e) {
            throw new IOException("Cannot create the --out directory " + dir + ": read-only file system", e);
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (FileSystemException e) {
            throw new IOException("Cannot write to the --out directory " + dir + ": " + explain(e), e);
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new IOException("Another kiln run is writing to " + dir + "; wait for it to end or choose another --out");
        }
        RunDirectory rd = new RunDirectory(dir, ch, lock);
        try {
            rd.removeLeftovers(log);
            List<String> files = rd.runFiles();
            if (!resume && !overwrite && !files.isEmpty()) {
                throw new IOException("--out " + dir + " already holds an earlier run (" + String.join(", ", files.subList(0,
                        Math.min(files.size(), 5))) + (files.size() > 5 ? ", ..." : "") + "); pass --resume to continue it, "
                        + "--overwrite to replace it, or another --out");
            }
            return rd;
        } catch (IOException | RuntimeException e) {
            rd.close();
            throw e;
        }
    }

    /** The directory. */
    public Path dir() {
        return dir;
    }

    /** The names in the directory other than the lock file, sorted. */
    private List<String> runFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(LOCK_FILE)).sorted().collect(Collectors.toList());
        }
    }

    /** Deletes temporary files of interrupted writes; safe because this process holds the directory's lock. */
    private void removeLeftovers(PrintStream log) throws IOException {
        List<Path> leftovers = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> AtomicWrite.isLeftover(p.getFileName().toString()) && Files.isRegularFile(p)).forEach(leftovers::add);
        }
        for (Path p : leftovers) {
            Files.deleteIfExists(p);
        }
        if (!leftovers.isEmpty() && log != null) {
            log.println("kiln: removed " + leftovers.size() + " temporary file" + (leftovers.size() == 1 ? "" : "s")
                    + " of an interrupted run from " + dir);
            log.flush();
        }
    }

    /** Releases the lock (the lock file stays). */
    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            lockChannel.close();
        }
    }

    /**
     * The reason of a file-system error in words, with the path it concerns: Java's messages are
     * often the path alone ({@code FileAlreadyExistsException: runs}).
     */
    public static String explain(FileSystemException e) {
        String reason = e.getReason();
        if (reason == null) {
            if (e instanceof AccessDeniedException) {
                reason = "permission denied";
            } else if (e instanceof NoSuchFileException) {
                reason = "no such file or directory";
            } else if (e instanceof FileAlreadyExistsException) {
                reason = "a file of that name exists and is not a directory";
            } else if (e instanceof NotDirectoryException) {
                reason = "not a directory";
            } else if (e instanceof DirectoryNotEmptyException) {
                reason = "directory not empty";
            } else {
                reason = e.getClass().getSimpleName();
            }
        }
        String where = e.getFile() == null ? "" : e.getFile();
        if (e.getOtherFile() != null) {
            where += " -> " + e.getOtherFile();
        }
        return where.isEmpty() ? reason : where + ": " + reason;
    }
}
