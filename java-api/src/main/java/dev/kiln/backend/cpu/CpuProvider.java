package dev.kiln.backend.cpu;

import dev.kiln.Device;
import dev.kiln.DeviceUnavailableException;
import dev.kiln.backend.Backend;
import dev.kiln.backend.BackendProvider;

/** Registers the {@link CpuBackend} with {@link dev.kiln.backend.Backends}, like any other backend. */
public final class CpuProvider implements BackendProvider {

    @Override
    public Device.Kind kind() {
        return Device.Kind.CPU;
    }

    @Override
    public Backend open(int index) {
        if (index != 0) {
            throw new DeviceUnavailableException("There is one CPU device (cpu:0), not cpu:" + index);
        }
        return CpuBackend.INSTANCE;
    }

    @Override
    public String describe() {
        return "CPU: pure-Java backend, " + Runtime.getRuntime().availableProcessors() + " cores ("
                + CpuThreads.count() + " kernel threads), Java " + Runtime.version() + "; GEMM: " + CpuGemm.description()
                + "; kernels: " + CpuSimd.description();
    }
}
