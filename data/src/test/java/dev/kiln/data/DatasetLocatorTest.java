package dev.kiln.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Locating and downloading dataset files; downloads go to a loopback server, never the internet. */
class DatasetLocatorTest {

    static final int N = 12;
    static final FashionMnist.Split SPLIT = FashionMnist.Split.TEST;

    @TempDir
    Path tmp;

    HttpServer server;
    final Map<String, byte[]> served = new ConcurrentHashMap<>();
    final AtomicInteger requests = new AtomicInteger();
    String baseUrl;
    byte[] imagesGz;
    byte[] labelsGz;
    byte[] pixels;
    byte[] labels;

    @BeforeEach
    void startServer() throws IOException {
        pixels = IdxReaderTest.randomBytes(N * 28 * 28, 11);
        labels = new byte[N];
        for (int i = 0; i < N; i++) {
            labels[i] = (byte) ((i * 7) % 10);
        }
        Path fixtures = Files.createDirectories(tmp.resolve("fixtures"));
        IdxWriter.write(fixtures.resolve(SPLIT.imagesFile()), new int[] {N, 28, 28}, pixels, true);
        IdxWriter.write(fixtures.resolve(SPLIT.labelsFile()), new int[] {N}, labels, true);
        imagesGz = Files.readAllBytes(fixtures.resolve(SPLIT.imagesFile()));
        labelsGz = Files.readAllBytes(fixtures.resolve(SPLIT.labelsFile()));

        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/fm/", exchange -> {
            requests.incrementAndGet();
            String name = exchange.getRequestURI().getPath().substring("/fm/".length());
            byte[] body = served.get(name);
            if (body == null) {
                byte[] msg = "not found".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(404, msg.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(msg);
                }
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        baseUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/fm/";
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** A locator that sees nothing of this machine: no KILN_DATA, no standard dirs, a temp cache. */
    DatasetLocator.Builder hermetic() {
        return DatasetLocator.builder(FashionMnist.NAME)
                .environment(Map.of())
                .standardDirs(List.of(tmp.resolve("usr-share")))
                .cacheRoot(tmp.resolve("cache"))
                .baseUrl(baseUrl)
                .aptPackage(FashionMnist.APT_PACKAGE)
                .progress(null);
    }

    List<String> cacheFiles() throws IOException {
        Path dir = tmp.resolve("cache").resolve(FashionMnist.NAME);
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void downloadsVerifiesAndCaches() throws Exception {
        served.put(SPLIT.imagesFile(), imagesGz);
        served.put(SPLIT.labelsFile(), labelsGz);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        DatasetLocator loc = hermetic()
                .file(SPLIT.imagesFile(), sha256(imagesGz))
                .file(SPLIT.labelsFile(), sha256(labelsGz))
                .progress(new PrintStream(progress, true, StandardCharsets.UTF_8))
                .build();
        LabeledData d = FashionMnist.load(loc, SPLIT);
        assertEquals(N, d.size());
        assertArrayEquals(new int[] {1, 28, 28}, d.featureShape());
        assertEquals((pixels[100] & 0xFF) / 255f, d.feature(0, 100));
        assertEquals(labels[5], d.label(5));
        assertEquals(List.of(SPLIT.imagesFile(), SPLIT.labelsFile()), cacheFiles());
        assertArrayEquals(imagesGz, Files.readAllBytes(loc.cacheDir().resolve(SPLIT.imagesFile())));
        String log = progress.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains(baseUrl + SPLIT.imagesFile()), log);
        assertTrue(log.contains(imagesGz.length + "/" + imagesGz.length + " bytes"), log);
        assertTrue(log.contains("SHA-256 verified"), log);
        assertEquals(2, requests.get());

        // the cache is a standard place: the second load makes no request
        FashionMnist.load(loc, SPLIT);
        assertEquals(2, requests.get());
    }

    @Test
    void checksumMismatchDeletesTheFileAndNamesBothHashes() throws Exception {
        served.put(SPLIT.imagesFile(), imagesGz);
        served.put(SPLIT.labelsFile(), labelsGz);
        String wrong = sha256("something else".getBytes(StandardCharsets.UTF_8));
        DatasetLocator loc = hermetic()
                .file(SPLIT.imagesFile(), wrong)
                .file(SPLIT.labelsFile(), sha256(labelsGz))
                .build();
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class,
                () -> FashionMnist.load(loc, SPLIT));
        String actual = sha256(imagesGz);
        assertEquals(wrong, e.expectedSha256());
        assertEquals(actual, e.actualSha256());
        assertTrue(e.getMessage().contains("expected " + wrong) && e.getMessage().contains("got " + actual),
                e.getMessage());
        assertTrue(e.getMessage().contains(baseUrl + SPLIT.imagesFile()), e.getMessage());
        assertEquals(List.of(), cacheFiles(), "nothing may be left behind");
    }

    @Test
    void serverErrorIsReportedWithThePlacesLooked() throws Exception {
        served.put(SPLIT.imagesFile(), imagesGz); // labels are missing on the server
        DatasetLocator loc = hermetic()
                .file(SPLIT.imagesFile(), sha256(imagesGz))
                .file(SPLIT.labelsFile(), sha256(labelsGz))
                .build();
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class,
                () -> FashionMnist.load(loc, SPLIT));
        String m = e.getMessage();
        assertTrue(m.contains("HTTP 404") && m.contains(baseUrl + SPLIT.labelsFile()), m);
        assertTrue(m.contains(tmp.resolve("usr-share") + ": does not exist"), m);
        assertTrue(m.contains("sudo apt-get install dataset-fashion-mnist"), m);
        // the verified images file stays cached; no partial labels file
        assertEquals(List.of(SPLIT.imagesFile()), cacheFiles());
    }

