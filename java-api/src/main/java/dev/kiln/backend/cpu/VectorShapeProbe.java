package dev.kiln.backend.cpu;

import jdk.incubator.vector.FloatVector;

/** Loaded by {@link CpuSimd} only when the incubator module is present. */
final class VectorShapeProbe {

    private VectorShapeProbe() {
    }

    static int preferredBits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }
}
