package dev.kiln.models.word2vec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Word analogies derived from a corpus's own vocabulary (no download), scored with 3CosAdd.
 *
 * <h2>The rule ({@link #derive})</h2>
 * From the kept words and their counts, five categories of word pairs {@code (x, y)}; in each, the
 * {@link #PAIRS_PER_CATEGORY} pairs with the largest {@code min(count(x), count(y))} (ties by
 * {@code x}, then {@code y}, alphabetically), and every ordered combination of two different pairs
 * is one question {@code x1 : y1 :: x2 : y2}:
 * <ol>
 *   <li>{@code plural}: {@code x} and {@code x+"s"} (or {@code x-"y"+"ies"} after a consonant), both
 *       seen at least {@value #MIN_PAIR_COUNT} times, {@code x} of at least three letters not ending in
 *       {@code s}, and {@code x} not a verb by the test that none of {@code x+"eth"},
 *       {@code x+"ed"}, {@code x+"ing"} (after dropping a final {@code e}: {@code "eth"},
 *       {@code "ed"}, {@code "ing"}) is in the vocabulary;</li>
 *   <li>{@code eth-est}: the archaic third and second person, {@code x = s+"eth"} and
 *       {@code y = s+"est"} both in the vocabulary ({@code loveth : lovest}), plus the irregular
 *       pairs of {@link #PERSON_IRREGULAR} that are present ({@code hath : hast});</li>
 *   <li>{@code base-eth}: a word and its {@code -eth} form, {@code x} and {@code x+"eth"}
 *       (a final {@code e} dropped: {@code come : cometh}), {@code x} not itself ending in
 *       {@code eth} or {@code est};</li>
 *   <li>{@code past-ed}: {@code x} and {@code x+"ed"} ({@code x+"d"} after a final {@code e}), {@code x}
 *       of at least three letters;</li>
 *   <li>{@code gender}: the pairs of {@link #GENDER} whose two words are both in the vocabulary.</li>
 * </ol>
 * The set is written in the {@code questions-words.txt} format ({@code : category} lines, then
 * {@code a b c d} lines), which other tools read too.
 *
 * <h2>3CosAdd</h2>
 * For {@code a : b :: c : ?}, the answer is the word {@code x} other than {@code a}, {@code b},
 * {@code c} with the largest {@code cos(x, b) − cos(x, a) + cos(x, c)}; a question counts as right
 * when it is {@code d} (top-1).
 */
public final class Analogies {

    /** Pairs kept per category. */
    public static final int PAIRS_PER_CATEGORY = 25;
    /** The smallest count of either word of a {@code plural} pair. */
    public static final int MIN_PAIR_COUNT = 10;

    /** Masculine and feminine forms, as far as they occur in the text. */
    public static final List<String[]> GENDER = List.of(
            p("king", "queen"), p("kings", "queens"), p("man", "woman"), p("men", "women"), p("son", "daughter"),
            p("sons", "daughters"), p("father", "mother"), p("fathers", "mothers"), p("brother", "sister"),
            p("brethren", "sisters"), p("brothers", "sisters"), p("husband", "wife"), p("he", "she"), p("him", "her"),
            p("himself", "herself"), p("lord", "lady"), p("prince", "princess"), p("princes", "princesses"),
            p("master", "mistress"), p("manservant", "maidservant"), p("menservants", "maidservants"),
            p("servant", "handmaid"), p("male", "female"), p("males", "females"), p("god", "goddess"),
            p("boy", "girl"), p("boys", "girls"), p("bridegroom", "bride"), p("uncle", "aunt"),
            p("nephew", "niece"), p("ram", "ewe"), p("rams", "ewes"), p("bull", "cow"), p("bulls", "cows"),
            p("stallion", "mare"), p("widower", "widow"), p("heir", "heiress"), p("grandfather", "grandmother"),
            p("sir", "madam"));

    /** Third and second person singular forms that do not follow {@code -eth}/{@code -est}. */
    public static final List<String[]> PERSON_IRREGULAR = List.of(
            p("hath", "hast"), p("doth", "dost"), p("saith", "sayest"), p("is", "art"), p("was", "wast"),
            p("shall", "shalt"), p("will", "wilt"), p("can", "canst"), p("may", "mayest"), p("did", "didst"),
            p("had", "hadst"), p("goeth", "goest"), p("knoweth", "knowest"));

    private static String[] p(String a, String b) {
        return new String[] {a, b};
    }

    /** One question {@code a : b :: c : d}. */
    public record Question(String category, String a, String b, String c, String d) {
    }

    private final List<Question> questions;

    public Analogies(List<Question> questions) {
        this.questions = List.copyOf(questions);
    }

    public List<Question> questions() {
        return questions;
    }

    /** Questions per category, in order. */
    public Map<String, Integer> categories() {
        Map<String, Integer> m = new LinkedHashMap<>();
        questions.forEach(q -> m.merge(q.category(), 1, Integer::sum));
        return m;
    }

    /**
     * The analogy set of the class comment's rule for a vocabulary.
     *
     * @param count a word's count, or 0 when it is not in the vocabulary
     */
    public static Analogies derive(List<String> words, ToLongFunction<String> count) {
        List<Question> out = new ArrayList<>();
        java.util.function.Predicate<String> in = w -> count.applyAsLong(w) > 0;
        List<String[]> plural = new ArrayList<>(), person = new ArrayList<>(), base = new ArrayList<>(), past = new ArrayList<>(),
                gender = new ArrayList<>();
        for (String x : words) {
            if (!x.chars().allMatch(Character::isLetter)) {
                continue;
            }
            String stem = x.endsWith("e") ? x.substring(0, x.length() - 1) : x;
            // plural
            if (x.length() >= 3 && !x.endsWith("s") && count.applyAsLong(x) >= MIN_PAIR_COUNT) {
                boolean verb = in.test(x + "eth") || in.test(x + "ed") || in.test(x + "ing")
                        || in.test(stem + "eth") || in.test(stem + "ed") || in.test(stem + "ing");
                String pl = x.matches(".*[^aeiou]y") ? x.substring(0, x.length() - 1) + "ies" : x + "s";
                if (!verb && count.applyAsLong(pl) >= MIN_PAIR_COUNT) {
                    plural.add(p(x, pl));
                }
            }
            // eth-est
            if (x.endsWith("eth") && x.length() > 4) {
                String s = x.substring(0, x.length() - 3);
                if (in.test(s + "est")) {
                    person.add(p(x, s + "est"));
                }
            }
            // base-eth and past-ed
            if (!x.endsWith("eth") && !x.endsWith("est") && x.length() >= 2) {
                if (in.test(stem + "eth")) {
                    base.add(p(x, stem + "eth"));
                }
                String ed = x.endsWith("e") ? x + "d" : x + "ed";
                if (x.length() >= 3 && in.test(ed)) {
                    past.add(p(x, ed));
                }
            }
        }
        for (String[] pr : PERSON_IRREGULAR) {
            if (in.test(pr[0]) && in.test(pr[1]) && person.stream().noneMatch(q -> q[0].equals(pr[0]) && q[1].equals(pr[1]))) {
                person.add(pr);
            }
        }
        for (String[] pr : GENDER) {
            if (in.test(pr[0]) && in.test(pr[1])) {
                gender.add(pr);
            }
        }
        questions(out, "plural", plural, count);
        questions(out, "eth-est", person, count);
        questions(out, "base-eth", base, count);
        questions(out, "past-ed", past, count);
        questions(out, "gender", gender, count);
        return new Analogies(out);
    }

    private static void questions(List<Question> out, String category, List<String[]> pairs, ToLongFunction<String> count) {
        List<String[]> kept = new ArrayList<>(pairs);
        kept.sort(Comparator.<String[]>comparingLong(q -> -Math.min(count.applyAsLong(q[0]), count.applyAsLong(q[1])))
                .thenComparing(q -> q[0]).thenComparing(q -> q[1]));
        kept = kept.subList(0, Math.min(PAIRS_PER_CATEGORY, kept.size()));
        for (String[] u : kept) {
            for (String[] v : kept) {
                if (u != v && !u[0].equals(v[0]) && !u[1].equals(v[1])) {
                    out.add(new Question(category, u[0], u[1], v[0], v[1]));
                }
            }
        }
    }

    /** The {@code questions-words.txt} format. */
    public void write(Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        String cat = null;
        for (Question q : questions) {
            if (!q.category().equals(cat)) {
                cat = q.category();
                sb.append(": ").append(cat).append('\n');
            }
            sb.append(q.a()).append(' ').append(q.b()).append(' ').append(q.c()).append(' ').append(q.d()).append('\n');
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    /**
     * Top-1 3CosAdd accuracy per category and in all ({@code "all"}); questions with a word outside
     * {@code e}'s vocabulary count as wrong.
     */
    public Map<String, Double> accuracy(Embeddings e) {
        Map<String, int[]> tally = new LinkedHashMap<>();
        int dim = e.dim();
        float[] u = e.unitVectors();
        float[] q = new float[dim];
        int right = 0;
        for (Question x : questions) {
            int[] t = tally.computeIfAbsent(x.category(), k -> new int[2]);
            t[1]++;
            int a = e.row(x.a()), b = e.row(x.b()), c = e.row(x.c()), d = e.row(x.d());
            if (a < 0 || b < 0 || c < 0 || d < 0) {
                continue;
            }
            for (int i = 0; i < dim; i++) {
                q[i] = u[b * dim + i] - u[a * dim + i] + u[c * dim + i];
            }
            List<Embeddings.Neighbour> best = e.best(q, 1, new int[] {a, b, c});
            if (!best.isEmpty() && best.get(0).word().equals(x.d())) {
                t[0]++;
                right++;
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        tally.forEach((k, t) -> out.put(k, t[0] / (double) t[1]));
        out.put("all", questions.isEmpty() ? 0 : right / (double) questions.size());
        return out;
    }

    /** {@code plural 0.412 (600), …} for logs. */
    public static String describe(Map<String, Double> acc, Map<String, Integer> sizes) {
        StringBuilder sb = new StringBuilder();
        acc.forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(String.format(Locale.ROOT, "%s %.4f (%d)", k, v,
                    k.equals("all") ? sizes.values().stream().mapToInt(Integer::intValue).sum() : sizes.getOrDefault(k, 0)));
        });
        return sb.toString();
    }
}
