package dev.kiln.data;

import java.util.Objects;

/**
 * Per-feature standardization {@code (x - mean) / std}, with mean and standard deviation
 * fitted on one dataset (the training split) and applied unchanged to others (the test
 * split), so no information leaks from test data into preprocessing.
 *
 * <p>The standard deviation is the population one (divide by {@code n}). A feature that is
 * constant in the fitted data gets {@code std = 1}, so it maps to 0 instead of NaN.
 *
 * <pre>{@code
 * LabeledData.TrainTest tt = Iris.trainTestSplit(42);
 * Standardizer s = Standardizer.fit(tt.train());
 * LabeledData train = s.apply(tt.train());
 * LabeledData test = s.apply(tt.test());
 * }</pre>
 */
public final class Standardizer {

    private final float[] mean;
    private final float[] std;

    private Standardizer(float[] mean, float[] std) {
        this.mean = mean;
        this.std = std;
    }

    /**
     * Fits one mean/std per feature position ({@link LabeledData#featureSize()} of them).
     *
     * @throws IllegalArgumentException if {@code data} is empty
     */
    public static Standardizer fit(LabeledData data) {
        Objects.requireNonNull(data, "data");
        if (data.size() == 0) {
            throw new IllegalArgumentException("cannot fit a Standardizer on an empty dataset");
        }
        int cols = data.featureSize();
        float[] row = new float[cols];
        double[] sum = new double[cols];
        for (int i = 0; i < data.size(); i++) {
            data.copyFeatures(i, row, 0);
            for (int j = 0; j < cols; j++) {
                sum[j] += row[j];
            }
        }
        double[] mu = new double[cols];
        for (int j = 0; j < cols; j++) {
            mu[j] = sum[j] / data.size();
        }
        double[] sq = new double[cols];
        for (int i = 0; i < data.size(); i++) {
            data.copyFeatures(i, row, 0);
            for (int j = 0; j < cols; j++) {
                double d = row[j] - mu[j];
                sq[j] += d * d;
            }
        }
        return fromMoments(mu, sq, data.size());
    }

    /**
     * Fits on a row-major {@code rows x cols} matrix.
     *
     * @throws IllegalArgumentException if {@code rows < 1}, {@code cols < 1} or {@code x.length != rows * cols}
     */
    public static Standardizer fit(float[] x, int rows, int cols) {
        Objects.requireNonNull(x, "x");
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("rows and cols must be >= 1, got rows=" + rows + ", cols=" + cols);
        }
        if ((long) rows * cols != x.length) {
            throw new IllegalArgumentException("x has " + x.length + " values, expected rows x cols = "
                    + rows + " x " + cols + " = " + (long) rows * cols);
        }
        double[] mu = new double[cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                mu[j] += x[i * cols + j];
            }
        }
        for (int j = 0; j < cols; j++) {
            mu[j] /= rows;
        }
        double[] sq = new double[cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double d = x[i * cols + j] - mu[j];
                sq[j] += d * d;
            }
        }
        return fromMoments(mu, sq, rows);
    }

    private static Standardizer fromMoments(double[] mu, double[] sq, int n) {
        int cols = mu.length;
        float[] mean = new float[cols];
        float[] std = new float[cols];
        for (int j = 0; j < cols; j++) {
            mean[j] = (float) mu[j];
            double s = Math.sqrt(sq[j] / n);
            std[j] = s > 1e-12 ? (float) s : 1f;
        }
        return new Standardizer(mean, std);
    }

    /** Number of features this was fitted on. */
    public int featureSize() {
        return mean.length;
    }

    /** Fitted means (a copy). */
    public float[] mean() {
        return mean.clone();
    }

    /** Fitted standard deviations, constant features reported as 1 (a copy). */
    public float[] std() {
        return std.clone();
    }

    /**
     * A standardized copy of {@code data} (labels, shape and class names unchanged).
     *
     * @throws IllegalArgumentException if its feature size differs from the fitted one
     */
    public LabeledData apply(LabeledData data) {
        Objects.requireNonNull(data, "data");
        if (data.featureSize() != mean.length) {
            throw new IllegalArgumentException("data has " + data.featureSize()
                    + " features per example, this Standardizer was fitted on " + mean.length);
        }
        float[] x = data.features();
        applyInPlace(x);
        return new LabeledData(x, data.labels(), data.featureShape(), data.numClasses(), data.classNames(), true);
    }

    /** A standardized copy of a row-major matrix with {@link #featureSize()} columns. */
    public float[] apply(float[] x) {
        Objects.requireNonNull(x, "x");
        float[] y = x.clone();
        applyInPlace(y);
        return y;
    }

    /**
     * Standardizes a row-major matrix with {@link #featureSize()} columns in place.
     *
     * @throws IllegalArgumentException if {@code x.length} is not a multiple of {@link #featureSize()}
     */
    public void applyInPlace(float[] x) {
        Objects.requireNonNull(x, "x");
        int cols = mean.length;
        if (x.length % cols != 0) {
            throw new IllegalArgumentException("x has " + x.length + " values, not a multiple of the "
                    + cols + " features this Standardizer was fitted on");
        }
        for (int i = 0; i < x.length; i += cols) {
            for (int j = 0; j < cols; j++) {
                x[i + j] = (x[i + j] - mean[j]) / std[j];
            }
        }
    }
}
