package dev.kiln.data.text;

import java.util.Arrays;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Characters (Unicode code points) &harr; ids for character-level language models.
 *
 * <p>Ids are assigned in code-point order; with an unknown id it is id 0 and the characters
 * follow from id 1. Built from the training text, a vocabulary without an unknown id rejects
 * characters it has not seen; one with it maps them to {@link #unknownId()} (decoded as
 * U+FFFD, the replacement character).
 *
 * <pre>{@code
 * CharVocab v = CharVocab.build(split.train(), true);
 * int[] ids = v.encode(split.heldOut());
 * String back = v.decode(ids);
 * String saved = v.serialize();            // store in the checkpoint
 * CharVocab same = CharVocab.parse(saved); // equal to v
 * }</pre>
 */
public final class CharVocab implements Vocabulary {

    /** What {@link #decode(int[])} prints for the unknown id. */
    public static final int REPLACEMENT = 0xFFFD;

    private static final String MAGIC = "kiln.CharVocab v1";

    private final int[] codePoints;   // id -> code point (-1 at the unknown id)
    private final int unknownId;
    private final int[] bmpIds;       // code point (< bmpIds.length) -> id, -1 if absent

    private CharVocab(int[] sortedDistinct, boolean withUnknown) {
        int off = withUnknown ? 1 : 0;
        this.codePoints = new int[sortedDistinct.length + off];
        if (withUnknown) {
            codePoints[0] = -1;
        }
        System.arraycopy(sortedDistinct, 0, codePoints, off, sortedDistinct.length);
        this.unknownId = withUnknown ? 0 : -1;
        int maxBmp = 0;
        for (int cp : sortedDistinct) {
            if (cp < (1 << 16)) {
                maxBmp = Math.max(maxBmp, cp);
            }
        }
        this.bmpIds = new int[maxBmp + 1];
        Arrays.fill(bmpIds, -1);
        for (int id = off; id < codePoints.length; id++) {
            if (codePoints[id] < (1 << 16)) {
                bmpIds[codePoints[id]] = id;
            }
        }
    }

