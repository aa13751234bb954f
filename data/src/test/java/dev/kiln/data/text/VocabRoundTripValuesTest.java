package dev.kiln.data.text;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Vocabulary round trips checked against ids worked out by hand, not only against the vocabulary
 * they came from: a vocabulary and its re-parse agreeing proves nothing when both encode wrongly.
 */
class VocabRoundTripValuesTest {

    private static final String TEXT = "The LORD's \uD834\uDD1E \n\t,\u00e9";

    @Test
    void charVocabWithoutUnknownEncodesToTheHandComputedIds() {
        // code-point order: \t \n ' ' ' , D L O R T e h s é 𝄞
        CharVocab back = CharVocab.parse(CharVocab.build(TEXT, false).serialize());
        assertEquals(15, back.size());
        assertEquals(-1, back.unknownId());
        assertArrayEquals(new int[] {9, 11, 10, 2, 6, 7, 8, 5, 3, 12, 2, 14}, back.encode("The LORD's \uD834\uDD1E"));
        assertArrayEquals(new int[] {0, 1, 4, 13}, back.encode("\t\n,\u00e9"));
        assertEquals(0x1D11E, back.codePoint(14));
        assertEquals("\uD834\uDD1E", back.token(14));
        assertEquals("LshDs \u00e9", back.decode(new int[] {6, 12, 11, 5, 12, 2, 13}));
        assertEquals("sheD", back.decode(new int[] {12, 11, 10, 5}));
        // characters absent from the text, below and above the largest code point, have no id
        for (String absent : new String[] {"A", "a", "\u00ff", "\uD834\uDD1F"}) {
            assertFalse(back.contains(absent.codePointAt(0)), absent);
            assertThrows(IllegalArgumentException.class, () -> back.encode(absent), absent);
            assertThrows(IllegalArgumentException.class, () -> back.id(absent.codePointAt(0)), absent);
        }
        assertTrue(back.contains('e'));
        assertEquals(10, back.id('e'));
    }

    @Test
    void charVocabWithUnknownShiftsTheIdsAndMapsOnlyUnknownCharactersToZero() {
        CharVocab back = CharVocab.parse(CharVocab.build(TEXT, true).serialize());
        assertEquals(16, back.size());
        assertEquals(0, back.unknownId());
        assertArrayEquals(new int[] {10, 12, 11, 3, 7, 8, 9, 6, 4, 13, 3, 15}, back.encode("The LORD's \uD834\uDD1E"));
        assertArrayEquals(new int[] {10, 0, 12, 0, 1, 0}, back.encode("Tzh!\tx"));
        assertEquals("T\uFFFDh", back.decode(new int[] {10, 0, 12}));
        assertFalse(back.contains('A'));
        assertFalse(back.contains(0x1D11F));
        assertEquals(0, back.id('A'));
        assertEquals(15, back.id(0x1D11E));
        assertEquals(15, back.characterCount());
    }

    @Test
    void charVocabSerializedFormListsTheCodePointsInHex() {
        assertEquals("kiln.CharVocab v1 unk=0 chars=9 62 e9", CharVocab.build("b\t\u00e9b", true).serialize());
        CharVocab v = CharVocab.parse("kiln.CharVocab v1 unk=0 chars=9 62 e9");
        assertArrayEquals(new int[] {1, 2, 3, 0}, v.encode("\tb\u00e9c"));
    }

    @Test
    void wordVocabEncodesToTheHandComputedIds() {
        WordVocab v = WordVocab.build("In the beginning God created the heaven and the earth. And the earth was", 1);
        WordVocab back = WordVocab.parse(v.serialize());
        // counts: the 4, and 2, earth 2, then count 1 alphabetically: . beginning created god heaven in was
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < back.size(); i++) {
            tokens.add(back.token(i));
        }
        assertEquals(List.of("<unk>", "the", "and", "earth", ".", "beginning", "created", "god", "heaven", "in", "was"), tokens);
        assertArrayEquals(new long[] {0, 4, 2, 2, 1, 1, 1, 1, 1, 1, 1}, toLong(back.counts()));
        assertEquals(1, back.minCount());
        assertEquals(0, back.unknownId());
        assertArrayEquals(new int[] {1, 3, 10, 0}, back.encode("the earth was void"));
        assertArrayEquals(new int[] {2, 7, 6, 4}, back.encode("And GOD created."));
        assertEquals("in the beginning.", back.decode(new int[] {9, 1, 5, 4}));
    }

    @Test
    void wordVocabBelowMinCountKeepsTheUnknownCount() {
        WordVocab back = WordVocab.parse(WordVocab.build("a b a c a b d", 2).serialize());
        assertEquals(3, back.size());
        assertEquals("a", back.token(1));
        assertEquals("b", back.token(2));
        assertEquals(2, back.minCount());
        assertArrayEquals(new long[] {2, 3, 2}, toLong(back.counts()));
        assertArrayEquals(new int[] {1, 0, 2, 0}, back.encode("a c b e"));
    }

    private static long[] toLong(Object counts) {
        if (counts instanceof long[] l) {
            return l;
        }
        int[] c = (int[]) counts;
        long[] l = new long[c.length];
        for (int k = 0; k < c.length; k++) {
            l[k] = c[k];
        }
        return l;
    }
}
