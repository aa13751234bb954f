package dev.kiln.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real text, through Debian's {@code bible} program; skipped when bible-kjv is not installed. */
class KjvRealCorpusTest {

    @TempDir
    static Path cache;

    static KjvCorpus kjv;

    @BeforeAll
    static void load() throws IOException {
        assumeTrue(Files.isExecutable(KjvCorpus.DEBIAN_BIBLE) && Files.isRegularFile(Path.of("/usr/lib/bible.data")),
                "the King James Bible is not installed (sudo apt-get install bible-kjv bible-kjv-text)");
        // a private cache so the test neither reads nor writes the user's ~/.kiln
        kjv = KjvCorpus.loader().environment(Map.of()).cacheRoot(cache).load();
    }

    @Test
    void corpusStatistics() throws IOException {
        assertTrue(kjv.source().startsWith("Debian package bible-kjv"), kjv.source());
        assertEquals(KjvBook.TOTAL_VERSES, kjv.verses().size());
        assertEquals(66, kjv.books().size());
        Map<KjvBook, Integer> perBook = new EnumMap<>(KjvBook.class);
        for (KjvCorpus.Verse v : kjv.verses()) {
            perBook.merge(v.book(), 1, Integer::sum);
        }
        for (KjvBook b : KjvBook.values()) {
            assertEquals(b.verses(), perBook.get(b), b.title());
        }
        TextStats s = kjv.stats();
        System.out.println("KJV: " + s + " from " + kjv.source());
        assertEquals(31_102, s.lines());
        assertEquals(789_634, s.words());
        assertEquals(4_137_850, s.chars());
        assertEquals(63, s.distinctChars());
        assertEquals("In the beginning God created the heaven and the earth.", kjv.verses().get(0).text());
        assertEquals("Rev22:21", kjv.verses().get(KjvBook.TOTAL_VERSES - 1).reference());

        // the cache was written and reads back the same
        KjvCorpus cached = KjvCorpus.loader().environment(Map.of()).cacheRoot(cache)
                .bibleProgram(cache.resolve("none")).load();
        assertEquals(cache.resolve("kjv").resolve("kjv.txt").toString(), cached.source());
        assertEquals(kjv.text(), cached.text());
        // the plain form (bible -f … | cut -d' ' -f2-) parses to the same books
        KjvCorpus plain = KjvCorpus.parse(kjv.text(), null);
        assertEquals(kjv.text(KjvCorpus.HELD_OUT_BOOKS), plain.text(KjvCorpus.HELD_OUT_BOOKS));
    }

    @Test
    void heldOutBooksAndUnigramBaseline() {
        TextSplit s = kjv.split();
        System.out.println("KJV split: " + s);
        assertEquals(3_984_845, s.train().length());
        assertEquals(153_005, s.heldOut().length());
        assertEquals("Hebrews, James, 1 Peter, 2 Peter, 1 John, 2 John, 3 John, Jude, Revelation (9 books, 153,005 characters)",
                s.description());
        assertTrue(s.heldOut().startsWith("God, who at sundry times"));
        assertTrue(s.train().endsWith("The grace of our Lord Jesus Christ be with your spirit. Amen.\n"));
        double bpc = UnigramModel.bitsPerChar(s.train(), s.heldOut());
        System.out.printf("KJV unigram (add-one) bits/char on held-out books: %.4f%n", bpc);
        assertEquals(4.3140, bpc, 5e-4);

        CharVocab chars = CharVocab.build(s.train(), false);
        assertEquals(63, chars.size());
        assertEquals(s.heldOut(), chars.decode(chars.encode(s.heldOut())), "no held-out character is unseen");
        WordVocab words = WordVocab.build(s.train(), 5);
        System.out.println("KJV word vocabulary (min count 5, train): " + words + "; top: "
                + List.of(words.token(1), words.token(2), words.token(3), words.token(4)));
        assertEquals(",", words.token(1));
        assertEquals("the", words.token(2));
    }
}
