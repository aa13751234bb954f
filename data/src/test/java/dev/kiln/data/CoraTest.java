package dev.kiln.data;

import com.sun.net.httpserver.HttpServer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Cora reader on small files in the original LINQS form, the archive read in place, the
 * download from a loopback server with its SHA-256 checked (right and wrong), and every bad line.
 */
class CoraTest {

    /** Five papers, three features, classes named out of order; six citations (one self-citation). */
    static final String CONTENT = """
            31336\t0\t1\t0\tNeural_Networks
            1061127\t1\t0\t0\tRule_Learning
            1106406\t0\t0\t1\tReinforcement_Learning
            13195\t1\t1\t0\tReinforcement_Learning
            37879\t0\t1\t1\tNeural_Networks
            """;
    static final String CITES = """
            31336\t1061127
            31336\t13195
            1106406\t37879
            13195\t13195
            37879\t1061127

            1061127\t1106406
            """;

    @TempDir
    Path tmp;
    HttpServer server;
    String baseUrl;
    byte[] archive;
    final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        archive = tgz(Map.of("cora/README", "A fixture in Cora's format.\n", "cora/cora.content", CONTENT, "cora/cora.cites", CITES));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/lbc/", exchange -> {
            requests.incrementAndGet();
            boolean known = exchange.getRequestURI().getPath().equals("/lbc/" + Cora.ARCHIVE);
            byte[] body = known ? archive : "not found".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(known ? 200 : 404, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        baseUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/lbc/";
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    static byte[] tgz(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            for (String name : List.of("cora/README", "cora/cora.content", "cora/cora.cites")) {
                if (!files.containsKey(name)) {
                    continue;
                }
                byte[] b = files.get(name).getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(name);
                e.setSize(b.length);
                tar.putArchiveEntry(e);
                tar.write(b);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** A locator that sees nothing of this machine: no KILN_DATA, no standard dirs, a temp cache, the loopback source. */
    DatasetLocator.Builder hermetic(String sha) {
        return Cora.locatorBuilder().file(Cora.ARCHIVE, sha).environment(Map.of()).standardDirs(List.of(tmp.resolve("usr-share")))
                .cacheRoot(tmp.resolve("cache")).baseUrl(baseUrl).progress(null);
    }

    static void checkFixture(Cora.Graph g) {
        assertEquals(5, g.nodes());
        assertEquals(List.of("31336", "1061127", "1106406", "13195", "37879"), g.paperIds());
        assertEquals(List.of("Neural_Networks", "Reinforcement_Learning", "Rule_Learning"), g.classNames());
        assertArrayEquals(new int[] {0, 2, 1, 1, 0}, g.labels());
        assertEquals(3, g.featureDim());
        assertArrayEquals(new float[] {0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1}, g.features());
        assertEquals(6, g.edges());
        assertArrayEquals(new int[] {0, 0, 2, 3, 4, 1}, g.cited());
        assertArrayEquals(new int[] {1, 3, 4, 3, 1, 2}, g.citing());
    }

    @Test
    void readsTheUnpackedFilesFromTheNamedDirectory() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("data").resolve("cora"));
        Files.writeString(dir.resolve(Cora.CONTENT), CONTENT);
        Files.writeString(dir.resolve(Cora.CITES), CITES);
        checkFixture(Cora.load(tmp.resolve("data")));
        assertEquals(0, requests.get());
    }

    @Test
    void readsTheArchiveInPlaceFromKilnData() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("kiln-data"));
        Files.write(dir.resolve(Cora.ARCHIVE), archive);
        checkFixture(Cora.load(hermetic(sha256(archive)).environment(Map.of(DatasetLocator.ENV_DATA, dir.toString()))));
        assertEquals(0, requests.get(), "nothing is downloaded when the archive is on disk");
    }

    @Test
    void downloadsTheArchiveFromLoopbackAndChecksIt() throws Exception {
        checkFixture(Cora.load(hermetic(sha256(archive))));
        assertEquals(1, requests.get());
        Path cached = tmp.resolve("cache").resolve(Cora.NAME).resolve(Cora.ARCHIVE);
        assertArrayEquals(archive, Files.readAllBytes(cached));
        checkFixture(Cora.load(hermetic(sha256(archive))));
        assertEquals(1, requests.get(), "the second load reads the cached archive");
    }

    @Test
    void aWrongChecksumRejectsTheDownloadAndKeepsNothing() throws Exception {
        String wrong = sha256("another archive".getBytes(StandardCharsets.UTF_8));
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, () -> Cora.load(hermetic(wrong)));
        assertTrue(e.getMessage().contains(wrong) && e.getMessage().contains(sha256(archive)), e.getMessage());
        Path cache = tmp.resolve("cache").resolve(Cora.NAME);
        try (var files = Files.list(cache)) {
            assertEquals(0, files.count(), "no partial or unverified file stays in the cache");
        }
    }

    @Test
    void nothingAnywhereNamesThePlacesAndTheSource() throws Exception {
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class,
                () -> Cora.load(hermetic(sha256(archive)).download(false)));
        String m = e.getMessage();
        assertTrue(m.contains(Cora.CONTENT) && m.contains(Cora.ARCHIVE) && m.contains(tmp.resolve("usr-share").toString()), m);
        DatasetNotFoundException named = assertThrows(DatasetNotFoundException.class, () -> Cora.load(tmp.resolve("empty")));
        assertTrue(named.getMessage().contains(tmp.resolve("empty").toString()), named.getMessage());
    }

    @Test
    void theOfficialSourceAndChecksumAreDeclared() {
        DatasetLocator loc = Cora.locatorBuilder().build();
        assertEquals("https://linqs-data.soe.ucsc.edu/public/lbc/cora.tgz", loc.urlOf(Cora.ARCHIVE).toString());
        assertTrue(Cora.ARCHIVE_SHA256.matches("[0-9a-f]{64}"));
    }

    private CorruptDataException bad(String content, String cites) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(dir.resolve(Cora.CONTENT), content);
        Files.writeString(dir.resolve(Cora.CITES), cites);
        return assertThrows(CorruptDataException.class, () -> Cora.load(dir));
    }

    @Test
    void aCitationOfAMissingPaperNamesFileLineAndId() throws Exception {
        CorruptDataException e = bad(CONTENT, "31336\t1061127\n31336\t99999\n");
        assertTrue(e.getMessage().contains(Cora.CITES) && e.getMessage().contains("line 2")
                && e.getMessage().contains("'99999' (citing) is not in cora.content"), e.getMessage());
        // the same inside the archive names the member
        Path tgz = tmp.resolve(Cora.ARCHIVE);
        Files.write(tgz, tgz(Map.of("cora/cora.content", CONTENT, "cora/cora.cites", "4242\t31336\n")));
        CorruptDataException inArchive = assertThrows(CorruptDataException.class, () -> Cora.readArchive(tgz));
        assertTrue(inArchive.getMessage().contains("cora/cora.cites line 1: paper '4242' (cited)"), inArchive.getMessage());
    }

    @Test
    void malformedLinesNameFileLineAndValue() throws Exception {
        String m = bad(CONTENT.replace("1106406\t0\t0\t1", "1106406\t0\tx7\t1"), CITES).getMessage();
        assertTrue(m.contains(Cora.CONTENT) && m.contains("line 3") && m.contains("feature 2 of paper '1106406' is 'x7'"), m);
        m = bad(CONTENT.replace("13195\t1\t1\t0\t", "13195\t1\t0\t"), CITES).getMessage();
        assertTrue(m.contains("line 4") && m.contains("paper '13195' has 2 features, the lines before have 3"), m);
        m = bad(CONTENT + "31336\t0\t0\t0\tRule_Learning\n", CITES).getMessage();
        assertTrue(m.contains("line 6") && m.contains("paper '31336' is listed twice (first on line 1)"), m);
        m = bad(CONTENT + "lonely\n", CITES).getMessage();
        assertTrue(m.contains("line 6") && m.contains("got 1 field: 'lonely'"), m);
        m = bad(CONTENT, "31336\t1061127\t13195\n").getMessage();
        assertTrue(m.contains(Cora.CITES) && m.contains("line 1") && m.contains("got 3 fields: '31336\t1061127\t13195'"), m);
        m = bad("\n", CITES).getMessage();
        assertTrue(m.contains("holds no papers"), m);
    }

    @Test
    void aDamagedArchiveIsACorruptDataError() throws Exception {
        Path tgz = tmp.resolve(Cora.ARCHIVE);
        Files.write(tgz, java.util.Arrays.copyOf(archive, archive.length / 2));
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> Cora.readArchive(tgz));
        assertTrue(e.getMessage().contains(tgz.toString()), e.getMessage());
        Files.write(tgz, tgz(Map.of("cora/cora.content", CONTENT)));
        e = assertThrows(CorruptDataException.class, () -> Cora.readArchive(tgz));
        assertTrue(e.getMessage().contains("holds no cora.cites"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("cora.cites")));
    }
}
