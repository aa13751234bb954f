package dev.kiln.toy;

import dev.kiln.backend.Buffer;

/** A kernel family that lives outside Kiln's packages: {@code out = a·x + b·y} over n elements. */
public interface ToyKernels {
    void axpby(Buffer x, Buffer y, Buffer out, long n, float a, float b);
}
