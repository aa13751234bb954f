package dev.kiln.cuda;

import dev.kiln.DeviceUnavailableException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;

/**
 * Finds the emulated driver's native libraries among kiln-cuda's resources
 * ({@code dev/kiln/cuda/native/linux-x86_64/}): used in place when they are plain files (a build
 * directory), extracted to a private temporary directory when they are inside a jar.
 */
final class NativeLibraries {

    static final String JNI = "libkiln_cuda_emu.so";
    static final String EMULATOR = "libkiln_emu.so";
    private static final String DIR = "dev/kiln/cuda/native/" + platform() + "/";

    private static Path extracted;

    private NativeLibraries() {
    }

    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase();
        String arch = System.getProperty("os.arch", "");
        String o = os.contains("linux") ? "linux" : os.contains("mac") ? "macosx" : os.contains("win") ? "windows" : os;
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86-64" : arch;
        return o + "-" + a.replace("x86-64", "x86_64");
    }

    /** Path of {@code name}, extracting it when needed. */
    static synchronized Path locate(String name) {
        URL url = NativeLibraries.class.getClassLoader().getResource(DIR + name);
        if (url == null) {
            throw new DeviceUnavailableException("CUDA emulator is unavailable: resource " + DIR + name
                    + " is not in the kiln-cuda jar (the emulator is built for linux-x86_64 only; this is " + platform() + ")");
        }
        if ("file".equals(url.getProtocol())) {
            try {
                return Paths.get(url.toURI());
            } catch (URISyntaxException e) {
                // fall through to extraction
            }
        }
        try {
            if (extracted == null) {
                extracted = Files.createTempDirectory("kiln-cuda-");
                extracted.toFile().deleteOnExit();
            }
            Path target = extracted.resolve(name);
            if (!Files.exists(target)) {
                try (InputStream in = url.openStream()) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                target.toFile().deleteOnExit();
            }
            return target;
        } catch (IOException e) {
            throw new DeviceUnavailableException("CUDA emulator is unavailable: cannot extract " + name
                    + " from the kiln-cuda jar to a temporary directory: " + e.getMessage(), e);
        }
    }
}
