package dev.kiln.models;

import dev.kiln.Device;
import dev.kiln.data.DatasetLocator;
import dev.kiln.data.FashionMnist;
import dev.kiln.data.text.KjvCorpus;
import dev.kiln.models.lstm.CharLstm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo's datasets say whether they are here, and when not, why and how to get them. */
class DemoDatasetsTest {

    private static DatasetLocator emptyLocator(Path dir) {
        return FashionMnist.locatorBuilder().environment(Map.of()).standardDirs(List.of(dir.resolve("debian")))
                .cacheRoot(dir.resolve("cache")).download(false).progress(null).build();
    }

    @Test
    void fashionMnistMissingNamesThePlacesAndThePackage(@TempDir Path dir) {
        DemoDataset d = Datasets.fashionMnistForDemo(emptyLocator(dir));
        assertFalse(d.isAvailable());
        assertEquals(Datasets.FASHION_MNIST, d.name());
        assertTrue(d.missing().contains(dir.resolve("debian").toString()) && d.missing().contains(dir.resolve("cache").toString()),
                d.missing());
        assertEquals("sudo apt-get install dataset-fashion-mnist", d.getIt());
    }

    @Test
    void fashionMnistFoundIsAvailable(@TempDir Path dir) throws Exception {
        Path debian = Files.createDirectories(dir.resolve("debian"));
        for (FashionMnist.Split s : FashionMnist.Split.values()) {
            Files.write(debian.resolve(s.imagesFile()), new byte[] {1});
            Files.write(debian.resolve(s.labelsFile()), new byte[] {1});
        }
        DemoDataset d = Datasets.fashionMnistForDemo(emptyLocator(dir));
        assertTrue(d.isAvailable(), String.valueOf(d.missing()));
        assertNull(d.getIt());
    }

    @Test
    void theGanHasADemoRowOnTheRingOfEightGaussiansBesideMoons() {
        RunRequest req = new RunRequest("-", Device.cpu(), null, null, null, 1, null, null, false, true, null);
        assertEquals(List.of("moons", "ring"),
                new dev.kiln.models.gan.GanModel().demoDatasets(req).stream().map(DemoDataset::name).toList());
        assertTrue(new dev.kiln.models.gan.GanModel().demoDatasets(req).stream().allMatch(DemoDataset::isAvailable));
        assertEquals(List.of("moons"), new dev.kiln.models.ddpm.DdpmModel().demoDatasets(req).stream().map(DemoDataset::name).toList());
    }

    @Test
    void kjvMissingFromTheDataDirSaysWhereAndHow(@TempDir Path dir) throws Exception {
        RunRequest req = new RunRequest("-", Device.cpu(), null, null, null, 1, null, dir, false, true, null);
        DemoDataset d = CharLstm.model().demoDatasets(req).get(0);
        assertFalse(d.isAvailable());
        assertEquals("no kjv.txt in " + dir, d.missing());
        assertTrue(d.getIt().startsWith("sudo apt-get install bible-kjv bible-kjv-text"), d.getIt());

        Files.writeString(dir.resolve(KjvCorpus.FILE), "Ge1:1 In the beginning\n");
        assertTrue(CharLstm.model().demoDatasets(req).get(0).isAvailable());
    }
}
