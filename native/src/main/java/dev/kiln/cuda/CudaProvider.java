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

    /**
     * The options a backend opened now gets: the {@code kiln.cuda.*} system properties and
     * {@code KILN_CUDA_DRIVER}, checked. A bad value makes CUDA unavailable with a message naming the
     * property and the allowed values.
     */
    public static CudaOptions systemOptions() {
        try {
            return CudaOptions.fromSystem();
        } catch (IllegalArgumentException e) {
            throw new DeviceUnavailableException("CUDA is unavailable: " + e.getMessage(), e);
        }
    }

    /** The selected driver: {@code cuda} or {@code emulator}. */
    public static String driverName() {
        return systemOptions().driver().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public Backend open(int index) {
        return open(driverName(), index);
    }

    /**
     * The backend of device {@code index} over driver {@code cuda} or {@code emulator}; a new one
     * takes its {@link CudaOptions} from {@link #systemOptions()}.
     */
    public static CudaBackend open(String driver, int index) {
        String key = driver + ":" + index;
        CudaBackend b = OPEN.get(key);
        if (b != null) {
            return b;
        }
        synchronized (OPEN) {
            b = OPEN.get(key);
            if (b == null) {
                CudaOptions options = systemOptions().with(CudaOptions.DRIVER, driver);
                CudaDriver d;
                if (driver.equals("emulator")) {
                    if (index != 0) {
                        throw new DeviceUnavailableException("the CUDA emulator has one device (cuda:0), asked for cuda:" + index);
                    }
                    d = new EmulatorDriver(options);
                } else {
                    d = JavaCppDriver.open(index, options);
                }
                b = new CudaBackend(index, d, options);
                OPEN.put(key, b);
            }
            return b;
        }
    }

    @Override
    public String describe() {
        String text;
        try {
            String driver = driverName();
            CudaBackend b = open(driver, 0);
            text = "CUDA via the " + driver + " driver: " + b.driver().describe() + "\noptions: "
                    + b.options().describe().replace("\n", ", ");
        } catch (DeviceUnavailableException e) {
            text = e.getMessage();
        }
        return text;
    }
}
