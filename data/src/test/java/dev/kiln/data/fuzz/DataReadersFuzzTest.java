package dev.kiln.data.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.kiln.data.CorruptDataException;
import dev.kiln.data.IdxReader;
import dev.kiln.data.text.CharVocab;
import dev.kiln.data.text.KjvCorpus;
import dev.kiln.data.text.TextFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes the dataset readers: the IDX reader (Fashion-MNIST), the strict UTF-8 text decoder, the
 * {@code kjv.txt} parser and the character vocabulary's parser. Each either returns or throws its
 * documented error ({@link CorruptDataException}; {@link IllegalArgumentException} for the
 * vocabulary), never anything else. The committed corpus ({@code DataReadersFuzzTestInputs})
 * replays in every test run.
 */
class DataReadersFuzzTest {

    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("kiln-fuzz-idx");
            DIR.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void idxFilesAreReadOrNamedCorrupt(FuzzedDataProvider data) throws IOException {
        int dims = data.consumeInt(1, 4);
        boolean gzip = data.consumeBoolean();
        byte[] bytes = data.consumeRemainingAsBytes();
        Path file = DIR.resolve(gzip ? "fuzz-idx.gz" : "fuzz-idx");
        Files.write(file, bytes);
        try {
            IdxReader.read(file, dims);
        } catch (CorruptDataException expected) {
            // the defect is named
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void textIsDecodedOrNamedCorrupt(byte @NotNull [] bytes) {
        try {
            TextFile.decode(null, bytes);
        } catch (CorruptDataException expected) {
            // not UTF-8, named
        }
    }

    @FuzzTest(maxDuration = "10s")
    void kjvTextIsParsedOrNamedCorrupt(@NotNull String content) {
        try {
            KjvCorpus.parse(content, null);
        } catch (CorruptDataException expected) {
            // the line and what was expected are named
        }
    }

    @FuzzTest(maxDuration = "10s")
    void vocabulariesParseOrAreRefusedAndRoundTrip(@NotNull String s) {
        CharVocab v;
        try {
            v = CharVocab.parse(s);
        } catch (IllegalArgumentException expected) {
            return;
        }
        CharVocab again = CharVocab.parse(v.serialize());
        if (!again.equals(v)) {
            throw new AssertionError("serialize/parse does not round-trip: " + v + " vs " + again);
        }
    }
}
