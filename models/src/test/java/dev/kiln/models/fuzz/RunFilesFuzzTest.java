package dev.kiln.models.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.kiln.models.train.Checkpoint;
import dev.kiln.models.train.History;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * Fuzzes what a run reads back: the history CSV and the checkpoint (a tensor file, given a valid
 * magic and checksum so that the fuzzer reaches the checkpoint's own checks). Each returns or
 * throws its documented error, never anything else. The committed corpus
 * ({@code RunFilesFuzzTestInputs}) replays in every test run.
 */
class RunFilesFuzzTest {

    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("kiln-fuzz-ckpt");
            DIR.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void historyCsvParsesOrIsRefusedAndRoundTrips(@NotNull String csv) {
        History h;
        try {
            h = History.parseCsv(csv);
        } catch (IllegalArgumentException expected) {
            return;
        }
        History again = History.parseCsv(h.toCsv());
        if (!again.toCsv().equals(h.toCsv())) {
            throw new AssertionError("toCsv/parseCsv does not round-trip: " + h.toCsv() + " vs " + again.toCsv());
        }
    }

    @FuzzTest(maxDuration = "10s")
    void checkpointsLoadOrAreNamedDamaged(FuzzedDataProvider data) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes("KILNTF2\n".getBytes(StandardCharsets.US_ASCII));
        file.writeBytes(data.consumeRemainingAsBytes());
        CRC32 crc = new CRC32();
        crc.update(file.toByteArray());
        long c = crc.getValue();
        for (int k = 7; k >= 0; k--) {
            file.write((int) (c >>> (8 * k)));
        }
        Path p = DIR.resolve("checkpoint.kiln");
        Files.write(p, file.toByteArray());
        try {
            Checkpoint.load(p);
        } catch (IOException expected) {
            if (expected.getMessage() == null || !expected.getMessage().contains(p.toString())) {
                throw new AssertionError("the error does not name the file: " + expected, expected);
            }
        } finally {
            Files.deleteIfExists(p);
        }
    }
}