    /**
     * The vocabulary of the distinct characters of {@code text}.
     *
     * @param withUnknown whether to reserve id 0 for characters not in {@code text}
     * @throws IllegalArgumentException if {@code text} is empty
     */
    public static CharVocab build(String text, boolean withUnknown) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("cannot build a character vocabulary from empty text");
        }
        return new CharVocab(text.codePoints().distinct().sorted().toArray(), withUnknown);
    }

    /** Number of ids: distinct characters, plus one with an unknown id. */
    @Override
    public int size() {
        return codePoints.length;
    }

    @Override
    public int unknownId() {
        return unknownId;
    }

    /** Number of real characters (without the unknown id). */
    public int characterCount() {
        return codePoints.length - (unknownId >= 0 ? 1 : 0);
    }

    /** Whether {@code codePoint} has its own id. */
    public boolean contains(int codePoint) {
        return lookup(codePoint) >= 0;
    }

    /**
     * The id of {@code codePoint}: its own, else the unknown id.
     *
     * @throws IllegalArgumentException if it is not in the vocabulary and there is no unknown id
     */
    public int id(int codePoint) {
        int id = lookup(codePoint);
        if (id >= 0) {
            return id;
        }
        if (unknownId >= 0) {
            return unknownId;
        }
        throw unknownChar(codePoint, -1);
    }

    /** The code point with id {@code id}, or {@link #REPLACEMENT} for the unknown id. */
    public int codePoint(int id) {
        if (id < 0 || id >= codePoints.length) {
            throw Vocabulary.badId(id, codePoints.length, -1);
        }
        return id == unknownId ? REPLACEMENT : codePoints[id];
    }

    @Override
    public int[] encode(String text) {
        Objects.requireNonNull(text, "text");
        int[] out = new int[text.length()];
        int n = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int id = lookup(cp);
            if (id < 0) {
                if (unknownId < 0) {
                    throw unknownChar(cp, i);
                }
                id = unknownId;
            }
            out[n++] = id;
            i += Character.charCount(cp);
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    @Override
    public String decode(int[] ids) {
        Objects.requireNonNull(ids, "ids");
        StringBuilder sb = new StringBuilder(ids.length);
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id < 0 || id >= codePoints.length) {
                throw Vocabulary.badId(id, codePoints.length, i);
            }
            sb.appendCodePoint(id == unknownId ? REPLACEMENT : codePoints[id]);
        }
        return sb.toString();
    }

    @Override
    public String token(int id) {
        return new String(Character.toChars(codePoint(id)));
    }

    /**
     * One line: {@code kiln.CharVocab v1 unk=<0|-1> chars=<hex code points in id order>}, e.g.
     * {@code kiln.CharVocab v1 unk=-1 chars=a 20 41 61}.
     */
    @Override
    public String serialize() {
        StringBuilder sb = new StringBuilder(MAGIC).append(" unk=").append(unknownId).append(" chars=");
        int off = unknownId >= 0 ? 1 : 0;
        for (int id = off; id < codePoints.length; id++) {
            if (id > off) {
                sb.append(' ');
            }
            sb.append(Integer.toHexString(codePoints[id]));
        }
        return sb.toString();
    }

    /**
     * The vocabulary {@link #serialize()} described.
     *
     * @throws IllegalArgumentException if {@code s} is not such a string
     */
    public static CharVocab parse(String s) {
        Objects.requireNonNull(s, "s");
        String t = s.strip();
        String prefix = MAGIC + " unk=";
        int chars = t.indexOf(" chars=");
        if (!t.startsWith(prefix) || chars < 0) {
            throw new IllegalArgumentException("not a character vocabulary: expected '" + MAGIC
                    + " unk=<0|-1> chars=<hex code points>', got '" + abbreviate(t) + "'");
        }
        String unk = t.substring(prefix.length(), chars);
        if (!unk.equals("0") && !unk.equals("-1")) {
            throw new IllegalArgumentException("character vocabulary: unk must be 0 or -1, got '" + unk + "'");
        }
        String list = t.substring(chars + " chars=".length()).strip();
        if (list.isEmpty()) {
            throw new IllegalArgumentException("character vocabulary has no characters: '" + abbreviate(t) + "'");
        }
        String[] parts = list.split(" ");
        int[] cps = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                cps[i] = Integer.parseInt(parts[i], 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("character vocabulary: '" + parts[i] + "' (entry " + i
                        + ") is not a hexadecimal code point");
            }
            if (!Character.isValidCodePoint(cps[i]) || (i > 0 && cps[i] <= cps[i - 1])) {
                throw new IllegalArgumentException("character vocabulary: entry " + i + " '" + parts[i]
                        + "' must be a valid code point greater than the one before it");
            }
        }
        return new CharVocab(cps, unk.equals("0"));
    }

    private int lookup(int cp) {
        if (cp >= 0 && cp < bmpIds.length) {
            return bmpIds[cp];
        }
        if (cp < (1 << 16)) {
            return -1;
        }
        int off = unknownId >= 0 ? 1 : 0;
        int i = Arrays.binarySearch(codePoints, off, codePoints.length, cp);
        return i >= 0 ? i : -1;
    }

    private IllegalArgumentException unknownChar(int cp, int index) {
        return new IllegalArgumentException("character " + describe(cp) + (index >= 0 ? " at index " + index : "")
                + " is not in the vocabulary of " + characterCount() + " characters, which has no unknown id");
    }

    static String describe(int cp) {
        String shown = Character.isISOControl(cp) || Character.isWhitespace(cp) ? "" : "'" + new String(Character.toChars(cp)) + "' ";
        return shown + String.format("(U+%04X)", cp);
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CharVocab && ((CharVocab) o).unknownId == unknownId
                && Arrays.equals(((CharVocab) o).codePoints, codePoints);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(codePoints) + unknownId;
    }

    @Override
    public String toString() {
        return "CharVocab[size=" + size() + (unknownId >= 0 ? ", unknownId=" + unknownId : ", no unknown id") + "]";
    }
}
