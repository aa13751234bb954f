package dev.kiln.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class VocabTest {

    @Test
    void charVocabIdsInCodePointOrder() {
        CharVocab v = CharVocab.build("banana\n", false);
        assertEquals(4, v.size());
        assertEquals(-1, v.unknownId());
        assertEquals(0, v.id('\n'));
        assertEquals(1, v.id('a'));
        assertEquals('n', v.codePoint(3));
        assertArrayEquals(new int[] {2, 1, 3, 1, 3, 1, 0}, v.encode("banana\n"));
        assertEquals("banana\n", v.decode(v.encode("banana\n")));
        assertEquals("n", v.token(3));
    }

    @Test
    void charVocabUnknown() {
        CharVocab v = CharVocab.build("ab", true);
        assertEquals(3, v.size());
        assertEquals(0, v.unknownId());
        assertArrayEquals(new int[] {1, 0, 2}, v.encode("azb"));
        assertEquals("a\uFFFDb", v.decode(new int[] {1, 0, 2}));
        CharVocab strict = CharVocab.build("ab", false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> strict.encode("abz"));
        assertTrue(e.getMessage().contains("'z' (U+007A) at index 2"), e.getMessage());
        assertTrue(e.getMessage().contains("vocabulary of 2 characters"), e.getMessage());
    }

    @Test
    void outOfRangeIdNamesTheIdAndTheSize() {
        CharVocab v = CharVocab.build("abc", false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.decode(new int[] {0, 3}));
        assertTrue(e.getMessage().contains("token id 3 at position 1"), e.getMessage());
        assertTrue(e.getMessage().contains("vocabulary size 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> v.decode(new int[] {-1}));
        assertTrue(e.getMessage().contains("token id -1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> v.token(7));
        WordVocab w = WordVocab.build("a b a", 1);
        e = assertThrows(IllegalArgumentException.class, () -> w.decode(new int[] {1, 99}));
        assertTrue(e.getMessage().contains("token id 99 at position 1"), e.getMessage());
        assertTrue(e.getMessage().contains("vocabulary size 3"), e.getMessage());
    }

    @Test
    void charVocabRoundTripsThroughItsStringForm() {
        for (boolean unk : new boolean[] {false, true}) {
            CharVocab v = CharVocab.build("The LORD's 𝄞 \n\t,é", unk);
            String s = v.serialize();
            assertEquals(1, s.lines().count(), s);
            CharVocab back = CharVocab.parse(s);
            assertEquals(v, back);
            assertEquals(v.size(), back.size());
            assertEquals(v.unknownId(), back.unknownId());
            assertArrayEquals(v.encode("The LORD's 𝄞"), back.encode("The LORD's 𝄞"));
        }
        assertEquals("kiln.CharVocab v1 unk=-1 chars=a 20 41 61", CharVocab.build("a A\n", false).serialize());
        assertThrows(IllegalArgumentException.class, () -> CharVocab.parse("hello"));
        assertThrows(IllegalArgumentException.class, () -> CharVocab.parse("kiln.CharVocab v1 unk=-1 chars=61 41"));
        assertThrows(IllegalArgumentException.class, () -> CharVocab.parse("kiln.CharVocab v1 unk=2 chars=61"));
        assertThrows(IllegalArgumentException.class, () -> CharVocab.parse("kiln.CharVocab v1 unk=0 chars=zz"));
        assertThrows(IllegalArgumentException.class, () -> CharVocab.build("", true));
    }

    @Test
    void tokenizer() {
        assertEquals(List.of("and", "god", "said", ",", "let", "there", "be", "light", ":", "the", "lord's", "day", "."),
                WordVocab.tokenize("And God said, Let there be light: the LORD's day."));
        assertEquals(List.of("(", "selah", ")", "brethren", "'"), WordVocab.tokenize("(Selah)\n brethren'"));
    }

    @Test
    void wordVocabFrequencyOrderAndMinCount() {
        WordVocab v = WordVocab.build("the cat and the dog and the bird.", 2);
        assertEquals(List.of("<unk>", "the", "and"), List.of(v.token(0), v.token(1), v.token(2)));
        assertEquals(3, v.size());
        assertEquals(0, v.unknownId());
        assertEquals(3, v.count(1));
        assertEquals(2, v.count(2));
        assertEquals(4, v.count(0), "cat, dog, bird, '.' fall below minCount");
        assertArrayEquals(new int[] {1, 0, 2, 0, 0}, v.encode("The cow and a horse"));
        WordVocab all = WordVocab.build("b a c a b a, x", 1);
        assertEquals(List.of("a", "b", ",", "c", "x"), List.of(all.token(1), all.token(2), all.token(3), all.token(4),
                all.token(5)), "ties alphabetical");
        WordVocab p = WordVocab.build("( a ) , b .", 1);
        assertEquals("(a), b.", p.decode(p.encode("(A) , B .")));
        assertThrows(IllegalArgumentException.class, () -> WordVocab.build("a", 0));
        assertThrows(IllegalArgumentException.class, () -> WordVocab.build("  \n", 1));
    }

    @Test
    void wordVocabRoundTripsThroughItsStringForm() {
        WordVocab v = WordVocab.build("In the beginning God created the heaven and the earth. And the earth was", 1);
        WordVocab back = WordVocab.parse(v.serialize());
        assertEquals(v, back);
        assertEquals(v.minCount(), back.minCount());
        assertArrayEquals(v.counts(), back.counts());
        assertArrayEquals(v.encode("the earth was void"), back.encode("the earth was void"));
        assertTrue(v.serialize().startsWith("kiln.WordVocab v1 size=" + v.size() + " minCount=1\n<unk>\t0\nthe\t4\n"),
                v.serialize());
        assertThrows(IllegalArgumentException.class, () -> WordVocab.parse("nonsense"));
        assertThrows(IllegalArgumentException.class, () -> WordVocab.parse("kiln.WordVocab v1 size=2 minCount=1\n<unk>\t0\n"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WordVocab.parse("kiln.WordVocab v1 size=2 minCount=1\n<unk>\t0\nthe four\n"));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void unigramBaseline() {
        // train "aab": counts a=2, b=1, c(unseen)=0 over V=3 -> p = 3/6, 2/6, 1/6
        UnigramModel m = UnigramModel.fit(new int[] {0, 0, 1}, 3);
        assertEquals(0.5, m.probability(0), 1e-12);
        assertEquals(1.0 / 3, m.probability(1), 1e-12);
        assertEquals(1.0 / 6, m.probability(2), 1e-12);
        assertEquals((1 + Math.log(3) / Math.log(2) + Math.log(6) / Math.log(2)) / 3,
                m.bitsPerToken(new int[] {0, 1, 2}), 1e-12);
        assertEquals(Math.log(0.5), m.logProbabilities()[0], 1e-12);
        assertEquals(3, m.trainingTokens());
        // chars: train "aab" gives vocab {unk, a, b}: p(a)=3/6, p(b)=2/6, unseen=1/6
        assertEquals((1 + Math.log(6) / Math.log(2)) / 2, UnigramModel.bitsPerChar("aab", "az"), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.bitsPerToken(new int[] {3}));
        assertTrue(e.getMessage().contains("token id 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> UnigramModel.fit(new int[] {5}, 3));
        assertThrows(IllegalArgumentException.class, () -> m.bitsPerToken(new int[0]));
    }
}
