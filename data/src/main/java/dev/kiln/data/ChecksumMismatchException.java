package dev.kiln.data;

import java.nio.file.Path;

/**
 * A downloaded file's SHA-256 differs from the value Kiln expects. The bad file has
 * already been deleted when this is thrown; the message names the source, the expected
 * and the actual hash.
 */
public final class ChecksumMismatchException extends CorruptDataException {
    private static final long serialVersionUID = 1L;

    private final String expectedSha256;
    private final String actualSha256;

    public ChecksumMismatchException(Path path, String source, String expectedSha256, String actualSha256) {
        super(path, "SHA-256 mismatch for " + source + ": expected " + expectedSha256
                + ", got " + actualSha256 + " (the downloaded file was deleted)");
        this.expectedSha256 = expectedSha256;
        this.actualSha256 = actualSha256;
    }

    public String expectedSha256() {
        return expectedSha256;
    }

    public String actualSha256() {
        return actualSha256;
    }
}
