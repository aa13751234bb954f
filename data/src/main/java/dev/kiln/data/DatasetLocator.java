package dev.kiln.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.HttpURLConnection;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Finds the files of a named dataset, downloading them when they are nowhere on disk.
 *
 * <p>Search order for {@link #locate(String...)} (a directory counts only if it holds
 * <em>all</em> requested files; for each directory {@code D} below, {@code D/<name>} is
 * tried before {@code D} itself):
 * <ol>
 *   <li>the explicit directory, if one was given ({@link Builder#explicitDir(Path)}, e.g. from
 *       {@code --data DIR}); if it lacks the files the search stops there with an error,
 *       because silently using other data than the user named would be worse;</li>
 *   <li>the directory in the environment variable {@code KILN_DATA};</li>
 *   <li>the standard places: {@code /usr/share/datasets/<name>} (Debian's
 *       {@code dataset-*} packages) and the cache {@code ~/.kiln/datasets/<name>};</li>
 *   <li>a download of the missing files from the official source into the cache directory:
 *       each file goes to a temporary file in that directory, its SHA-256 is checked against
 *       the known value, and only then is it renamed into place (atomically where the file
 *       system allows); a mismatch deletes it and throws {@link ChecksumMismatchException};</li>
 *   <li>otherwise a {@link DatasetNotFoundException} listing every place looked at and the
 *       one-line ways to get the data.</li>
 * </ol>
 *
 * <p>System properties (read by {@link #builder(String)}, overridden by the builder's setters):
 * {@code kiln.data.baseUrl} (the URL the file names are appended to),
 * {@code kiln.data.cacheDir} (the cache root, default {@code ~/.kiln/datasets}),
 * {@code kiln.data.download=false} (never download).
 *
 * <pre>{@code
 * DatasetLocator loc = DatasetLocator.builder("fashion-mnist")
 *         .baseUrl("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")
 *         .file("t10k-labels-idx1-ubyte.gz", "67da17c7…")
 *         .aptPackage("dataset-fashion-mnist")
 *         .build();
 * Path dir = loc.locate("t10k-labels-idx1-ubyte.gz");
 * }</pre>
 */
public final class DatasetLocator {

    /** Environment variable naming a data directory. */
    public static final String ENV_DATA = "KILN_DATA";
    /** System property: base URL for downloads (file names are appended). */
    public static final String PROP_BASE_URL = "kiln.data.baseUrl";
    /** System property: cache root directory (default {@code ~/.kiln/datasets}). */
    public static final String PROP_CACHE_DIR = "kiln.data.cacheDir";
    /** System property: {@code false} disables downloads. */
    public static final String PROP_DOWNLOAD = "kiln.data.download";
    /** Root of Debian's dataset packages. */
    public static final Path DEBIAN_DATASETS = Path.of("/usr/share/datasets");

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Logger LOG = Logger.getLogger(DatasetLocator.class.getName());
    /** The {@code KILN_DATA} values already warned about, so a run that loads several files warns once. */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private final String name;
    private final Map<String, String> sha256ByFile;
    private final Path explicitDir;
    private final Map<String, String> environment;
    private final List<Path> standardDirs;
    private final Path cacheDir;
    private final URI baseUrl;
    private final boolean download;
    private final PrintStream progress;
    private final String aptPackage;
    private final Duration timeout;

    private DatasetLocator(Builder b) {
        this.name = b.name;
        this.sha256ByFile = Map.copyOf(b.sha256ByFile);
        this.explicitDir = b.explicitDir;
        this.environment = Map.copyOf(b.environment);
        Path cacheRoot = b.cacheRoot != null ? b.cacheRoot : defaultCacheRoot();
        this.cacheDir = cacheRoot.resolve(name);
        this.standardDirs = b.standardDirs != null ? List.copyOf(b.standardDirs)
                : List.of(DEBIAN_DATASETS.resolve(name));
        String url = b.baseUrl != null ? b.baseUrl
                : System.getProperty(PROP_BASE_URL) != null ? System.getProperty(PROP_BASE_URL)
                : b.defaultBaseUrl;
        this.baseUrl = url == null ? null : URI.create(url.endsWith("/") ? url : url + "/");
        this.download = b.download != null ? b.download
                : !"false".equalsIgnoreCase(System.getProperty(PROP_DOWNLOAD, "true"));
        this.progress = b.progress;
        this.aptPackage = b.aptPackage;
        this.timeout = b.timeout;
    }

    /**
     * A builder for dataset {@code name} (also the sub-directory name, e.g. {@code fashion-mnist}),
     * with defaults from the environment and the system properties above.
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The dataset name. */
    public String name() {
        return name;
    }

    /** Where downloads go: {@code <cache root>/<name>}. */
    public Path cacheDir() {
        return cacheDir;
    }

    /** The URL a file is downloaded from, or {@code null} if no base URL is configured. */
    public URI urlOf(String fileName) {
        return baseUrl == null ? null : baseUrl.resolve(fileName);
    }

    /** The directories searched, in order, before downloading (the explicit one alone if set). */
    public List<Path> searchDirs() {
        List<Path> dirs = new ArrayList<>();
        if (explicitDir != null) {
            dirs.add(explicitDir.resolve(name));
            dirs.add(explicitDir);
            return dirs;
        }
        String env = environment.get(ENV_DATA);
        if (env != null && !env.isBlank()) {
            warnIfNotADirectory(env);
            Path root = Path.of(env);
            dirs.add(root.resolve(name));
            dirs.add(root);
        }
        dirs.addAll(standardDirs);
        if (!dirs.contains(cacheDir)) {
            dirs.add(cacheDir);
        }
        return dirs;
    }

    /**
     * Logs a warning (once per value) when {@code KILN_DATA} names no directory: the search goes
     * on to the standard places, which is easy to miss when the variable has a typo.
     */
    public static void warnIfNotADirectory(String kilnData) {
        if (kilnData == null || kilnData.isBlank() || Files.isDirectory(Path.of(kilnData)) || !WARNED.add(kilnData)) {
            return;
        }
        LOG.warning("$" + ENV_DATA + " is " + kilnData + ", which " + (Files.exists(Path.of(kilnData)) ? "is not a directory"
                : "does not exist") + "; it is ignored and the data is looked for in the other places");
    }

    /** The path of one file, located as by {@link #locate(String...)}. */
    public Path resolve(String fileName) throws IOException {
        return locate(fileName).resolve(fileName);
    }

    /**
     * The first directory that holds all of {@code fileNames}, downloading into the cache
     * directory if none does.
     *
     * @throws DatasetNotFoundException  if the files are nowhere and cannot be downloaded
     * @throws ChecksumMismatchException if a downloaded file has the wrong SHA-256
     */
    public Path locate(String... fileNames) throws IOException {
        if (fileNames.length == 0) {
            throw new IllegalArgumentException("no file names given");
        }
        List<String> files = List.of(fileNames);
        List<String> looked = new ArrayList<>();
        if (explicitDir == null) {
            String env = environment.get(ENV_DATA);
            if (env == null || env.isBlank()) {
                looked.add("$" + ENV_DATA + ": not set");
            }
        }
        for (Path dir : searchDirs()) {
            String why = check(dir, files);
            if (why == null) {
                return dir;
            }
            looked.add(dir + ": " + why);
        }
        if (explicitDir != null) {
            throw notFound(files, looked, null, null);
        }
        if (!download) {
            return throwNotFound(files, looked, "download: disabled (" + PROP_DOWNLOAD + "=false)", null);
        }
        if (baseUrl == null) {
            return throwNotFound(files, looked, "download: no source URL configured", null);
        }
        for (String f : files) {
            if (!sha256ByFile.containsKey(f)) {
                return throwNotFound(files, looked, "download of " + f + ": no known SHA-256, refusing to download"
                        + " an unverifiable file", null);
            }
        }
        for (String f : files) {
            Path target = cacheDir.resolve(f);
            if (Files.isRegularFile(target)) {
                continue;
            }
            URI url = urlOf(f);
            try {
                download(url, target, sha256ByFile.get(f));
            } catch (ChecksumMismatchException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                throw notFound(files, looked, "download " + url + " -> " + cacheDir + ": failed: " + reason, e);
            }
        }
        return cacheDir;
    }

    private static String check(Path dir, List<String> files) {
        if (!Files.isDirectory(dir)) {
            return Files.exists(dir) ? "not a directory" : "does not exist";
        }
        List<String> missing = new ArrayList<>();
        for (String f : files) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                missing.add(f);
            }
        }
        return missing.isEmpty() ? null : "missing " + String.join(", ", missing);
    }

    private Path throwNotFound(List<String> files, List<String> looked, String last, Throwable cause)
            throws DatasetNotFoundException {
        throw notFound(files, looked, last, cause);
    }

    private DatasetNotFoundException notFound(List<String> files, List<String> looked, String last,
                                              Throwable cause) {
        StringBuilder sb = new StringBuilder();
        sb.append(name).append(": cannot find ").append(String.join(", ", files)).append(". Looked in:\n");
        for (String line : looked) {
            sb.append("  - ").append(line).append('\n');
        }
        if (last != null) {
            sb.append("  - ").append(last).append('\n');
        }
        sb.append("To get the data, do one of:\n");
        if (explicitDir != null) {
            sb.append("  - put the files into ").append(explicitDir).append(" (the directory you named)\n");
        }
        if (aptPackage != null) {
            sb.append("  - sudo apt-get install ").append(aptPackage).append('\n');
        }
        URI source = baseUrl;
        if (source != null) {
            sb.append("  - download ").append(source).append("{").append(String.join(",", files))
                    .append("} into a directory DIR and pass --data DIR or set ").append(ENV_DATA).append("=DIR\n");
        } else {
            sb.append("  - put the files into a directory DIR and pass --data DIR or set ")
                    .append(ENV_DATA).append("=DIR\n");
        }
        if (explicitDir == null) {
            sb.append("  - or run again with internet access (and ").append(PROP_DOWNLOAD)
                    .append(" not false): Kiln downloads them into ").append(cacheDir);
        } else {
            sb.setLength(sb.length() - 1);
        }
        return cause == null ? new DatasetNotFoundException(sb.toString())
                : new DatasetNotFoundException(sb.toString(), cause);
    }

    private void download(URI url, Path target, String expectedSha256) throws IOException {
        Path dir = target.getParent();
        Files.createDirectories(dir);
        URLConnection connection = url.toURL().openConnection();
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        connection.setConnectTimeout(millis);
        connection.setReadTimeout(millis);
        Path tmp = null;
        try {
            if (connection instanceof HttpURLConnection) {
                HttpURLConnection http = (HttpURLConnection) connection;
                http.setInstanceFollowRedirects(true);
                int status = http.getResponseCode();
                if (status != HttpURLConnection.HTTP_OK) {
                    String msg = http.getResponseMessage();
                    throw new IOException("HTTP " + status + (msg == null ? "" : " " + msg) + " from " + url);
                }
            }
            long total = connection.getContentLengthLong();
            tmp = Files.createTempFile(dir, target.getFileName().toString() + ".", ".part");
            MessageDigest sha = sha256();
            long done = 0;
            long nextReport = 0;
            if (progress != null) {
                progress.println("Downloading " + url + " to " + target
                        + (total >= 0 ? " (" + total + " bytes)" : ""));
            }
            try (InputStream body = connection.getInputStream(); OutputStream out = Files.newOutputStream(tmp)) {
                byte[] buf = new byte[1 << 16];
                for (int r; (r = body.read(buf)) >= 0; ) {
                    out.write(buf, 0, r);
                    sha.update(buf, 0, r);
                    done += r;
                    if (progress != null && done >= nextReport) {
                        progress.println("  " + target.getFileName() + ": " + done + "/"
                                + (total >= 0 ? Long.toString(total) : "?") + " bytes");
                        nextReport = done + (total > 0 ? Math.max(total / 10, 1) : 4L << 20);
                    }
                }
            }
            if (total >= 0 && done != total) {
                throw new IOException("connection closed after " + done + " of " + total + " bytes from " + url);
            }
            String actual = HexFormat.of().formatHex(sha.digest());
            if (!actual.equals(expectedSha256)) {
                Files.deleteIfExists(tmp);
                throw new ChecksumMismatchException(target, url.toString(), expectedSha256, actual);
            }
            moveIntoPlace(tmp, target);
            if (progress != null) {
                progress.println("  " + target.getFileName() + ": " + done + "/" + done + " bytes, SHA-256 verified");
            }
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
            if (connection instanceof HttpURLConnection) {
                ((HttpURLConnection) connection).disconnect();
            }
        }
    }

    /** Renames {@code tmp} to {@code target}, atomically where the file system supports it. */
    public static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The lower-case hex SHA-256 of a file's bytes. */
    public static String sha256(Path file) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) >= 0; ) {
                sha.update(buf, 0, r);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    private static Path defaultCacheRoot() {
        String prop = System.getProperty(PROP_CACHE_DIR);
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        return Path.of(System.getProperty("user.home"), ".kiln", "datasets");
    }

    /** Configures a {@link DatasetLocator}; every setter is optional. */
    public static final class Builder {
        private final String name;
        private final Map<String, String> sha256ByFile = new LinkedHashMap<>();
        private Path explicitDir;
        private Map<String, String> environment = System.getenv();
        private List<Path> standardDirs;
        private Path cacheRoot;
        private String baseUrl;
        private String defaultBaseUrl;
        private Boolean download;
        private PrintStream progress = System.err;
        private String aptPackage;
        private Duration timeout = Duration.ofSeconds(30);

        private Builder(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank() || name.contains("/") || name.contains("\\") || name.equals("..")) {
                throw new IllegalArgumentException("dataset name must be a plain directory name, got '" + name + "'");
            }
            this.name = name;
        }

        /** Declares a file the dataset may need, with the SHA-256 (64 hex digits) of its official copy. */
        public Builder file(String fileName, String sha256) {
            Objects.requireNonNull(fileName, "fileName");
            Objects.requireNonNull(sha256, "sha256");
            String s = sha256.toLowerCase(Locale.ROOT);
            if (!SHA256.matcher(s).matches()) {
                throw new IllegalArgumentException("SHA-256 of " + fileName + " must be 64 hex digits, got '"
                        + sha256 + "'");
            }
            sha256ByFile.put(fileName, s);
            return this;
        }

        /** A directory the user named (or {@code null} for none): searched alone, no fallback. */
        public Builder explicitDir(Path dir) {
            this.explicitDir = dir;
            return this;
        }

        /** The environment to read {@code KILN_DATA} from (default: the process environment). */
        public Builder environment(Map<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /** The standard directories (default: {@code /usr/share/datasets/<name>}); the cache is always added. */
        public Builder standardDirs(List<Path> dirs) {
            this.standardDirs = List.copyOf(dirs);
            return this;
        }

        /** The cache root; downloads go to {@code <root>/<name>} (default: property or {@code ~/.kiln/datasets}). */
        public Builder cacheRoot(Path root) {
            this.cacheRoot = root;
            return this;
        }

        /** The URL the file names are appended to (default: property {@code kiln.data.baseUrl}). */
        public Builder baseUrl(String url) {
            this.baseUrl = url;
            return this;
        }

        /**
         * The official URL, used unless property {@code kiln.data.baseUrl} or
         * {@link #baseUrl(String)} says otherwise.
         */
        public Builder defaultBaseUrl(String url) {
            this.defaultBaseUrl = url;
            return this;
        }

        /** Whether downloading is allowed (default: true unless {@code kiln.data.download=false}). */
        public Builder download(boolean allowed) {
            this.download = allowed;
            return this;
        }

        /** Where download progress goes (default {@code System.err}; {@code null} for silence). */
        public Builder progress(PrintStream progress) {
            this.progress = progress;
            return this;
        }

        /** The Debian/Ubuntu package that provides the files, named in the error message. */
        public Builder aptPackage(String aptPackage) {
            this.aptPackage = aptPackage;
            return this;
        }

        /** Connect and read (stall) timeout for downloads (default 30 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public DatasetLocator build() {
            return new DatasetLocator(this);
        }

        @Override
        public String toString() {
            return "DatasetLocator.Builder[" + name + ", files=" + Arrays.toString(sha256ByFile.keySet().toArray()) + "]";
        }
    }
}
