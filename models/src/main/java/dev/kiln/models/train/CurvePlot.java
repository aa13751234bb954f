package dev.kiln.models.train;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Draws a run's curves per epoch into one PNG with XChart: one panel per metric name, holding its
 * {@code train_<name>} and {@code test_<name>} columns (a classifier gets a loss and an accuracy
 * panel, a GAN one per loss), up to three panels a row. Works without a display: the JVM is
 * switched to headless AWT before the first chart is built. The file is written to a temporary
 * name and renamed, like checkpoints.
 */
public final class CurvePlot {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 420;
    private static final int PER_ROW = 3;

    private CurvePlot() {
    }

    /** The metric names with a curve: the {@code train_*} and {@code test_*} columns without their prefix, in column order. */
    static List<String> metrics(History history) {
        Set<String> names = new LinkedHashSet<>();
        for (String c : history.columns()) {
            if (c.startsWith(EpochStats.TRAIN)) {
                names.add(c.substring(EpochStats.TRAIN.length()));
            } else if (c.startsWith(EpochStats.TEST)) {
                names.add(c.substring(EpochStats.TEST.length()));
            }
        }
        return new ArrayList<>(names);
    }

    /** Writes the curves of {@code history} to {@code png}; {@code title} heads every panel. */
    public static void write(History history, String title, Path png) throws IOException {
        if (history.isEmpty()) {
            throw new IllegalArgumentException("Nothing to plot: the history has no epochs");
        }
        System.setProperty("java.awt.headless", "true");
        int n = history.size();
        double[] x = new double[n];
        for (int k = 0; k < n; k++) {
            x[k] = history.epochs().get(k).epoch();
        }
        List<XYChart> charts = new ArrayList<>();
        for (String name : metrics(history)) {
            XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title + ": " + name).xAxisTitle("epoch")
                    .yAxisTitle(name).build();
            c.getStyler().setLegendVisible(true);
            c.getStyler().setXAxisDecimalPattern("#");
            addSeries(c, "train", history, EpochStats.TRAIN + name, x, SeriesMarkers.CIRCLE);
            addSeries(c, "test", history, EpochStats.TEST + name, x, SeriesMarkers.DIAMOND);
            charts.add(c);
        }
        if (charts.isEmpty()) {
            throw new IllegalArgumentException("Nothing to plot: the history has no train_ or test_ columns " + history.columns());
        }
        int cols = Math.min(PER_ROW, charts.size());
        int rows = (charts.size() + cols - 1) / cols;
        BufferedImage image = new BufferedImage(cols * WIDTH, rows * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            for (int k = 0; k < charts.size(); k++) {
                g.drawImage(BitmapEncoder.getBufferedImage(charts.get(k)), (k % cols) * WIDTH, (k / cols) * HEIGHT, null);
            }
        } finally {
            g.dispose();
        }
        AtomicFiles.write(png, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("No PNG writer in this JVM");
            }
        });
    }

    private static void addSeries(XYChart chart, String label, History history, String column, double[] x,
                                  org.knowm.xchart.style.markers.Marker marker) {
        if (!history.columns().contains(column)) {
            return;
        }
        double[] y = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            double v = history.epochs().get(k).get(column);
            y[k] = Double.isFinite(v) ? v : 0;
        }
        chart.addSeries(label, x, y).setMarker(marker);
    }
}
