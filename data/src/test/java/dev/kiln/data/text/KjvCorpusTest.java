package dev.kiln.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.data.CorruptDataException;
import dev.kiln.data.DatasetNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KjvCorpusTest {

    @TempDir
    Path tmp;

    static String fixture() throws IOException {
        try (InputStream in = KjvCorpusTest.class.getResourceAsStream("kjv-fixture.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Path fixtureFile(Path dir) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve(KjvCorpus.FILE), fixture());
    }

    /** What {@code cut -d' ' -f2-} makes of the fixture. */
    private static String cut(String referenced) {
        StringBuilder sb = new StringBuilder();
        for (String line : referenced.split("\n")) {
            sb.append(line, line.indexOf(' ') + 1, line.length()).append('\n');
        }
        return sb.toString();
    }

    @Test
    void parsesTheDebianReferenceFormat() throws IOException {
        KjvCorpus c = KjvCorpus.parse(fixture(), null);
        assertEquals(15, c.verses().size());
        assertEquals(List.of(KjvBook.GENESIS, KjvBook.MATTHEW, KjvBook.MARK, KjvBook.HEBREWS, KjvBook.JUDE,
                KjvBook.REVELATION), c.books());
        KjvCorpus.Verse first = c.verses().get(0);
        assertEquals(KjvBook.GENESIS, first.book());
        assertEquals(1, first.chapter());
        assertEquals(1, first.verse());
        assertEquals("In the beginning God created the heaven and the earth.", first.text());
        assertEquals("Ge1:1", first.reference());
        KjvCorpus.Verse mark = c.verses().get(7);
        assertEquals("Mark10:19", mark.reference());
        assertTrue(mark.text().endsWith("mother. "), "trailing space kept as in the source");
        KjvCorpus.Verse last = c.verses().get(14);
        assertEquals(KjvBook.REVELATION, last.book());
        assertEquals(22, last.chapter());
        assertEquals(21, last.verse());
        assertEquals(cut(fixture()), c.text());
        assertEquals(fixture(), c.toFileFormat());
        TextStats s = c.stats();
        assertEquals(15, s.lines());
        assertEquals(297, s.words());
        assertEquals(1562, s.chars());
    }

    @Test
    void acceptsCrlfAndFullBookNames() throws IOException {
        KjvCorpus c = KjvCorpus.parse("Genesis1:1 In the beginning.\r\n1Samuel3:4 That the LORD called Samuel:\r\n", null);
        assertEquals(List.of(KjvBook.GENESIS, KjvBook.FIRST_SAMUEL), c.books());
        assertEquals("In the beginning.\nThat the LORD called Samuel:\n", c.text());
    }

    @Test
    void defaultSplitHoldsOutHebrewsToRevelation() throws IOException {
        KjvCorpus c = KjvCorpus.parse(fixture(), null);
        TextSplit s = c.split();
        String all = c.text();
        String[] lines = all.split("\n");
        StringBuilder train = new StringBuilder();
        StringBuilder held = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            (i < 8 ? train : held).append(lines[i]).append('\n');
        }
        assertEquals(train.toString(), s.train());
        assertEquals(held.toString(), s.heldOut());
        assertEquals(all.length(), s.train().length() + s.heldOut().length());
        assertTrue(s.description().startsWith("Hebrews, Jude, Revelation (3 books, "), s.description());
        assertTrue(s.heldOut().startsWith("God, who at sundry times"));
        assertEquals(9, KjvCorpus.HELD_OUT_BOOKS.size());
        assertTrue(KjvCorpus.HELD_OUT_BOOKS.contains(KjvBook.JAMES));
        assertFalse(KjvCorpus.HELD_OUT_BOOKS.contains(KjvBook.PHILEMON));
    }

    @Test
    void otherSplitsByBook() throws IOException {
        KjvCorpus c = KjvCorpus.parse(fixture(), null);
        TextSplit last2 = c.splitLastBooks(2);
        assertTrue(last2.heldOut().startsWith("Jude, the servant"));
        assertTrue(last2.train().endsWith("appointed heir of all things, by whom also he made the worlds;\n"));
        assertTrue(last2.description().startsWith("Jude, Revelation (2 books"));
        TextSplit gen = c.split(List.of(KjvBook.GENESIS));
        assertTrue(gen.heldOut().startsWith("In the beginning"));
        assertTrue(gen.train().startsWith("The book of the generation"));
        assertEquals(c.text(List.of(KjvBook.GENESIS)), gen.heldOut());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.split(List.of(KjvBook.JOB)));
        assertTrue(e.getMessage().contains("JOB"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.splitLastBooks(6));
        assertThrows(IllegalArgumentException.class, () -> c.splitLastBooks(0));
    }

    @Test
    void plainFormatNeedsAllVerses() throws IOException {
        // 31,102 lines without references: books assigned by their verse counts
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < KjvBook.TOTAL_VERSES; i++) {
            sb.append("verse ").append(i).append('\n');
        }
        KjvCorpus c = KjvCorpus.parse(sb.toString(), null);
        assertEquals(66, c.books().size());
        assertEquals(KjvBook.GENESIS, c.verses().get(1532).book());
        assertEquals(1533, c.verses().get(1532).verse());
        assertEquals(KjvBook.EXODUS, c.verses().get(1533).book());
        assertEquals(KjvBook.REVELATION, c.verses().get(KjvBook.TOTAL_VERSES - 1).book());
        assertEquals(404, c.verses().get(KjvBook.TOTAL_VERSES - 1).verse());
        assertEquals(sb.toString(), c.text());

        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> KjvCorpus.parse("In the beginning\nAnd the earth\n", Path.of("x.txt")));
        assertTrue(e.getMessage().startsWith("x.txt: has 2 lines"), e.getMessage());
        assertTrue(e.getMessage().contains("31102"), e.getMessage());
    }

    @Test
    void badLinesAreNamed() {
        Path f = Path.of("kjv.txt");
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> KjvCorpus.parse("Ge1:1 In the beginning\nno reference here\n", f));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertTrue(e.getMessage().contains("no reference here"), e.getMessage());
        e = assertThrows(CorruptDataException.class, () -> KjvCorpus.parse("Ge1:1 a\nFoo2:3 b\n", f));
        assertTrue(e.getMessage().contains("unknown book 'Foo'"), e.getMessage());
        e = assertThrows(CorruptDataException.class, () -> KjvCorpus.parse("Ge51:1 a\n", f));
        assertTrue(e.getMessage().contains("Genesis 51:1 does not exist"), e.getMessage());
        e = assertThrows(CorruptDataException.class, () -> KjvCorpus.parse("\n", f));
        assertTrue(e.getMessage().contains("no verses"), e.getMessage());
    }

    @Test
    void explicitFileAndDirectory() throws IOException {
        Path file = fixtureFile(tmp.resolve("a"));
        KjvCorpus c = KjvCorpus.loader().data(file).environment(Map.of()).cacheRoot(tmp.resolve("cache")).load();
        assertEquals(15, c.verses().size());
        assertEquals(file.toString(), c.source());
        // DIR/kjv/kjv.txt
        fixtureFile(tmp.resolve("b").resolve(KjvCorpus.NAME));
        c = KjvCorpus.loader().data(tmp.resolve("b")).environment(Map.of()).cacheRoot(tmp.resolve("cache")).load();
        assertEquals(15, c.verses().size());
        // DIR/kjv.txt
        c = KjvCorpus.loader().data(tmp.resolve("a")).environment(Map.of()).cacheRoot(tmp.resolve("cache")).load();
        assertEquals(15, c.verses().size());
    }

    @Test
    void explicitPathWithoutTheTextStopsThere() throws IOException {
        Path cache = tmp.resolve("cache");
        fixtureFile(cache.resolve(KjvCorpus.NAME));   // present, but must not be used
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class,
                () -> KjvCorpus.loader().data(empty).environment(Map.of()).cacheRoot(cache).load());
        String m = e.getMessage();
        assertTrue(m.contains(empty.resolve("kjv").resolve("kjv.txt") + ": does not exist"), m);
        assertTrue(m.contains(empty.resolve("kjv.txt") + ": does not exist"), m);
        assertFalse(m.contains(cache.toString()), m);
        assertTrue(m.contains("sudo apt-get install bible-kjv bible-kjv-text"), m);
    }

    @Test
    void environmentVariableThenCache() throws IOException {
        Path env = tmp.resolve("env");
        fixtureFile(env);
        Path noBible = tmp.resolve("no-such-bible");
        KjvCorpus c = KjvCorpus.loader().environment(Map.of("KILN_DATA", env.toString()))
                .cacheRoot(tmp.resolve("cache")).bibleProgram(noBible).load();
        assertEquals(env.resolve("kjv.txt").toString(), c.source());

        Path cache = tmp.resolve("cache2");
        Path cached = fixtureFile(cache.resolve(KjvCorpus.NAME));
        c = KjvCorpus.loader().environment(Map.of()).cacheRoot(cache).bibleProgram(noBible).load();
        assertEquals(cached.toString(), c.source());
    }

    @Test
    void missingDataListsEveryPlace() {
        Path cache = tmp.resolve("cache");
        Path env = tmp.resolve("env");
        Path noBible = tmp.resolve("no-such-bible");
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class,
                () -> KjvCorpus.loader().environment(Map.of("KILN_DATA", env.toString())).cacheRoot(cache)
                        .bibleProgram(noBible).load());
        String m = e.getMessage();
        assertTrue(m.startsWith("kjv: cannot find the King James Bible text (kjv.txt). Looked in:"), m);
        assertTrue(m.contains(env.resolve("kjv").resolve("kjv.txt") + ": does not exist"), m);
        assertTrue(m.contains(env.resolve("kjv.txt") + ": does not exist"), m);
        assertTrue(m.contains(cache.resolve("kjv").resolve("kjv.txt") + ": does not exist"), m);
        assertTrue(m.contains("Debian package bible-kjv: no 'bible' program"), m);
        assertTrue(m.contains("sudo apt-get install bible-kjv bible-kjv-text"), m);
        assertTrue(m.contains("--data DIR or set KILN_DATA=DIR"), m);

        e = assertThrows(DatasetNotFoundException.class,
                () -> KjvCorpus.loader().environment(Map.of()).cacheRoot(cache).useDebianPackage(false).load());
        assertTrue(e.getMessage().contains("$KILN_DATA: not set"), e.getMessage());
    }

    private Path fakeBible(String script) throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh for a stand-in 'bible' program");
        Path p = tmp.resolve("bin").resolve("bible");
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n" + script);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void runsTheBibleProgramAndCachesItsOutput() throws IOException {
        Path fixture = fixtureFile(tmp.resolve("src"));
        Path args = tmp.resolve("args");
        Path bible = fakeBible("echo \"$@\" > '" + args + "'\ncat '" + fixture + "'\n");
        Path cache = tmp.resolve("cache");
        KjvCorpus c = KjvCorpus.loader().environment(Map.of("PATH", bible.getParent().toString()))
                .cacheRoot(cache).load();
        assertEquals(15, c.verses().size());
        assertTrue(c.source().startsWith("Debian package bible-kjv"), c.source());
        assertEquals("-f Gen1:1-Rev22:21", Files.readString(args).strip());
        Path cached = cache.resolve("kjv").resolve("kjv.txt");
        assertEquals(fixture(), Files.readString(cached));
        try (var files = Files.list(cache.resolve("kjv"))) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
        // the next load reads the cache, without the program
        KjvCorpus again = KjvCorpus.loader().environment(Map.of()).cacheRoot(cache)
                .bibleProgram(tmp.resolve("gone")).load();
        assertEquals(cached.toString(), again.source());
        assertEquals(c.text(), again.text());

        // a damaged cache is skipped and rewritten
        Files.writeString(cached, "garbage\n");
        KjvCorpus healed = KjvCorpus.loader().environment(Map.of()).cacheRoot(cache).bibleProgram(bible).load();
        assertEquals(c.text(), healed.text());
        assertEquals(fixture(), Files.readString(cached));
    }

    @Test
    void aFailingBibleProgramIsReported() throws IOException {
        Path bible = fakeBible("echo 'cannot open bible.data' >&2\nexit 3\n");
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class,
                () -> KjvCorpus.loader().environment(Map.of()).cacheRoot(tmp.resolve("cache")).bibleProgram(bible).load());
        assertTrue(e.getMessage().contains("exited with status 3: cannot open bible.data"), e.getMessage());

        Path partial = fakeBible("echo 'Ge1:1 In the beginning.'\n");
        e = assertThrows(DatasetNotFoundException.class,
                () -> KjvCorpus.loader().environment(Map.of()).cacheRoot(tmp.resolve("cache")).bibleProgram(partial).load());
        assertTrue(e.getMessage().contains("printed Ge1:1 to Ge1:1, expected Ge1:1 to Rev22:21"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("cache").resolve("kjv").resolve("kjv.txt")));
    }

    @Test
    void bookNames() {
        assertEquals(KjvBook.REVELATION, KjvBook.of("Rev"));
        assertEquals(KjvBook.REVELATION, KjvBook.of("revelation"));
        assertEquals(KjvBook.FIRST_SAMUEL, KjvBook.of("1 Samuel"));
        assertEquals(KjvBook.SONG_OF_SOLOMON, KjvBook.of("SSol"));
        assertEquals(KjvBook.GENESIS, KjvBook.of("Gen"));
        assertThrows(IllegalArgumentException.class, () -> KjvBook.of("Maccabees"));
        int total = 0;
        for (KjvBook b : KjvBook.values()) {
            total += b.verses();
        }
        assertEquals(KjvBook.TOTAL_VERSES, total);
        assertEquals(27, KjvBook.values().length - KjvBook.MATTHEW.ordinal());
    }
}
