package dev.kiln.io;

import dev.kiln.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Atomic replacement: durable (file synced before the rename, directory after), umask permissions, no leftovers. */
class AtomicWriteTest {

    @TempDir
    Path dir;

    /** Records the order of syncs and renames as seen from the file system. */
    private static final class Recorder implements AtomicWrite.Sync {
        final List<String> events = new ArrayList<>();
        final Path target;

        Recorder(Path target) {
            this.target = target;
        }

        @Override
        public void file(FileChannel channel) throws IOException {
            events.add("file size=" + channel.size() + " target=" + (Files.exists(target) ? Files.readString(target) : "-"));
        }

        @Override
        public void directory(Path d) throws IOException {
            events.add("dir " + d.getFileName() + " target=" + Files.readString(target));
        }
    }

    @Test
    void theFileIsSyncedBeforeTheRenameAndTheDirectoryAfter() throws IOException {
        Path p = dir.resolve("out.txt");
        Files.writeString(p, "old");
        Recorder r = new Recorder(p);
        AtomicWrite.write(p, out -> out.write("new!".getBytes(StandardCharsets.UTF_8)), r);
        assertEquals(List.of("file size=4 target=old", "dir " + dir.getFileName() + " target=new!"), r.events);
        assertEquals("new!", Files.readString(p));
    }

    @Test
    void theDefaultSyncForcesFileAndDirectoryWithoutError() throws IOException {
        Path p = dir.resolve("a/b/c.bin");
        AtomicWrite.write(p, out -> out.write(new byte[] {1, 2, 3}));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(p));
    }

    @Test
    void outputsGetTheUmaskPermissionsOfAnyNewFile() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path reference = Files.createFile(dir.resolve("reference")); // permissions from the umask
        Set<PosixFilePermission> umask = Files.getPosixFilePermissions(reference);
        assumeTrue(umask.contains(PosixFilePermission.GROUP_READ) || umask.contains(PosixFilePermission.OTHERS_READ),
                "a umask that lets others read (with 077 every file is 0600 anyway)");
        Path p = dir.resolve("out.txt");
        AtomicWrite.write(p, out -> out.write('x'));
        assertEquals(umask, Files.getPosixFilePermissions(p));
        Path kiln = dir.resolve("t.kiln");
        TensorFile.save(kiln, Map.of("a", Tensor.ones(2)), Map.of());
        assertEquals(umask, Files.getPosixFilePermissions(kiln), "tensor files too (they were 0600)");
        assertNotEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(kiln));
    }

    @Test
    void aFailingBodyLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path p = dir.resolve("out.txt");
        Files.writeString(p, "old");
        assertThrows(IOException.class, () -> AtomicWrite.write(p, out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(p));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(p), s.toList());
        }
    }

    @Test
    void leftoverNamesAreRecognised() {
        assertTrue(AtomicWrite.isLeftover("checkpoint.kiln.0123456789abcdef.tmp"));
        assertTrue(AtomicWrite.isLeftover("history.csv8461735683744.tmp"), "Files.createTempFile's form");
        assertFalse(AtomicWrite.isLeftover("checkpoint.kiln"));
        assertFalse(AtomicWrite.isLeftover("notes.tmp"));
        assertFalse(AtomicWrite.isLeftover("x.0123456789ABCDEF.tmp"));
    }
}
