package dev.kiln.models.ddpm;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A PNG with one scatter panel per named 2-D point set (held-out data, generated samples, the noise
 * baseline), all on the same axes. Headless; written to a temporary file and renamed.
 */
public final class ScatterPlot {

    private ScatterPlot() {
    }

    /** A named point set {@code [n, 2]}. */
    public record Panel(String title, float[] points) {
    }

    public static void write(List<Panel> panels, double extent, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<XYChart> charts = new java.util.ArrayList<>();
        for (Panel p : panels) {
            int n = p.points().length / 2;
            double[] x = new double[n], y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = p.points()[2 * i];
                y[i] = p.points()[2 * i + 1];
            }
            XYChart c = new XYChartBuilder().width(420).height(420).title(p.title()).build();
            c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            c.getStyler().setLegendVisible(false);
            c.getStyler().setMarkerSize(3);
            c.getStyler().setXAxisMin(-extent).setXAxisMax(extent).setYAxisMin(-extent).setYAxisMax(extent);
            c.addSeries(p.title(), x, y).setMarker(SeriesMarkers.CIRCLE);
            charts.add(c);
        }
        dev.kiln.models.train.AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(charts, 1, charts.size(), out, BitmapEncoder.BitmapFormat.PNG));
    }
}
