package dev.kiln.backend;

import dev.kiln.Device;

/**
 * Service-provider entry for a backend, found through {@link java.util.ServiceLoader}. Adding an
 * implementation's jar (for example {@code kiln-cuda}) to the class path is what enables a device
 * kind.
 */
public interface BackendProvider {

    /** The device kind this provider serves. */
    Device.Kind kind();

    /**
     * Creates (or returns the shared) backend for the device with this index.
     *
     * @throws dev.kiln.DeviceUnavailableException with the reason when the device cannot be used
     */
    Backend open(int index);

    /** One-line description of the runtime for {@code kiln info} (versions, driver, device names). */
    String describe();
}
