package dev.kiln;

/** The bodies of {@link Tensor}'s larger factories: ranges, row arrays and random draws. */
final class Factories {

    private Factories() {
    }

    static Tensor arange(float start, float end, float step) {
        if (step == 0 || (end - start) / step < 0) {
            throw new IllegalArgumentException("arange(" + start + ", " + end + ", " + step + ") is empty or infinite");
        }
        int n = (int) Math.ceil((end - start) / step);
        float[] v = new float[n];
        for (int k = 0; k < n; k++) {
            v[k] = start + k * step;
        }
        return Tensor.fromArray(v, n);
    }

    static Tensor of(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != cols) {
                throw new IllegalArgumentException("Row " + r + " has " + rows[r].length + " values, expected " + cols);
            }
            System.arraycopy(rows[r], 0, flat, r * cols, cols);
        }
        return Tensor.fromArray(flat, rows.length, cols);
    }

    static Tensor random(Generator g, Device device, int[] shape, boolean normal) {
        Tensor t = Tensor.empty(device, DType.FLOAT32, shape);
        long n = t.numel();
        t.backend.random(t.buffer, n, g.seed(), g.advance(n), normal);
        return t;
    }

    static Tensor to(Tensor self, Device device) {
        if (device.equals(self.device())) {
            return self;
        }
        Tensor out = Tensor.empty(device, self.dtype(), self.shape);
        switch (self.dtype()) {
            case FLOAT32: out.backend.upload(self.backend.downloadFloats(self.buffer), out.buffer); break;
            default: out.backend.upload(self.backend.downloadIndices(self.buffer), out.buffer); break;
        }
        Device from = self.device();
        return Autograd.op("to", out, g -> new Tensor[] {g.to(from)}, self);
    }
}
