package dev.kiln.diffusion;

import dev.kiln.Generator;
import dev.kiln.backend.Buffer;
import dev.kiln.backend.FamilyProvider;
import dev.kiln.backend.cpu.CpuBackend;

/**
 * The CPU reference of {@link DiffusionKernels}: the same float arithmetic as
 * {@code kernels/src/diffusion.cu} (each {@code fmaf} a {@link Math#fma}), the schedule in double,
 * the noise from {@link Generator#normal}.
 */
public final class CpuDiffusion implements DiffusionKernels {

    /** Registers this family for the CPU backend. */
    public static final class Provider extends FamilyProvider<DiffusionKernels, CpuBackend> {
        public Provider() {
            super(DiffusionKernels.class, CpuBackend.class, backend -> new CpuDiffusion());
        }
    }

    private static float[] f(Buffer b) {
        return CpuBackend.array(b);
    }

    /** beta_t in double, as the kernel computes it. */
    static double beta(int t, int T, int kind, float b0, float b1, float s, float maxBeta) {
        if (kind == LINEAR) {
            return T > 1 ? (double) b0 + ((double) b1 - (double) b0) * (double) t / (double) (T - 1) : (double) b0;
        }
        double halfPi = Math.PI / 2;
        double f0 = Math.cos(((double) t / T + (double) s) / (1.0 + (double) s) * halfPi);
        double f1 = Math.cos(((double) (t + 1) / T + (double) s) / (1.0 + (double) s) * halfPi);
        double b = 1.0 - (f1 * f1) / (f0 * f0);
        return Math.min(b, (double) maxBeta);
    }

    @Override
    public void schedule(Buffer table, int T, int kind, float beta0, float beta1, float s, float maxBeta) {
        float[] tab = f(table);
        double prev = 1.0;
        for (int t = 0; t < T; t++) {
            double beta = beta(t, T, kind, beta0, beta1, s, maxBeta);
            double abar = prev * (1.0 - beta);
            double pv = beta * (1.0 - prev) / (1.0 - abar);
            tab[t] = (float) beta;
            tab[T + t] = (float) abar;
            tab[2 * T + t] = (float) Math.sqrt(abar);
            tab[3 * T + t] = (float) Math.sqrt(1.0 - abar);
            tab[4 * T + t] = (float) pv;
            tab[5 * T + t] = (float) Math.sqrt(pv);
            tab[6 * T + t] = (float) (beta * Math.sqrt(prev) / (1.0 - abar));
            tab[7 * T + t] = (float) ((1.0 - prev) * Math.sqrt(1.0 - beta) / (1.0 - abar));
            tab[8 * T + t] = (float) Math.sqrt(1.0 / abar);
            tab[9 * T + t] = (float) Math.sqrt(1.0 / abar - 1.0);
            prev = abar;
        }
    }

    @Override
    public void qSample(Buffer x0, Buffer t, Buffer table, int T, Buffer xt, Buffer eps, long batch, long dim,
                        long seed, long offset) {
        float[] x = f(x0), tab = f(table), out = f(xt), e = f(eps);
        long[] ts = CpuBackend.INSTANCE.downloadIndices(t);
        int n = Math.toIntExact(batch * dim);
        Generator.normal(seed, offset, e, 0, n);
        for (int b = 0; b < batch; b++) {
            int step = (int) ts[b];
            float a = tab[2 * T + step], c = tab[3 * T + step];
            for (int i = (int) (b * dim), end = (int) ((b + 1) * dim); i < end; i++) {
                out[i] = Math.fma(c, e[i], a * x[i]);
            }
        }
    }

    /** The clipped x0 estimate, as the kernel's {@code x0_hat}. */
    private static float x0Hat(float x, float e, float ra, float rm1, float clip) {
        float v = Math.fma(-rm1, e, ra * x);
        return clip > 0f ? Math.min(Math.max(v, -clip), clip) : v;
    }

    @Override
    public void ddpmStep(Buffer xt, Buffer epsPred, Buffer table, int T, int t, Buffer out, long n, float clip,
                         long seed, long offset) {
        float[] x = f(xt), e = f(epsPred), tab = f(table), o = f(out);
        float ra = tab[8 * T + t], rm1 = tab[9 * T + t], c0 = tab[6 * T + t], c1 = tab[7 * T + t], sigma = tab[5 * T + t];
        int len = Math.toIntExact(n);
        float[] z = null;
        if (sigma != 0f) {
            z = new float[len];
            Generator.normal(seed, offset, z, 0, len);
        }
        for (int i = 0; i < len; i++) {
            float xi = x[i];
            float mean = Math.fma(c1, xi, c0 * x0Hat(xi, e[i], ra, rm1, clip));
            o[i] = z != null ? Math.fma(sigma, z[i], mean) : mean;
        }
    }

    @Override
    public void ddimStep(Buffer xt, Buffer epsPred, Buffer table, int T, int t, int tPrev, Buffer out, long n, float clip) {
        float[] x = f(xt), ep = f(epsPred), tab = f(table), o = f(out);
        float ra = tab[8 * T + t], rm1 = tab[9 * T + t], sa = tab[2 * T + t], s1 = tab[3 * T + t];
        float pa = tPrev >= 0 ? tab[2 * T + tPrev] : 1f, p1 = tPrev >= 0 ? tab[3 * T + tPrev] : 0f;
        for (int i = 0, len = Math.toIntExact(n); i < len; i++) {
            float xi = x[i], e = ep[i];
            float x0 = x0Hat(xi, e, ra, rm1, clip);
            if (clip > 0f) {
                e = Math.fma(-sa, x0, xi) / s1;
            }
            o[i] = Math.fma(p1, e, pa * x0);
        }
    }
}
