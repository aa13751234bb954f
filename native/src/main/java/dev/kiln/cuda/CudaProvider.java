package dev.kiln.cuda;

import dev.kiln.Device;
import dev.kiln.DeviceUnavailableException;
import dev.kiln.backend.Backend;
import dev.kiln.backend.BackendProvider;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ServiceLoader entry of kiln-cuda: serves {@link Device.Kind#CUDA}. The driver is chosen by
 * {@code -Dkiln.cuda.driver=cuda|emulator}, else the environment variable
 * {@code KILN_CUDA_DRIVER}, else {@code cuda} (the real GPU through the CUDA driver API).
 * One backend is shared per driver and device index.
 */
public final class CudaProvider implements BackendProvider {

    private static final Map<String, CudaBackend> OPEN = new ConcurrentHashMap<>();

    @Override
    public Device.Kind kind() {
        return Device.Kind.CUDA;
    }

    /** The selected driver: {@code cuda} or {@code emulator}. */
    public static String driverName() {
        String v = System.getProperty("kiln.cuda.driver");
        String from = "-Dkiln.cuda.driver";
        if (v == null || v.isBlank()) {
            v = System.getenv("KILN_CUDA_DRIVER");
            from = "KILN_CUDA_DRIVER";
        }
        if (v == null || v.isBlank()) {
            return "cuda";
        }
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "cuda":
            case "gpu":
            case "device":
                return "cuda";
            case "emulator":
            case "emu":
                return "emulator";
            default:
                throw new DeviceUnavailableException("CUDA is unavailable: " + from + "='" + v
                        + "' is not a driver (expected 'cuda' or 'emulator')");
        }
    }

    @Override
    public Backend open(int index) {
        return open(driverName(), index);
    }

    /** The backend of device {@code index} over driver {@code cuda} or {@code emulator}. */
    public static CudaBackend open(String driver, int index) {
        String key = driver + ":" + index;
        CudaBackend b = OPEN.get(key);
        if (b != null) {
            return b;
        }
        synchronized (OPEN) {
            b = OPEN.get(key);
            if (b == null) {
                CudaDriver d;
                if (driver.equals("emulator")) {
                    if (index != 0) {
                        throw new DeviceUnavailableException("the CUDA emulator has one device (cuda:0), asked for cuda:" + index);
                    }
                    d = new EmulatorDriver();
                } else {
                    d = JavaCppDriver.open(index);
                }
                b = new CudaBackend(index, d);
                OPEN.put(key, b);
            }
            return b;
        }
    }

    @Override
    public String describe() {
        try {
            String driver = driverName();
            return "CUDA via the " + driver + " driver: " + open(driver, 0).driver().describe();
        } catch (DeviceUnavailableException e) {
            return e.getMessage();
        }
    }
}
