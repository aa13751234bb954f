package dev.kiln.data;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * The Cora citation graph (McCallum et al., 2000; the LINQS release used by Kipf and Welling) in
 * its original text form: {@code cora.content} holds one paper a line, tab-separated — its id,
 * 1,433 binary word features and its class name — and {@code cora.cites} one citation a line,
 * {@code <cited id> <citing id>}. The published graph has 2,708 papers, 5,429 citations and 7
 * classes.
 *
 * <p>Found as {@link DatasetLocator} finds files ({@code --data DIR}, {@code KILN_DATA}, the
 * standard places and the cache, each also with a {@code cora/} sub-directory), either unpacked
 * ({@code cora.content} and {@code cora.cites}) or as the official archive {@code cora.tgz}, which
 * is read without unpacking. When neither is anywhere, the archive is downloaded from LINQS into
 * the cache and its SHA-256 checked before it is read.
 *
 * <p>Bad input is an error naming the file, the line and the value: a line with too few fields,
 * a feature that is not a number, a paper listed twice, a citation of a paper missing from
 * {@code cora.content}.
 *
 * <pre>{@code
 * Cora.Graph g = Cora.load(null);           // or Cora.load(Path.of("data"))
 * g.nodes();                                // 2708
 * }</pre>
 */
public final class Cora {

    public static final String NAME = "cora";
    public static final String CONTENT = "cora.content";
    public static final String CITES = "cora.cites";
    public static final String ARCHIVE = "cora.tgz";
    /** Where LINQS publishes the archive. */
    public static final String BASE_URL = "https://linqs-data.soe.ucsc.edu/public/lbc/";
    /**
     * SHA-256 of the official {@code cora.tgz} (168,052 bytes), as pinned by independent public
     * dataset-acquisition code; not re-computed here, where the archive cannot be fetched.
     */
    public static final String ARCHIVE_SHA256 = "0d4ed463d1627bb7f3e8420effe8f5545fd492ae8f88dab44ce86cee7b26d7e8";

    /**
     * One citation graph as read: node i is the i-th line of the content file.
     *
     * @param paperIds   the papers' ids, in file order
     * @param features   {@code [nodes, featureDim]} row-major, as in the file
     * @param featureDim features per paper
     * @param labels     the class of each paper, an index into {@code classNames}
     * @param classNames the class names, sorted
     * @param cited      per citation, the cited paper's node
     * @param citing     per citation, the citing paper's node
     */
    public record Graph(List<String> paperIds, float[] features, int featureDim, int[] labels, List<String> classNames,
                        int[] cited, int[] citing) {

        public int nodes() {
            return labels.length;
        }

        public int edges() {
            return cited.length;
        }

        public int classes() {
            return classNames.size();
        }
    }

    private Cora() {
    }

    /** The locator for Cora's archive: LINQS as the source, the archive's SHA-256 for the check. */
    public static DatasetLocator.Builder locatorBuilder() {
        return DatasetLocator.builder(NAME).defaultBaseUrl(BASE_URL).file(ARCHIVE, ARCHIVE_SHA256);
    }

    /**
     * Loads Cora from {@code dir} (the files or the archive there or in {@code dir/cora}; nothing
     * else is searched), or, with {@code dir} null, from the standard places, downloading it if it
     * is nowhere.
     */
    public static Graph load(Path dir) throws IOException {
        return load(locatorBuilder().explicitDir(dir));
    }

    /**
     * Loads Cora where {@code locator} finds it: the unpacked files first, then the archive (which
     * the locator downloads, with its SHA-256 checked, when it is nowhere on disk).
     */
    public static Graph load(DatasetLocator.Builder locator) throws IOException {
        Objects.requireNonNull(locator, "locator");
        DatasetLocator archive = locator.build();
        DatasetLocator unpacked = locator.download(false).build();
        Path dir;
        try {
            dir = unpacked.locate(CONTENT, CITES);
        } catch (DatasetNotFoundException noFiles) {
            Path tgz;
            try {
                tgz = archive.resolve(ARCHIVE);
            } catch (DatasetNotFoundException noArchive) {
                // The archive's search covers the same places; its message names them and the download.
                throw new DatasetNotFoundException("Cora was not found: neither " + CONTENT + " with " + CITES + " (unpacked) nor "
                        + ARCHIVE + " is in any place Kiln looked.\n" + noArchive.getMessage(), noArchive);
            }
            return readArchive(tgz);
        }
        return read(dir.resolve(CONTENT), dir.resolve(CITES));
    }

    /** Reads the two text files. */
    public static Graph read(Path content, Path cites) throws IOException {
        return parse(content, content.getFileName().toString(), Files.readString(content, StandardCharsets.UTF_8),
                cites, cites.getFileName().toString(), Files.readString(cites, StandardCharsets.UTF_8));
    }

