package dev.kiln.data;

import java.io.IOException;

/**
 * A dataset's files were found nowhere Kiln looked and could not be downloaded.
 * The message lists every place that was tried (and why each did not work) and the
 * one-line ways to get the data.
 */
public final class DatasetNotFoundException extends IOException {
    private static final long serialVersionUID = 1L;

    public DatasetNotFoundException(String message) {
        super(message);
    }

    public DatasetNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
