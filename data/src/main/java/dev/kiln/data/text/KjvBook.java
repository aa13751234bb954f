package dev.kiln.data.text;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The 66 books of the King James Bible in canonical order, with the abbreviation Debian's
 * {@code bible} program prints in its verse references (e.g. {@code Ge1:1}, {@code 1Sm3:4},
 * {@code Rev22:21}), the usual English name, the number of chapters and the number of verses.
 */
public enum KjvBook {
    GENESIS("Ge", "Genesis", 50, 1533),
    EXODUS("Exo", "Exodus", 40, 1213),
    LEVITICUS("Lev", "Leviticus", 27, 859),
    NUMBERS("Num", "Numbers", 36, 1288),
    DEUTERONOMY("Deu", "Deuteronomy", 34, 959),
    JOSHUA("Josh", "Joshua", 24, 658),
    JUDGES("Jdgs", "Judges", 21, 618),
    RUTH("Ruth", "Ruth", 4, 85),
    FIRST_SAMUEL("1Sm", "1 Samuel", 31, 810),
    SECOND_SAMUEL("2Sm", "2 Samuel", 24, 695),
    FIRST_KINGS("1Ki", "1 Kings", 22, 816),
    SECOND_KINGS("2Ki", "2 Kings", 25, 719),
    FIRST_CHRONICLES("1Chr", "1 Chronicles", 29, 942),
    SECOND_CHRONICLES("2Chr", "2 Chronicles", 36, 822),
    EZRA("Ezra", "Ezra", 10, 280),
    NEHEMIAH("Neh", "Nehemiah", 13, 406),
    ESTHER("Est", "Esther", 10, 167),
    JOB("Job", "Job", 42, 1070),
    PSALMS("Psa", "Psalms", 150, 2461),
    PROVERBS("Prv", "Proverbs", 31, 915),
    ECCLESIASTES("Eccl", "Ecclesiastes", 12, 222),
    SONG_OF_SOLOMON("SSol", "Song of Solomon", 8, 117),
    ISAIAH("Isa", "Isaiah", 66, 1292),
    JEREMIAH("Jer", "Jeremiah", 52, 1364),
    LAMENTATIONS("Lam", "Lamentations", 5, 154),
    EZEKIEL("Eze", "Ezekiel", 48, 1273),
    DANIEL("Dan", "Daniel", 12, 357),
    HOSEA("Hos", "Hosea", 14, 197),
    JOEL("Joel", "Joel", 3, 73),
    AMOS("Amos", "Amos", 9, 146),
    OBADIAH("Obad", "Obadiah", 1, 21),
    JONAH("Jonah", "Jonah", 4, 48),
    MICAH("Mic", "Micah", 7, 105),
    NAHUM("Nahum", "Nahum", 3, 47),
    HABAKKUK("Hab", "Habakkuk", 3, 56),
    ZEPHANIAH("Zep", "Zephaniah", 3, 53),
    HAGGAI("Hag", "Haggai", 2, 38),
    ZECHARIAH("Zec", "Zechariah", 14, 211),
    MALACHI("Mal", "Malachi", 4, 55),
    MATTHEW("Mat", "Matthew", 28, 1071),
    MARK("Mark", "Mark", 16, 678),
    LUKE("Luke", "Luke", 24, 1151),
    JOHN("John", "John", 21, 879),
    ACTS("Acts", "Acts", 28, 1007),
    ROMANS("Rom", "Romans", 16, 433),
    FIRST_CORINTHIANS("1Cor", "1 Corinthians", 16, 437),
    SECOND_CORINTHIANS("2Cor", "2 Corinthians", 13, 257),
    GALATIANS("Gal", "Galatians", 6, 149),
    EPHESIANS("Eph", "Ephesians", 6, 155),
    PHILIPPIANS("Phi", "Philippians", 4, 104),
    COLOSSIANS("Col", "Colossians", 4, 95),
    FIRST_THESSALONIANS("1Th", "1 Thessalonians", 5, 89),
    SECOND_THESSALONIANS("2Th", "2 Thessalonians", 3, 47),
    FIRST_TIMOTHY("1Tim", "1 Timothy", 6, 113),
    SECOND_TIMOTHY("2Tim", "2 Timothy", 4, 83),
    TITUS("Titus", "Titus", 3, 46),
    PHILEMON("Phmn", "Philemon", 1, 25),
    HEBREWS("Heb", "Hebrews", 13, 303),
    JAMES("Jas", "James", 5, 108),
    FIRST_PETER("1Pet", "1 Peter", 5, 105),
    SECOND_PETER("2Pet", "2 Peter", 3, 61),
    FIRST_JOHN("1Jn", "1 John", 5, 105),
    SECOND_JOHN("2Jn", "2 John", 1, 13),
    THIRD_JOHN("3Jn", "3 John", 1, 14),
    JUDE("Jude", "Jude", 1, 25),
    REVELATION("Rev", "Revelation", 22, 404);

    /** Verses in the whole Bible: the sum of {@link #verses()} over all books (31,102). */
    public static final int TOTAL_VERSES = 31_102;

    private static final Map<String, KjvBook> BY_KEY = new HashMap<>();

    static {
        for (KjvBook b : values()) {
            BY_KEY.put(key(b.abbreviation), b);
            BY_KEY.put(key(b.title), b);
            BY_KEY.put(key(b.name()), b);
        }
        BY_KEY.put("gen", GENESIS);
    }

    private final String abbreviation;
    private final String title;
    private final int chapters;
    private final int verses;

    KjvBook(String abbreviation, String title, int chapters, int verses) {
        this.abbreviation = abbreviation;
        this.title = title;
        this.chapters = chapters;
        this.verses = verses;
    }

    /** The abbreviation in {@code bible}'s verse references, e.g. {@code "Ge"}, {@code "1Sm"}, {@code "Rev"}. */
    public String abbreviation() {
        return abbreviation;
    }

    /** The English name, e.g. {@code "Genesis"}, {@code "1 Samuel"}, {@code "Song of Solomon"}. */
    public String title() {
        return title;
    }

    /** Number of chapters. */
    public int chapters() {
        return chapters;
    }

    /** Number of verses. */
    public int verses() {
        return verses;
    }

    /** True for Matthew to Revelation. */
    public boolean isNewTestament() {
        return ordinal() >= MATTHEW.ordinal();
    }

    /**
     * The book called {@code name}: its {@code bible} abbreviation, its English name with or
     * without spaces, or its constant name, ignoring case (e.g. {@code "Rev"}, {@code "revelation"},
     * {@code "1 Samuel"}, {@code "1samuel"}, {@code "SONG_OF_SOLOMON"}).
     */
    public static Optional<KjvBook> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(BY_KEY.get(key(name)));
    }

    /**
     * Like {@link #find(String)}, but an unknown name is an error.
     *
     * @throws IllegalArgumentException naming the unknown book
     */
    public static KjvBook of(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("unknown book '" + name
                + "': expected a King James Bible book such as Genesis, Ge, 1 Samuel, 1Sm, Revelation or Rev"));
    }

    private static String key(String s) {
        return s.replace(" ", "").replace("_", "").toLowerCase(Locale.ROOT);
    }
}
