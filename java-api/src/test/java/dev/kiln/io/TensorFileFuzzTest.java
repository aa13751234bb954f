package dev.kiln.io;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * Fuzzes the tensor file reader: whatever the bytes, it returns contents or throws
 * {@link TensorFile.CorruptFileException}, never anything else. The inputs get a valid magic and
 * checksum, so the fuzzer reaches the parser behind the checksum. The committed corpus
 * ({@code TensorFileFuzzTestInputs}) replays in every test run.
 */
class TensorFileFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void anyBodyBehindAValidChecksumIsReadOrNamedCorrupt(FuzzedDataProvider data) {
        boolean firstLayout = data.consumeBoolean();
        byte[] body = data.consumeRemainingAsBytes();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes((firstLayout ? "KILNTF1\n" : "KILNTF2\n").getBytes(StandardCharsets.US_ASCII));
        file.writeBytes(body);
        CRC32 crc = new CRC32();
        crc.update(file.toByteArray());
        long c = crc.getValue();
        for (int k = 7; k >= 0; k--) {
            file.write((int) (c >>> (8 * k)));
        }
        try {
            TensorFile.read(file.toByteArray(), Path.of("fuzz.kiln"));
        } catch (TensorFile.CorruptFileException expected) {
            // the defect is named
        } catch (java.io.IOException e) {
            throw new AssertionError("an IOException that is not a CorruptFileException: " + e, e);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void rawBytesAreReadOrNamedCorrupt(byte @NotNull [] bytes) {
        try {
            TensorFile.read(bytes, Path.of("fuzz.kiln"));
        } catch (TensorFile.CorruptFileException expected) {
            // the defect is named
        } catch (java.io.IOException e) {
            throw new AssertionError("an IOException that is not a CorruptFileException: " + e, e);
        }
    }
}