    @Test
    void missingEverywhereListsEveryPlaceAndTheFixes() {
        Path kilnData = tmp.resolve("kiln-data");
        DatasetLocator loc = FashionMnist.locatorBuilder()
                .environment(Map.of(DatasetLocator.ENV_DATA, kilnData.toString()))
                .standardDirs(List.of(tmp.resolve("usr-share").resolve(FashionMnist.NAME)))
                .cacheRoot(tmp.resolve("cache"))
                .download(false)
                .progress(null)
                .build();
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class,
                () -> FashionMnist.load(loc, FashionMnist.Split.TRAIN));
        String m = e.getMessage();
        for (String part : List.of(
                "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                kilnData.resolve(FashionMnist.NAME) + ": does not exist",
                kilnData + ": does not exist",
                tmp.resolve("usr-share").resolve(FashionMnist.NAME) + ": does not exist",
                tmp.resolve("cache").resolve(FashionMnist.NAME) + ": does not exist",
                "download: disabled",
                "sudo apt-get install dataset-fashion-mnist",
                FashionMnist.BASE_URL,
                "--data DIR", "KILN_DATA=DIR")) {
            assertTrue(m.contains(part), "expected '" + part + "' in:\n" + m);
        }
    }

    @Test
    void unsetKilnDataIsReported() {
        DatasetLocator loc = hermetic().download(false).build();
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class,
                () -> loc.locate("a.gz"));
        assertTrue(e.getMessage().contains("$KILN_DATA: not set"), e.getMessage());
    }

    @Test
    void kilnDataWithSubdirectoryOrFilesDirectly() throws Exception {
        Path root = tmp.resolve("data");
        Path sub = Files.createDirectories(root.resolve(FashionMnist.NAME));
        Files.write(sub.resolve(SPLIT.imagesFile()), imagesGz);
        Files.write(sub.resolve(SPLIT.labelsFile()), labelsGz);
        DatasetLocator loc = hermetic().environment(Map.of("KILN_DATA", root.toString())).download(false).build();
        assertEquals(sub, loc.locate(SPLIT.imagesFile(), SPLIT.labelsFile()));
        assertEquals(N, FashionMnist.load(loc, SPLIT).size());

        DatasetLocator direct = hermetic().environment(Map.of("KILN_DATA", sub.toString())).download(false).build();
        assertEquals(sub, direct.locate(SPLIT.imagesFile(), SPLIT.labelsFile()));
        assertEquals(0, requests.get());
    }

    @Test
    void partialDirectoryIsSkippedAndNamedWithWhatIsMissing() throws Exception {
        Path std = Files.createDirectories(tmp.resolve("usr-share"));
        Files.write(std.resolve(SPLIT.imagesFile()), imagesGz);
        DatasetLocator loc = hermetic().download(false).build();
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class,
                () -> loc.locate(SPLIT.imagesFile(), SPLIT.labelsFile()));
        assertTrue(e.getMessage().contains(std + ": missing " + SPLIT.labelsFile()), e.getMessage());
    }

    @Test
    void explicitDirectoryIsUsedAloneWithoutFallback() throws Exception {
        // the standard place has the files, the named directory does not: that is an error
        Path std = Files.createDirectories(tmp.resolve("usr-share"));
        Files.write(std.resolve(SPLIT.imagesFile()), imagesGz);
        Files.write(std.resolve(SPLIT.labelsFile()), labelsGz);
        served.put(SPLIT.imagesFile(), imagesGz);
        served.put(SPLIT.labelsFile(), labelsGz);
        Path named = Files.createDirectories(tmp.resolve("named"));
        DatasetLocator loc = hermetic().explicitDir(named).build();
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class,
                () -> FashionMnist.load(loc, SPLIT));
        assertTrue(e.getMessage().contains(named + ": missing"), e.getMessage());
        assertTrue(e.getMessage().contains("the directory you named"), e.getMessage());
        assertFalse(e.getMessage().contains(std.toString()), e.getMessage());
        assertEquals(0, requests.get());

        DatasetLocator ok = hermetic().explicitDir(std).build();
        assertEquals(N, FashionMnist.load(ok, SPLIT).size());
        LabeledData viaPath = FashionMnist.load(std, SPLIT);
        assertEquals(N, viaPath.size());
    }

    @Test
    void systemPropertiesSetUrlAndCacheDirectory() throws Exception {
        served.put(SPLIT.imagesFile(), imagesGz);
        served.put(SPLIT.labelsFile(), labelsGz);
        Path cacheRoot = tmp.resolve("prop-cache");
        System.setProperty(DatasetLocator.PROP_BASE_URL, baseUrl);
        System.setProperty(DatasetLocator.PROP_CACHE_DIR, cacheRoot.toString());
        try {
            DatasetLocator loc = DatasetLocator.builder(FashionMnist.NAME)
                    .defaultBaseUrl(FashionMnist.BASE_URL)
                    .file(SPLIT.imagesFile(), sha256(imagesGz))
                    .file(SPLIT.labelsFile(), sha256(labelsGz))
                    .environment(Map.of())
                    .standardDirs(List.of())
                    .progress(null)
                    .build();
            assertEquals(cacheRoot.resolve(FashionMnist.NAME), loc.cacheDir());
            assertEquals(baseUrl + "x.gz", loc.urlOf("x.gz").toString());
            assertEquals(N, FashionMnist.load(loc, SPLIT).size());
            assertTrue(Files.isRegularFile(cacheRoot.resolve(FashionMnist.NAME).resolve(SPLIT.labelsFile())));
        } finally {
            System.clearProperty(DatasetLocator.PROP_BASE_URL);
            System.clearProperty(DatasetLocator.PROP_CACHE_DIR);
        }
    }

    @Test
    void defaultsPointAtTheOfficialSourceAndTheUsualPlaces() {
        DatasetLocator loc = FashionMnist.locatorBuilder().environment(Map.of()).build();
        assertEquals(FashionMnist.BASE_URL + "train-images-idx3-ubyte.gz",
                loc.urlOf("train-images-idx3-ubyte.gz").toString());
        List<Path> dirs = loc.searchDirs();
        assertEquals(Path.of("/usr/share/datasets/fashion-mnist"), dirs.get(0));
        assertEquals(loc.cacheDir(), dirs.get(dirs.size() - 1));
        assertEquals(4, FashionMnist.SHA256.size());
    }

    @Test
    void builderRejectsBadInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatasetLocator.builder("x").file("a.gz", "abc"));
        assertTrue(e.getMessage().contains("a.gz") && e.getMessage().contains("'abc'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DatasetLocator.builder("../etc"));
    }

    @Test
    void refusesToDownloadWithoutAKnownChecksum() {
        served.put("unknown.gz", new byte[] {1, 2, 3});
        DatasetLocator loc = hermetic().build();
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class, () -> loc.locate("unknown.gz"));
        assertTrue(e.getMessage().contains("no known SHA-256"), e.getMessage());
        assertEquals(0, requests.get());
    }
}
