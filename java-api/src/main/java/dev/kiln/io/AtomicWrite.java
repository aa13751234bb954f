package dev.kiln.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Replaces a file so that a reader, or the file system after a crash, sees the old content or
 * the new one, never a mix: the bytes go to a temporary file beside the target
 * ({@code <name>.<16 hex digits>.tmp}, created with the permissions the umask gives a new
 * file), the file is forced to the disk, renamed over the target (atomically where the file
 * system allows), and then the directory is forced so that the rename itself is durable.
 *
 * <pre>{@code
 * AtomicWrite.write(Path.of("runs/dnn-iris/history.csv"), out -> out.write(csv.getBytes(UTF_8)));
 * }</pre>
 *
 * <p>A process killed between the creation of the temporary file and the rename leaves it behind;
 * {@link #isLeftover(String)} recognises such names so that the next run in that directory can
 * remove them.
 */
public final class AtomicWrite {

    /** What writes the file's bytes. */
    @FunctionalInterface
    public interface Body {
        void write(OutputStream out) throws IOException;
    }

    /** How written data is made durable: the file before the rename, its directory after it. */
    public interface Sync {
        /** Forces the temporary file's content and metadata to the disk (called before the rename). */
        void file(FileChannel channel) throws IOException;

        /** Forces the directory entry of the renamed file to the disk (called after the rename). */
        void directory(Path dir) throws IOException;
    }

    /**
     * {@link FileChannel#force(boolean)} on the file, then on the directory. A directory that
     * cannot be opened for reading (file systems and platforms without directory sync) is skipped.
     */
    public static final Sync FORCE = new Sync() {
        @Override
        public void file(FileChannel channel) throws IOException {
            channel.force(true);
        }

        @Override
        public void directory(Path dir) throws IOException {
            FileChannel ch;
            try {
                ch = FileChannel.open(dir, StandardOpenOption.READ);
            } catch (IOException | UnsupportedOperationException e) {
                return;
            }
            try (ch) {
                ch.force(true);
            } catch (IOException e) {
                // Some file systems refuse fsync on a directory (EINVAL); the rename is then as durable as they make it.
            }
        }
    };

    /** Temporary names written here ({@code .<16 hex>.tmp}) and by {@link Files#createTempFile} ({@code <digits>.tmp}). */
    private static final Pattern LEFTOVER = Pattern.compile(".+(\\.[0-9a-f]{16}|[0-9]+)\\.tmp");
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicWrite() {
    }

    /** Writes {@code target} through a temporary file with {@link #FORCE}; creates missing parent directories. */
    public static void write(Path target, Body body) throws IOException {
        write(target, body, FORCE);
    }

    /**
     * Writes {@code target} through a temporary file, syncing with {@code sync}; on any failure the
     * temporary file is deleted and the previous {@code target}, if any, is untouched.
     */
    public static void write(Path target, Body body, Sync sync) throws IOException {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(sync, "sync");
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        byte[] suffix = new byte[8];
        RANDOM.nextBytes(suffix);
        Path tmp = dir.resolve(abs.getFileName() + "." + HexFormat.of().formatHex(suffix) + ".tmp");
        try {
            // CREATE_NEW without explicit attributes: the permissions come from the umask, like any new file.
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                body.write(new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        out.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void flush() throws IOException {
                        out.flush();
                    }

                    @Override
                    public void close() throws IOException {
                        out.flush(); // the channel stays open until it has been synced
                    }
                });
                out.flush();
                sync.file(ch);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            sync.directory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * True when {@code fileName} has the form of a temporary file of an interrupted write (this
     * class's {@code <name>.<16 hex digits>.tmp}, or {@code <name><digits>.tmp} of
     * {@link Files#createTempFile}).
     */
    public static boolean isLeftover(String fileName) {
        return LEFTOVER.matcher(fileName).matches();
    }
}