    /**
     * Reads {@code cora.content} and {@code cora.cites} from the gzipped tar {@code tgz} (members
     * named so, in any directory), without unpacking it.
     */
    public static Graph readArchive(Path tgz) throws IOException {
        Map<String, String> members = new HashMap<>();
        Map<String, String> paths = new HashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz), 1 << 16);
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                String base = e.getName().substring(e.getName().lastIndexOf('/') + 1);
                if (e.isFile() && (base.equals(CONTENT) || base.equals(CITES))) {
                    members.put(base, new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                    paths.put(base, e.getName());
                }
            }
        } catch (IOException e) {
            if (e instanceof CorruptDataException) {
                throw e;
            }
            throw new CorruptDataException(tgz, "not a readable gzipped tar archive: " + e.getMessage(), e);
        }
        for (String f : List.of(CONTENT, CITES)) {
            if (!members.containsKey(f)) {
                throw new CorruptDataException(tgz, "the archive holds no " + f + " (expected cora/" + f + ")");
            }
        }
        return parse(tgz, paths.get(CONTENT), members.get(CONTENT), tgz, paths.get(CITES), members.get(CITES));
    }

    /** Parses the two files' text; {@code *File} is what errors name (with the line). */
    static Graph parse(Path contentFile, String contentName, String content, Path citesFile, String citesName, String cites)
            throws IOException {
        // Errors start with the file's path; inside an archive they also name the member.
        boolean archive = contentFile.equals(citesFile);
        String cName = archive ? contentName + " " : "";
        String eName = archive ? citesName + " " : "";
        List<String> ids = new ArrayList<>();
        List<String> labelNames = new ArrayList<>();
        Map<String, Integer> node = new HashMap<>();
        float[] feats = new float[1 << 16];
        int dim = -1, line = 0;
        try (BufferedReader r = new BufferedReader(new StringReader(content))) {
            for (String s; (s = r.readLine()) != null; ) {
                line++;
                if (s.isBlank()) {
                    continue;
                }
                String[] f = s.strip().split("\t");
                if (f.length < 3) {
                    throw new CorruptDataException(contentFile, cName + "line " + line + ": expected <paper id> <features…> <class> "
                            + "separated by tabs, got " + f.length + " field" + (f.length == 1 ? "" : "s") + ": '" + clip(s) + "'");
                }
                if (dim < 0) {
                    dim = f.length - 2;
                } else if (f.length - 2 != dim) {
                    throw new CorruptDataException(contentFile, cName + "line " + line + ": paper '" + f[0] + "' has " + (f.length - 2)
                            + " features, the lines before have " + dim);
                }
                if (node.putIfAbsent(f[0], ids.size()) != null) {
                    throw new CorruptDataException(contentFile, cName + "line " + line + ": paper '" + f[0]
                            + "' is listed twice (first on line " + lineOf(content, f[0]) + ")");
                }
                int base = ids.size() * dim;
                if (base + dim > feats.length) {
                    feats = Arrays.copyOf(feats, Math.max(base + dim, feats.length * 2));
                }
                for (int k = 0; k < dim; k++) {
                    String v = f[k + 1];
                    float x;
                    try {
                        x = Float.parseFloat(v);
                    } catch (NumberFormatException e) {
                        x = Float.NaN;
                    }
                    if (!Float.isFinite(x)) {
                        throw new CorruptDataException(contentFile, cName + "line " + line + ": feature " + (k + 1) + " of paper '"
                                + f[0] + "' is '" + clip(v) + "', not a number");
                    }
                    feats[base + k] = x;
                }
                ids.add(f[0]);
                labelNames.add(f[f.length - 1]);
            }
        }
        if (ids.isEmpty()) {
            throw new CorruptDataException(contentFile, cName + "holds no papers");
        }
        List<String> classes = new ArrayList<>(new TreeSet<>(labelNames));
        Map<String, Integer> classIndex = new HashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            classIndex.put(classes.get(c), c);
        }
        int[] labels = new int[ids.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = classIndex.get(labelNames.get(i));
        }
        int[] cited = new int[1024], citing = new int[1024];
        int e = 0;
        line = 0;
        try (BufferedReader r = new BufferedReader(new StringReader(cites))) {
            for (String s; (s = r.readLine()) != null; ) {
                line++;
                if (s.isBlank()) {
                    continue;
                }
                String[] f = s.strip().split("\\s+");
                if (f.length != 2) {
                    throw new CorruptDataException(citesFile, eName + "line " + line + ": expected <cited paper id> <citing paper id>, got "
                            + f.length + " fields: '" + clip(s) + "'");
                }
                if (e == cited.length) {
                    cited = Arrays.copyOf(cited, 2 * e);
                    citing = Arrays.copyOf(citing, 2 * e);
                }
                for (int k = 0; k < 2; k++) {
                    Integer n = node.get(f[k]);
                    if (n == null) {
                        throw new CorruptDataException(citesFile, eName + "line " + line + ": paper '" + f[k] + "' ("
                                + (k == 0 ? "cited" : "citing") + ") is not in " + contentName);
                    }
                    (k == 0 ? cited : citing)[e] = n;
                }
                e++;
            }
        }
        return new Graph(List.copyOf(ids), Arrays.copyOf(feats, ids.size() * dim), dim, labels, List.copyOf(classes),
                Arrays.copyOf(cited, e), Arrays.copyOf(citing, e));
    }

    private static int lineOf(String content, String id) {
        int line = 1;
        for (String s : content.split("\n", -1)) {
            if (s.startsWith(id + "\t")) {
                return line;
            }
            line++;
        }
        return -1;
    }

    private static String clip(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
