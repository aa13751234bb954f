package dev.kiln.data.text;

import java.util.BitSet;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Counts over a text: lines, words (maximal runs of non-whitespace, as {@code wc -w} counts them),
 * characters (Unicode code points, line breaks included) and distinct characters.
 *
 * @param lines         number of lines (line breaks, plus one if the text does not end with one)
 * @param words         number of whitespace-separated words
 * @param chars         number of code points
 * @param distinctChars number of distinct code points
 */
public record TextStats(long lines, long words, long chars, int distinctChars) {

    /** Counts {@code text}. */
    public static TextStats of(String text) {
        Objects.requireNonNull(text, "text");
        long lines = 0;
        long words = 0;
        long chars = 0;
        boolean inWord = false;
        BitSet bmp = new BitSet(1 << 16);
        TreeSet<Integer> other = new TreeSet<>();
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            chars++;
            if (cp < (1 << 16)) {
                bmp.set(cp);
            } else {
                other.add(cp);
            }
            if (cp == '\n') {
                lines++;
            }
            boolean space = Character.isWhitespace(cp);
            if (!space && !inWord) {
                words++;
            }
            inWord = !space;
        }
        if (!text.isEmpty() && !text.endsWith("\n")) {
            lines++;
        }
        return new TextStats(lines, words, chars, bmp.cardinality() + other.size());
    }
}
