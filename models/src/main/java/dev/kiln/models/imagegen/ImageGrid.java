package dev.kiln.models.imagegen;

import dev.kiln.models.train.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A PNG grid of grey images: {@code n} images of {@code h × w} pixels with values in {@code [−1, 1]}
 * (−1 black, 1 white; values outside are clamped), laid out in rows of {@code columns}, each image
 * scaled up by {@code zoom} with a one-pixel grey border. Written with {@code javax.imageio},
 * atomically.
 */
public final class ImageGrid {

    private ImageGrid() {
    }

    /** The grid as an image. */
    public static BufferedImage render(float[] images, int n, int h, int w, int columns, int zoom) {
        if (n <= 0 || h <= 0 || w <= 0 || columns <= 0 || zoom <= 0 || images.length < (long) n * h * w) {
            throw new IllegalArgumentException("a grid needs n, h, w, columns, zoom > 0 and n·h·w values; got n " + n + ", "
                    + h + "×" + w + ", " + columns + " columns, zoom " + zoom + ", " + images.length + " values");
        }
        int cols = Math.min(columns, n), rows = (n + cols - 1) / cols;
        int cellW = w * zoom + 1, cellH = h * zoom + 1;
        BufferedImage img = new BufferedImage(cols * cellW + 1, rows * cellH + 1, BufferedImage.TYPE_BYTE_GRAY);
        var raster = img.getRaster();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                raster.setSample(x, y, 0, 96);
            }
        }
        for (int k = 0; k < n; k++) {
            int ox = (k % cols) * cellW + 1, oy = (k / cols) * cellH + 1;
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    float v = images[k * h * w + i * w + j];
                    int g = (int) Math.round(255 * Math.max(0, Math.min(1, (v + 1) / 2)));
                    for (int a = 0; a < zoom; a++) {
                        for (int b = 0; b < zoom; b++) {
                            raster.setSample(ox + j * zoom + b, oy + i * zoom + a, 0, g);
                        }
                    }
                }
            }
        }
        return img;
    }

    /** Renders and writes the grid to {@code png}. */
    public static void write(float[] images, int n, int h, int w, int columns, int zoom, Path png) throws IOException {
        BufferedImage img = render(images, n, h, w, columns, zoom);
        AtomicFiles.write(png, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer in this Java runtime");
            }
        });
    }
}
