package dev.kiln.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file exists but its content is not what Kiln expected: a wrong magic number,
 * a wrong number of dimensions, a payload shorter or longer than its header declares,
 * a damaged gzip stream, a label out of range, or a checksum that does not match.
 *
 * <p>The message always names the file and says what was expected and what was found.
 * A reader that throws this never hands back partial data.
 */
public class CorruptDataException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;

    /** @param path the offending file (may be {@code null} if there is no file, e.g. a stream) */
    public CorruptDataException(Path path, String message) {
        super(prefix(path) + message);
        this.path = path;
    }

    public CorruptDataException(Path path, String message, Throwable cause) {
        super(prefix(path) + message, cause);
        this.path = path;
    }

    /** The file whose content is bad, or {@code null} when the data did not come from a file. */
    public Path path() {
        return path;
    }

    private static String prefix(Path path) {
        return path == null ? "" : path + ": ";
    }
}
