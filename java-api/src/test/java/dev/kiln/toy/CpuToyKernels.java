package dev.kiln.toy;

import dev.kiln.backend.Buffer;
import dev.kiln.backend.FamilyProvider;
import dev.kiln.backend.cpu.CpuBackend;

/** The CPU implementation of {@link ToyKernels}, registered in this test source set's META-INF/services. */
public final class CpuToyKernels implements ToyKernels {

    /** The provider line in {@code META-INF/services/dev.kiln.backend.KernelFamily}. */
    public static final class Provider extends FamilyProvider<ToyKernels, CpuBackend> {
        public Provider() {
            super(ToyKernels.class, CpuBackend.class, backend -> new CpuToyKernels());
        }
    }

    @Override
    public void axpby(Buffer x, Buffer y, Buffer out, long n, float a, float b) {
        float[] xs = CpuBackend.array(x), ys = CpuBackend.array(y), os = CpuBackend.array(out);
        for (int i = 0; i < n; i++) {
            os[i] = a * xs[i] + b * ys[i];
        }
    }
}
