package dev.kiln.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.data.CorruptDataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFileTest {

    @TempDir
    Path tmp;

    @Test
    void readsUtf8() throws IOException {
        Path f = Files.write(tmp.resolve("t.txt"), "héllo\nwörld ✓ 𝄞\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("héllo\nwörld ✓ 𝄞\n", TextFile.load(f));
    }

    @Test
    void dropsAByteOrderMark() throws IOException {
        Path f = Files.write(tmp.resolve("bom.txt"), new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'h', 'i'});
        assertEquals("hi", TextFile.load(f));
    }

    @Test
    void emptyFileIsAnErrorNamingIt() throws IOException {
        Path f = Files.write(tmp.resolve("empty.txt"), new byte[0]);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> TextFile.load(f));
        assertTrue(e.getMessage().startsWith(f + ": the text file is empty"), e.getMessage());
        assertEquals(f, e.path());
        Path bomOnly = Files.write(tmp.resolve("bom.txt"), new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        e = assertThrows(CorruptDataException.class, () -> TextFile.load(bomOnly));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void invalidUtf8IsAnErrorWithTheOffset() throws IOException {
        byte[] bytes = {'a', 'b', '\n', 'c', (byte) 0xFF, 'd'};
        Path f = Files.write(tmp.resolve("bad.txt"), bytes);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> TextFile.load(f));
        String m = e.getMessage();
        assertTrue(m.startsWith(f + ": is not valid UTF-8"), m);
        assertTrue(m.contains("0xFF at byte offset 4 (line 2)"), m);
        // Latin-1 é, and a truncated multi-byte sequence at the end
        Path latin1 = Files.write(tmp.resolve("latin1.txt"), "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
        e = assertThrows(CorruptDataException.class, () -> TextFile.load(latin1));
        assertTrue(e.getMessage().contains("byte offset 3"), e.getMessage());
        Path cut = Files.write(tmp.resolve("cut.txt"), new byte[] {'x', (byte) 0xE2, (byte) 0x9C});
        e = assertThrows(CorruptDataException.class, () -> TextFile.load(cut));
        assertTrue(e.getMessage().contains("byte offset 1"), e.getMessage());
    }

    @Test
    void missingFileAndDirectory() {
        Path f = tmp.resolve("nope.txt");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> TextFile.load(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        IOException d = assertThrows(IOException.class, () -> TextFile.load(tmp));
        assertTrue(d.getMessage().contains("is a directory"), d.getMessage());
    }

    @Test
    void splitAtALineBreak() {
        String text = "aaaa\nbbbb\ncccc\ndddd\n";
        TextSplit s = TextFile.split(text, 0.3);
        assertEquals(text, s.train() + s.heldOut());
        assertEquals("dddd\n", s.heldOut());
        TextSplit noBreak = TextFile.split("abcdefghij", 0.2);
        assertEquals("abcdefgh", noBreak.train());
        assertEquals("ij", noBreak.heldOut());
        assertThrows(IllegalArgumentException.class, () -> TextFile.split(text, 0));
        assertThrows(IllegalArgumentException.class, () -> TextFile.split(text, 1));
        assertThrows(IllegalArgumentException.class, () -> TextFile.split("a", 0.5));
    }

    @Test
    void stats() {
        TextStats s = TextStats.of("In the  beginning\nGod 𝄞\n");
        assertEquals(2, s.lines());
        assertEquals(5, s.words());
        assertEquals(24, s.chars());
        assertEquals(14, s.distinctChars());
        assertEquals(TextStats.of("ab").lines(), 1);
    }
}
