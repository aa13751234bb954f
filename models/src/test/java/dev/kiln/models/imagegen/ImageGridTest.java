package dev.kiln.models.imagegen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The PNG grid: layout, zoom, borders and the [−1, 1] → 0..255 mapping, read back from the file. */
class ImageGridTest {

    @Test
    void gridLayoutAndGreyLevels(@TempDir Path dir) throws IOException {
        // Three 2×2 images: all black, all white, a diagonal of mid grey (0 → 128) on clamped values.
        float[] px = {-1, -1, -1, -1, 1, 1, 1, 1, 0, -5, 5, 0};
        Path png = dir.resolve("g.png");
        ImageGrid.write(px, 3, 2, 2, 2, 3, png);
        BufferedImage img = ImageIO.read(png.toFile());
        // 2 columns × (2·3 + 1) + 1 = 15 wide; 2 rows × 7 + 1 = 15 high.
        assertEquals(15, img.getWidth());
        assertEquals(15, img.getHeight());
        var r = img.getRaster();
        assertEquals(96, r.getSample(0, 0, 0), "border");
        assertEquals(0, r.getSample(1, 1, 0), "first image, black");
        assertEquals(0, r.getSample(6, 6, 0), "first image's last zoomed pixel");
        assertEquals(96, r.getSample(7, 1, 0), "border between the columns");
        assertEquals(255, r.getSample(8, 1, 0), "second image, white");
        assertEquals(128, r.getSample(1, 8, 0), "third image, 0 maps to mid grey");
        assertEquals(0, r.getSample(4, 8, 0), "-5 clamps to black");
        assertEquals(255, r.getSample(1, 11, 0), "5 clamps to white");
        assertEquals(96, r.getSample(10, 10, 0), "the empty fourth cell stays border grey");
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.render(px, 4, 2, 2, 2, 1));
    }
}
