package dev.kiln.models.train;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Draws a run's loss and accuracy curves (train and held-out, per epoch) side by side into one
 * PNG with XChart. Works without a display: the JVM is switched to headless AWT before the first
 * chart is built. The file is written to a temporary name and renamed, like checkpoints.
 */
public final class CurvePlot {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 420;

    private CurvePlot() {
    }

    /** Writes the curves of {@code history} to {@code png}; {@code title} heads both panels. */
    public static void write(History history, String title, Path png) throws IOException {
        if (history.isEmpty()) {
            throw new IllegalArgumentException("Nothing to plot: the history has no epochs");
        }
        System.setProperty("java.awt.headless", "true");
        List<EpochStats> eps = history.epochs();
        int n = eps.size();
        double[] x = new double[n];
        double[] trainLoss = new double[n];
        double[] testLoss = new double[n];
        double[] trainAcc = new double[n];
        double[] testAcc = new double[n];
        for (int k = 0; k < n; k++) {
            EpochStats s = eps.get(k);
            x[k] = s.epoch();
            trainLoss[k] = finiteOrZero(s.trainLoss());
            testLoss[k] = finiteOrZero(s.testLoss());
            trainAcc[k] = s.trainAccuracy();
            testAcc[k] = s.testAccuracy();
        }
        XYChart loss = chart(title + ": loss", "cross-entropy");
        loss.addSeries("train", x, trainLoss).setMarker(SeriesMarkers.CIRCLE);
        loss.addSeries("test", x, testLoss).setMarker(SeriesMarkers.DIAMOND);
        XYChart acc = chart(title + ": accuracy", "accuracy");
        acc.addSeries("train", x, trainAcc).setMarker(SeriesMarkers.CIRCLE);
        acc.addSeries("test", x, testAcc).setMarker(SeriesMarkers.DIAMOND);

        Path abs = png.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                BitmapEncoder.saveBitmap(List.of(loss, acc), 1, 2, out, BitmapEncoder.BitmapFormat.PNG);
            }
            AtomicFiles.move(tmp, abs);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
        c.getStyler().setLegendVisible(true);
        c.getStyler().setXAxisDecimalPattern("#");
        return c;
    }

    private static double finiteOrZero(double v) {
        return Double.isFinite(v) ? v : 0;
    }
}
