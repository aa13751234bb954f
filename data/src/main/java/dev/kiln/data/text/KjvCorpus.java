package dev.kiln.data.text;

import dev.kiln.data.CorruptDataException;
import dev.kiln.data.DatasetLocator;
import dev.kiln.data.DatasetNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The King James Bible as text with its book structure: 66 books, 31,102 verses.
 *
 * <h2>Where the text comes from</h2>
 * {@link #load()} / {@link #load(Path)} / {@link #loader()} try, in order:
 * <ol>
 *   <li>an explicit path ({@code --data}): a file, or a directory holding {@code kjv/kjv.txt} or
 *       {@code kjv.txt}; if it does not hold the text the search stops with an error (using other
 *       data than the user named would be worse);</li>
 *   <li>the directory in the environment variable {@code KILN_DATA} ({@code $KILN_DATA/kjv/kjv.txt},
 *       then {@code $KILN_DATA/kjv.txt});</li>
 *   <li>the cached copy {@code ~/.kiln/datasets/kjv/kjv.txt} (the cache root follows
 *       {@link DatasetLocator}: system property {@code kiln.data.cacheDir}); a damaged cache is
 *       skipped and rewritten by the next step;</li>
 *   <li>Debian's {@code bible-kjv} and {@code bible-kjv-text} packages: their data file
 *       {@code /usr/lib/bible.data} is in a custom compressed format, so Kiln runs the
 *       {@code bible} program ({@code bible -f Gen1:1-Rev22:21}, one verse a line, with a timeout)
 *       and writes its output atomically to the cache, so later loads read the file;</li>
 *   <li>otherwise a {@link DatasetNotFoundException} that lists the places looked at and says
 *       {@code sudo apt-get install bible-kjv bible-kjv-text}.</li>
 * </ol>
 * (No download: the Debian packages are the supported source.)
 *
 * <h2>File format</h2>
 * {@code kjv.txt} is UTF-8 (in practice ASCII) text with one verse a line, either
 * <ul>
 *   <li>with references, as {@code bible -f} prints them: {@code <book><chapter>:<verse> <text>},
 *       e.g. {@code Ge1:1 In the beginning God created the heaven and the earth.}; the book is a
 *       {@link KjvBook} abbreviation ({@code Ge}, {@code 1Sm}, {@code Rev}, …) or English name
 *       without spaces ({@code Genesis}, {@code 1Samuel}); any subset of verses is accepted; or</li>
 *   <li>without references ({@code bible -f Gen1:1-Rev22:21 | cut -d' ' -f2-}): then there must be
 *       exactly 31,102 lines, and books are assigned by their verse counts (chapter numbers are then
 *       0 and verse numbers count from 1 within each book).</li>
 * </ul>
 * The verse text is kept exactly as given (no trimming); {@link #text()} is every verse followed by
 * {@code '\n'}, the same characters as {@code bible -f Gen1:1-Rev22:21 | cut -d' ' -f2-} prints.
 *
 * <h2>Held-out split</h2>
 * {@link #split()} holds out whole books: {@link #HELD_OUT_BOOKS}, the last nine books of the New
 * Testament, Hebrews to Revelation (Hebrews, James, 1 and 2 Peter, 1, 2 and 3 John, Jude,
 * Revelation): 1,125 verses and 153,005 of the 4,137,850 characters (3.7 %). The training part is
 * Genesis to Philemon. {@link #split(Collection)} and {@link #splitLastBooks(int)} choose others.
 *
 * <pre>{@code
 * KjvCorpus kjv = KjvCorpus.load();            // or KjvCorpus.load(Path.of(dataDirOrFile))
 * TextSplit s = kjv.split();                   // train: Genesis..Philemon, held out: Hebrews..Revelation
 * CharVocab vocab = CharVocab.build(s.train(), true);
 * }</pre>
 */
public final class KjvCorpus {

    /** Dataset name: the directory name under every data root. */
    public static final String NAME = "kjv";
    /** The text file looked for in each data directory, and written to the cache. */
    public static final String FILE = "kjv.txt";
    /** The Debian packages that provide the text. */
    public static final String APT_PACKAGES = "bible-kjv bible-kjv-text";
    /** Where Debian's {@code bible-kjv} package installs the {@code bible} program. */
    public static final Path DEBIAN_BIBLE = Path.of("/usr/bin/bible");
    /** The verse range asked of the {@code bible} program: the whole Bible. */
    public static final String BIBLE_RANGE = "Gen1:1-Rev22:21";
    /** The books {@link #split()} holds out: Hebrews to Revelation, the last nine books. */
    public static final Set<KjvBook> HELD_OUT_BOOKS =
            Collections.unmodifiableSet(EnumSet.range(KjvBook.HEBREWS, KjvBook.REVELATION));

    private static final Pattern REFERENCE = Pattern.compile("([1-3]?[A-Za-z]+)(\\d+):(\\d+) (.*)", Pattern.DOTALL);

    /**
     * One verse.
     *
     * @param book    its book
     * @param chapter chapter number from 1 (0 if the source had no references)
     * @param verse   verse number from 1 (within the chapter; within the book if the source had no references)
     * @param text    the verse text, exactly as in the source, without a line break
     */
    public record Verse(KjvBook book, int chapter, int verse, String text) {
        public Verse {
            Objects.requireNonNull(book, "book");
            Objects.requireNonNull(text, "text");
        }

        /** The reference as {@code bible} prints it, e.g. {@code Ge1:1}. */
        public String reference() {
            return book.abbreviation() + chapter + ":" + verse;
        }
    }

    private final List<Verse> verses;
    private final List<KjvBook> books;
    private final String source;
    private final String text;

    private KjvCorpus(List<Verse> verses, String source) {
        this.verses = List.copyOf(verses);
        java.util.LinkedHashSet<KjvBook> bs = new java.util.LinkedHashSet<>();
        for (Verse v : verses) {
            bs.add(v.book());
        }
        this.books = List.copyOf(bs);
        this.source = source;
        this.text = join(verses, null, false);
    }

    // ------------------------------------------------------------------------------------------
    // Loading

    /** The corpus from the first place in the search order (class comment) that has it. */
    public static KjvCorpus load() throws IOException {
        return loader().load();
    }

    /**
     * The corpus from {@code data} (a {@code kjv.txt}-format file, or a directory holding
     * {@code kjv/kjv.txt} or {@code kjv.txt}), or as {@link #load()} if {@code data} is {@code null}.
     */
    public static KjvCorpus load(Path data) throws IOException {
        return loader().data(data).load();
    }

    /** A loader with the default search order; configure and call {@link Loader#load()}. */
    public static Loader loader() {
        return new Loader();
    }

    /**
     * Reads one file in the {@code kjv.txt} format (class comment).
     *
     * @throws CorruptDataException if it is empty, not UTF-8, or not in that format (naming the line)
     */
    public static KjvCorpus read(Path file) throws IOException {
        return parse(TextFile.load(file), file);
    }

    /**
     * Parses text in the {@code kjv.txt} format; {@code source} names it in errors (may be {@code null}).
     *
     * @throws CorruptDataException if the text is not in that format (naming the line and what was expected)
     */
    public static KjvCorpus parse(String content, Path source) throws CorruptDataException {
        Objects.requireNonNull(content, "content");
        if (content.isBlank()) {
            throw new CorruptDataException(source, "holds no verses; expected one verse a line");
        }
        String[] lines = content.split("\n", -1);
        int n = lines.length;
        if (n > 0 && lines[n - 1].isEmpty()) {
            n--;   // the line break after the last verse
        }
        for (int i = 0; i < n; i++) {
            if (lines[i].endsWith("\r")) {
                lines[i] = lines[i].substring(0, lines[i].length() - 1);
            }
        }
        List<Verse> verses = new ArrayList<>(n);
        boolean referenced = REFERENCE.matcher(lines[0]).matches();
        if (referenced) {
            for (int i = 0; i < n; i++) {
                Matcher m = REFERENCE.matcher(lines[i]);
                if (!m.matches()) {
                    throw new CorruptDataException(source, "line " + (i + 1) + ": expected '<book><chapter>:<verse> <text>'"
                            + " like 'Ge1:1 In the beginning…' (as the first line has), got '" + shorten(lines[i]) + "'");
                }
                KjvBook book = KjvBook.find(m.group(1)).orElse(null);
                if (book == null) {
                    throw new CorruptDataException(source, "line " + (i + 1) + ": unknown book '" + m.group(1)
                            + "' in '" + shorten(lines[i]) + "'; expected a King James Bible book abbreviation such as"
                            + " Ge, Exo, 1Sm, Mat, Rev");
                }
                int chapter;
                int verse;
                try {
                    chapter = Integer.parseInt(m.group(2));
                    verse = Integer.parseInt(m.group(3));
                } catch (NumberFormatException e) {
                    throw new CorruptDataException(source, "line " + (i + 1) + ": chapter or verse number too large in '"
                            + shorten(lines[i]) + "'");
                }
                if (chapter < 1 || chapter > book.chapters() || verse < 1) {
                    throw new CorruptDataException(source, "line " + (i + 1) + ": " + book.title() + " " + chapter + ":"
                            + verse + " does not exist; expected chapter 1.." + book.chapters() + " and verse >= 1");
                }
                verses.add(new Verse(book, chapter, verse, m.group(4)));
            }
        } else {
            if (n != KjvBook.TOTAL_VERSES) {
                throw new CorruptDataException(source, "has " + n + " lines and its first line '" + shorten(lines[0])
                        + "' has no verse reference; expected either one verse a line with references, as"
                        + " 'bible -f " + BIBLE_RANGE + "' prints them ('Ge1:1 In the beginning…'), or exactly "
                        + KjvBook.TOTAL_VERSES + " lines of verse text without references");
            }
            int line = 0;
            for (KjvBook book : KjvBook.values()) {
                for (int v = 1; v <= book.verses(); v++, line++) {
                    verses.add(new Verse(book, 0, v, lines[line]));
                }
            }
        }
        return new KjvCorpus(verses, source == null ? "text" : source.toString());
    }

    // ------------------------------------------------------------------------------------------
    // Content

    /** All verses, in the order of the source. */
    public List<Verse> verses() {
        return verses;
    }

    /** The books present, in the order they first appear. */
    public List<KjvBook> books() {
        return books;
    }

    /** Where the text was read from (a file, or the {@code bible} program). */
    public String source() {
        return source;
    }

    /** Every verse followed by {@code '\n'}. */
    public String text() {
        return text;
    }

    /** The verses of {@code books} (in corpus order), each followed by {@code '\n'}. */
    public String text(Collection<KjvBook> books) {
        return join(verses, EnumSet.copyOf(nonEmpty(books)), false);
    }

    /** Verses, words, characters and distinct characters of {@link #text()}. */
    public TextStats stats() {
        return TextStats.of(text);
    }

    /** Training = all books but {@link #HELD_OUT_BOOKS}; held out = those (the ones present). */
    public TextSplit split() {
        return split(HELD_OUT_BOOKS);
    }

    /** Holds out the last {@code count} books present in the corpus. */
    public TextSplit splitLastBooks(int count) {
        if (count < 1 || count >= books.size()) {
            throw new IllegalArgumentException("can hold out 1.." + (books.size() - 1) + " of the " + books.size()
                    + " books present, not " + count);
        }
        return split(books.subList(books.size() - count, books.size()));
    }

    /**
     * Holds out the verses of {@code heldOut}; both parts keep corpus order.
     *
     * @throws IllegalArgumentException if none of those books is present or no training verse would remain
     */
    public TextSplit split(Collection<KjvBook> heldOut) {
        EnumSet<KjvBook> out = EnumSet.copyOf(nonEmpty(heldOut));
        List<String> present = new ArrayList<>();
        for (KjvBook b : books) {
            if (out.contains(b)) {
                present.add(b.title());
            }
        }
        if (present.isEmpty()) {
            throw new IllegalArgumentException("none of the books to hold out " + out + " is in this corpus (books: "
                    + books + ")");
        }
        String train = join(verses, out, true);
        String held = join(verses, out, false);
        if (train.isEmpty()) {
            throw new IllegalArgumentException("holding out " + out + " leaves no training text");
        }
        String what = String.join(", ", present) + " (" + present.size() + (present.size() == 1 ? " book, " : " books, ")
                + String.format(Locale.ROOT, "%,d", held.length()) + " characters)";
        return new TextSplit(train, held, what);
    }

    /** The corpus in the {@code kjv.txt} reference format: {@code <reference> <text>} a line. */
    public String toFileFormat() {
        StringBuilder sb = new StringBuilder(text.length() + verses.size() * 10);
        for (Verse v : verses) {
            sb.append(v.reference()).append(' ').append(v.text()).append('\n');
        }
        return sb.toString();
    }

    private static String join(List<Verse> verses, Set<KjvBook> books, boolean exclude) {
        StringBuilder sb = new StringBuilder();
        for (Verse v : verses) {
            if (books == null || books.contains(v.book()) != exclude) {
                sb.append(v.text()).append('\n');
            }
        }
        return sb.toString();
    }

    private static Collection<KjvBook> nonEmpty(Collection<KjvBook> books) {
        Objects.requireNonNull(books, "books");
        if (books.isEmpty()) {
            throw new IllegalArgumentException("no books given");
        }
        return books;
    }

    private static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }

    @Override
    public String toString() {
        return "KjvCorpus[" + verses.size() + " verses, " + books.size() + " books, " + text.length()
                + " chars, from " + source + "]";
    }

    // ------------------------------------------------------------------------------------------

    /** Configures where {@link #load()} looks; every setter is optional. */
    public static final class Loader {
        private Path data;
        private Map<String, String> environment = System.getenv();
        private Path cacheRoot;
        private Path bibleProgram;
        private boolean useDebian = true;
        private boolean writeCache = true;
        private Duration timeout = Duration.ofSeconds(120);

        private Loader() {
        }

        /** An explicit file or directory ({@code --data}); {@code null} for none. Searched alone, no fallback. */
        public Loader data(Path data) {
            this.data = data;
            return this;
        }

        /** The environment to read {@code KILN_DATA} and {@code PATH} from (default: the process environment). */
        public Loader environment(Map<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /** The cache root; the cache file is {@code <root>/kjv/kjv.txt} (default as {@link DatasetLocator}). */
        public Loader cacheRoot(Path root) {
            this.cacheRoot = root;
            return this;
        }

        /**
         * The {@code bible} program to run (default: {@code bible} on the {@code PATH}, else
         * {@link #DEBIAN_BIBLE}).
         */
        public Loader bibleProgram(Path program) {
            this.bibleProgram = program;
            return this;
        }

        /** Whether to try the Debian packages at all (default true). */
        public Loader useDebianPackage(boolean use) {
            this.useDebian = use;
            return this;
        }

        /** Whether to write the text the {@code bible} program printed to the cache (default true). */
        public Loader writeCache(boolean write) {
            this.writeCache = write;
            return this;
        }

        /** How long the {@code bible} program may run (default 120 s). */
        public Loader timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The cache file, {@code <cache root>/kjv/kjv.txt}. */
        public Path cacheFile() {
            return locator().cacheDir().resolve(FILE);
        }

        private DatasetLocator locator() {
            return DatasetLocator.builder(NAME).explicitDir(data).environment(environment)
                    .standardDirs(List.of()).cacheRoot(cacheRoot).download(false).progress(null).build();
        }

        /**
         * Loads the corpus (search order in the {@link KjvCorpus} class comment).
         *
         * @throws DatasetNotFoundException if the text is nowhere, listing the places looked at
         * @throws CorruptDataException     if a file the user named (explicitly or through {@code KILN_DATA})
         *                                  is not in the {@code kjv.txt} format
         */
        public KjvCorpus load() throws IOException {
            if (data != null && Files.isRegularFile(data)) {
                return read(data);
            }
            DatasetLocator locator = locator();
            Path cacheDir = locator.cacheDir();
            List<String> looked = new ArrayList<>();
            if (data == null) {
                String env = environment.get(DatasetLocator.ENV_DATA);
                if (env == null || env.isBlank()) {
                    looked.add("$" + DatasetLocator.ENV_DATA + ": not set");
                }
            } else if (!Files.exists(data)) {
                looked.add(data + ": does not exist");
            }
            for (Path dir : locator.searchDirs()) {
                Path file = dir.resolve(FILE);
                if (!Files.isRegularFile(file)) {
                    looked.add(file + (Files.exists(file) ? ": not a regular file" : ": does not exist"));
                    continue;
                }
                if (data == null && dir.equals(cacheDir)) {
                    try {
                        return read(file);
                    } catch (CorruptDataException e) {
                        looked.add(file + ": damaged cache, ignored (" + e.getMessage() + ")");
                        continue;
                    }
                }
                return read(file);
            }
            if (data == null) {
                if (!useDebian) {
                    looked.add("Debian packages " + APT_PACKAGES + ": not tried (disabled)");
                } else {
                    KjvCorpus fromDebian = fromBibleProgram(cacheDir.resolve(FILE), looked);
                    if (fromDebian != null) {
                        return fromDebian;
                    }
                }
            }
            throw notFound(looked);
        }

        private KjvCorpus fromBibleProgram(Path cacheFile, List<String> looked) throws IOException {
            Path program = findBible();
            if (program == null) {
                looked.add("Debian package bible-kjv: no 'bible' program on $PATH or at " + DEBIAN_BIBLE);
                return null;
            }
            String what = program + " -f " + BIBLE_RANGE;
            Path work = Files.createTempDirectory("kiln-kjv");
            Path out = work.resolve("stdout");
            Path err = work.resolve("stderr");
            try {
                // An empty working directory: 'bible' looks for its data in the current directory first.
                ProcessBuilder pb = new ProcessBuilder(program.toString(), "-f", BIBLE_RANGE)
                        .directory(work.toFile())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile());
                Process p;
                try {
                    p = pb.start();
                } catch (IOException e) {
                    looked.add("Debian package bible-kjv: cannot run " + what + ": " + e.getMessage());
                    return null;
                }
                p.getOutputStream().close();
                boolean done;
                try {
                    done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while running " + what, e);
                }
                if (!done) {
                    p.destroyForcibly();
                    looked.add("Debian package bible-kjv: " + what + " did not finish within " + timeout.toSeconds() + " s");
                    return null;
                }
                String stderr = new String(Files.readAllBytes(err), StandardCharsets.UTF_8).strip();
                if (p.exitValue() != 0) {
                    looked.add("Debian package bible-kjv: " + what + " exited with status " + p.exitValue()
                            + (stderr.isEmpty() ? "" : ": " + shorten(stderr.lines().findFirst().orElse("")))
                            + " (is bible-kjv-text installed?)");
                    return null;
                }
                byte[] bytes = Files.readAllBytes(out);
                KjvCorpus corpus;
                try {
                    corpus = parse(TextFile.decode(null, bytes), null);
                } catch (CorruptDataException e) {
                    looked.add("Debian package bible-kjv: " + what + " printed unexpected output: " + e.getMessage());
                    return null;
                }
                List<Verse> vs = corpus.verses();
                Verse first = vs.get(0);
                Verse last = vs.get(vs.size() - 1);
                if (!first.reference().equals("Ge1:1") || !last.reference().equals("Rev22:21")) {
                    looked.add("Debian package bible-kjv: " + what + " printed " + first.reference() + " to "
                            + last.reference() + ", expected Ge1:1 to Rev22:21");
                    return null;
                }
                if (writeCache) {
                    writeAtomically(cacheFile, bytes);
                }
                return new KjvCorpus(vs, "Debian package bible-kjv (" + what + ")");
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
                Files.deleteIfExists(work);
            }
        }

        private Path findBible() {
            if (bibleProgram != null) {
                return Files.isExecutable(bibleProgram) ? bibleProgram : null;
            }
            String path = environment.get("PATH");
            if (path != null) {
                for (String d : path.split(java.io.File.pathSeparator)) {
                    if (d.isEmpty()) {
                        continue;
                    }
                    Path p = Path.of(d, "bible");
                    if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                        return p;
                    }
                }
            }
            return Files.isExecutable(DEBIAN_BIBLE) ? DEBIAN_BIBLE : null;
        }

        /** Writes the cache via a temporary file and a rename; a cache that cannot be written is skipped. */
        private static void writeAtomically(Path target, byte[] bytes) {
            Path tmp = null;
            try {
                Files.createDirectories(target.getParent());
                tmp = Files.createTempFile(target.getParent(), FILE + ".", ".part");
                Files.write(tmp, bytes);
                DatasetLocator.moveIntoPlace(tmp, target);
                tmp = null;
            } catch (IOException | RuntimeException e) {
                // The corpus is already in memory; without a cache the next load runs 'bible' again.
            } finally {
                if (tmp != null) {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException ignored) {
                        // nothing more to do
                    }
                }
            }
        }

        private DatasetNotFoundException notFound(List<String> looked) {
            StringBuilder sb = new StringBuilder(NAME).append(": cannot find the King James Bible text (")
                    .append(FILE).append("). Looked in:\n");
            for (String l : looked) {
                sb.append("  - ").append(l).append('\n');
            }
            sb.append("To get the data, do one of:\n");
            sb.append("  - sudo apt-get install ").append(APT_PACKAGES).append('\n');
            sb.append("  - put the text, one verse a line as 'bible -f ").append(BIBLE_RANGE)
                    .append("' prints it, into DIR/").append(FILE).append(" and pass --data DIR or set ")
                    .append(DatasetLocator.ENV_DATA).append("=DIR");
            return new DatasetNotFoundException(sb.toString());
        }
    }
}
