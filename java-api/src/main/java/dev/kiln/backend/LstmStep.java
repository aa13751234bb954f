package dev.kiln.backend;

/**
 * Which step of an LSTM layer a cell kernel computes: time step {@code t} (compared with the
 * per-row lengths of a padded batch) for {@code batch} rows of {@code hidden} units (4·hidden gates).
 */
public record LstmStep(int t, int batch, int hidden) {

    public LstmStep {
        if (t < 0 || batch < 1 || hidden < 1) {
            throw new IllegalArgumentException("Bad LSTM step " + this);
        }
    }
}
