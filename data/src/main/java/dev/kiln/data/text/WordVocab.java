package dev.kiln.data.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Word tokens &harr; ids for word-level models (e.g. Word2Vec).
 *
 * <p>{@link #tokenize(String)} lower-cases the text ({@link Locale#ROOT}) and splits it into
 * words — runs of letters and digits, with inner apostrophes kept ({@code "lord's"}) — and single
 * punctuation characters ({@code ","}, {@code ":"}, …); whitespace separates tokens and is dropped.
 * Id 0 is {@link #UNKNOWN} ({@code <unk>}, which no text can produce since {@code <} is split off);
 * the other ids go to the tokens seen at least {@code minCount} times, most frequent first (ties in
 * alphabetical order). Every other token encodes as id 0.
 *
 * <pre>{@code
 * WordVocab v = WordVocab.build(split.train(), 5);
 * int[] ids = v.encode("In the beginning God created the heaven and the earth.");
 * v.decode(ids);   // "in the beginning god created the heaven and the earth."
 * }</pre>
 */
public final class WordVocab implements Vocabulary {

    /** The unknown token, id 0. */
    public static final String UNKNOWN = "<unk>";

    private static final String MAGIC = "kiln.WordVocab v1";

    private final String[] words;   // id -> token; words[0] = UNKNOWN
    private final long[] counts;    // id -> count in the text it was built from (id 0: tokens below minCount)
    private final int minCount;
    private final Map<String, Integer> ids;

    private WordVocab(String[] words, long[] counts, int minCount) {
        this.words = words;
        this.counts = counts;
        this.minCount = minCount;
        this.ids = new HashMap<>(words.length * 2);
        for (int i = 1; i < words.length; i++) {
            if (ids.put(words[i], i) != null) {
                throw new IllegalArgumentException("word vocabulary lists '" + words[i] + "' twice");
            }
        }
    }

    /** The lower-cased word and punctuation tokens of {@code text}, in order. */
    public static List<String> tokenize(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>(t.length() / 4);
        int n = t.length();
        for (int i = 0; i < n; ) {
            int cp = t.codePointAt(i);
            if (Character.isWhitespace(cp)) {
                i += Character.charCount(cp);
            } else if (Character.isLetterOrDigit(cp)) {
                // letters/digits, with inner apostrophes: [\p{L}\p{N}]+('[\p{L}\p{N}]+)*
                int j = i;
                while (j < n) {
                    int c = t.codePointAt(j);
                    if (Character.isLetterOrDigit(c)) {
                        j += Character.charCount(c);
                    } else if (c == '\'' && j + 1 < n && Character.isLetterOrDigit(t.codePointAt(j + 1))) {
                        j++;
                    } else {
                        break;
                    }
                }
                out.add(t.substring(i, j));
                i = j;
            } else {
                int j = i + Character.charCount(cp);
                out.add(t.substring(i, j));
                i = j;
            }
        }
        return out;
    }

    /**
     * The vocabulary of the tokens of {@code text} that occur at least {@code minCount} times.
     *
     * @throws IllegalArgumentException if {@code minCount < 1} or {@code text} has no tokens
     */
    public static WordVocab build(String text, int minCount) {
        return build(tokenize(text), minCount);
    }

    /** As {@link #build(String, int)}, from tokens already split by {@link #tokenize(String)}. */
    public static WordVocab build(List<String> tokens, int minCount) {
        Objects.requireNonNull(tokens, "tokens");
        if (minCount < 1) {
            throw new IllegalArgumentException("minCount must be >= 1, got " + minCount);
        }
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("cannot build a word vocabulary from text without tokens");
        }
        Map<String, long[]> freq = new HashMap<>();
        for (String t : tokens) {
            freq.computeIfAbsent(t, k -> new long[1])[0]++;
        }
        List<Map.Entry<String, long[]>> kept = new ArrayList<>();
        long rare = 0;
        for (Map.Entry<String, long[]> e : freq.entrySet()) {
            if (e.getValue()[0] >= minCount) {
                kept.add(e);
            } else {
                rare += e.getValue()[0];
            }
        }
        kept.sort((a, b) -> a.getValue()[0] != b.getValue()[0] ? Long.compare(b.getValue()[0], a.getValue()[0])
                : a.getKey().compareTo(b.getKey()));
        String[] words = new String[kept.size() + 1];
        long[] counts = new long[kept.size() + 1];
        words[0] = UNKNOWN;
        counts[0] = rare;
        for (int i = 0; i < kept.size(); i++) {
            words[i + 1] = kept.get(i).getKey();
            counts[i + 1] = kept.get(i).getValue()[0];
        }
        return new WordVocab(words, counts, minCount);
    }

    @Override
    public int size() {
        return words.length;
    }

    /** Always 0 ({@link #UNKNOWN}). */
    @Override
    public int unknownId() {
        return 0;
    }

    /** The threshold the vocabulary was built with. */
    public int minCount() {
        return minCount;
    }

    /** The id of a token (as {@link #tokenize(String)} produces them), or 0 if it is not in the vocabulary. */
    public int id(String token) {
        Integer id = ids.get(token);
        return id == null ? 0 : id;
    }

    /** How often token {@code id} occurred in the text the vocabulary was built from (id 0: all rarer tokens). */
    public long count(int id) {
        if (id < 0 || id >= words.length) {
            throw Vocabulary.badId(id, words.length, -1);
        }
        return counts[id];
    }

    /** All counts by id (a copy), e.g. for a Word2Vec negative-sampling distribution. */
    public long[] counts() {
        return counts.clone();
    }

    @Override
    public int[] encode(String text) {
        List<String> tokens = tokenize(text);
        int[] out = new int[tokens.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = id(tokens.get(i));
        }
        return out;
    }

    /**
     * The tokens joined by single spaces, except none before {@code , . ; : ? ! )} and none after
     * {@code (} (the original spacing and case are not recoverable).
     */
    @Override
    public String decode(int[] ids) {
        Objects.requireNonNull(ids, "ids");
        StringBuilder sb = new StringBuilder();
        String prev = null;
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id < 0 || id >= words.length) {
                throw Vocabulary.badId(id, words.length, i);
            }
            String w = words[id];
            if (prev != null && !(w.length() == 1 && ",.;:?!)".contains(w)) && !prev.equals("(")) {
                sb.append(' ');
            }
            sb.append(w);
            prev = w;
        }
        return sb.toString();
    }

    @Override
    public String token(int id) {
        if (id < 0 || id >= words.length) {
            throw Vocabulary.badId(id, words.length, -1);
        }
        return words[id];
    }

    /**
     * A header line {@code kiln.WordVocab v1 size=<n> minCount=<m>}, then one line per id from 0:
     * {@code <token> TAB <count>}.
     */
    @Override
    public String serialize() {
        StringBuilder sb = new StringBuilder(MAGIC).append(" size=").append(words.length)
                .append(" minCount=").append(minCount).append('\n');
        for (int i = 0; i < words.length; i++) {
            sb.append(words[i]).append('\t').append(counts[i]).append('\n');
        }
        return sb.toString();
    }

    /**
     * The vocabulary {@link #serialize()} described.
     *
     * @throws IllegalArgumentException if {@code s} is not such a string (naming the bad line)
     */
    public static WordVocab parse(String s) {
        Objects.requireNonNull(s, "s");
        String[] lines = s.split("\n", -1);
        int n = lines.length;
        while (n > 0 && lines[n - 1].isEmpty()) {
            n--;
        }
        Matcher h = Pattern.compile(Pattern.quote(MAGIC) + " size=(\\d+) minCount=(\\d+)").matcher(
                n > 0 ? lines[0].strip() : "");
        if (!h.matches()) {
            throw new IllegalArgumentException("not a word vocabulary: expected a first line '" + MAGIC
                    + " size=<n> minCount=<m>', got '" + (n > 0 ? lines[0] : "") + "'");
        }
        int size = Integer.parseInt(h.group(1));
        int minCount = Integer.parseInt(h.group(2));
        if (size < 1 || n - 1 != size || minCount < 1) {
            throw new IllegalArgumentException("word vocabulary: header says size=" + size + " minCount=" + minCount
                    + " but " + (n - 1) + " entry lines follow (expected size >= 1, as many lines, minCount >= 1)");
        }
        String[] words = new String[size];
        long[] counts = new long[size];
        for (int i = 0; i < size; i++) {
            String line = lines[i + 1];
            int tab = line.indexOf('\t');
            String w = tab < 0 ? "" : line.substring(0, tab);
            try {
                counts[i] = tab < 0 ? -1 : Long.parseLong(line.substring(tab + 1));
            } catch (NumberFormatException e) {
                counts[i] = -1;
            }
            if (w.isEmpty() || counts[i] < 0 || w.chars().anyMatch(Character::isWhitespace)
                    || (i == 0) != w.equals(UNKNOWN)) {
                throw new IllegalArgumentException("word vocabulary line " + (i + 2) + " (id " + i + "): expected '"
                        + (i == 0 ? UNKNOWN : "<token>") + "<TAB><count>', got '" + line + "'");
            }
            words[i] = w;
        }
        return new WordVocab(words, counts, minCount);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WordVocab && ((WordVocab) o).minCount == minCount
                && Arrays.equals(((WordVocab) o).words, words) && Arrays.equals(((WordVocab) o).counts, counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words) * 31 + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "WordVocab[size=" + size() + ", minCount=" + minCount + "]";
    }
}
