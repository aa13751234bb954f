package dev.kiln.models.ddpm;

import dev.kiln.Generator;

import java.util.List;

/**
 * Two-dimensional point clouds generated from a seed, the usual first targets of a diffusion
 * model: {@code rings} (two concentric circles), {@code moons} (two interleaved half circles) and
 * {@code swissroll} (a spiral), and {@code ring}: eight Gaussians of standard deviation
 * {@value #RING_SIGMA} evenly spaced on a circle of radius {@value #RING_RADIUS}, the usual
 * mode-collapse test of a GAN. Each is scaled so its coordinates have about unit standard
 * deviation, with a little Gaussian jitter. Points are {@code [n, 2]} row-major.
 */
public final class Toy2d {

    public static final List<String> NAMES = List.of("rings", "moons", "swissroll", "ring");
    /** The radius of the circle the {@code ring} dataset's eight modes sit on. */
    public static final double RING_RADIUS = 1.5;
    /** The standard deviation of each of the {@code ring} dataset's modes. */
    public static final double RING_SIGMA = 0.05;
    /** How many modes the {@code ring} dataset has. */
    public static final int RING_MODES = 8;
    /** Directions of the sliced Wasserstein distances the generative models report. */
    public static final int DIRECTIONS = 64;
    private static final long TRAIN_STREAM = 0xDA7AL, HELD_OUT_STREAM = 0x4E1DL, BASELINE_STREAM = 0xBA5EL;

    private Toy2d() {
    }

    /** The training points of a run with this seed. */
    public static float[] train(String name, long seed, int n) {
        return sample(name, n, new Generator(seed ^ TRAIN_STREAM));
    }

    /** The held-out points of a run with this seed (an independent stream). */
    public static float[] heldOut(String name, long seed, int n) {
        return sample(name, n, new Generator(seed ^ HELD_OUT_STREAM));
    }

    /** {@code n} standard-normal 2-D points: what sampling starts from, the baseline a model must beat. */
    public static float[] noise(long seed, int n) {
        float[] z = new float[2 * n];
        Generator.normal(seed ^ BASELINE_STREAM, 0, z, 0, 2 * n);
        return z;
    }

    /** The sliced W1 distance of Gaussian noise ({@link #noise}) to the held-out points. */
    public static double noiseBaseline(String name, long seed, int n) {
        return SlicedWasserstein.distance(noise(seed, n), heldOut(name, seed, n), DIRECTIONS);
    }

    /** The distance of a second, independent draw of the true data to the held-out points: the floor at this size. */
    public static double dataFloor(String name, long seed, int n) {
        return SlicedWasserstein.distance(sample(name, n, new Generator(seed ^ BASELINE_STREAM)), heldOut(name, seed, n), DIRECTIONS);
    }

    /** The centres of the {@code ring} dataset's modes, {@code [8, 2]} row-major. */
    public static double[] ringCentres() {
        return RING_CENTRES.clone();
    }

    private static final double[] RING_CENTRES = centres();

    private static double[] centres() {
        double[] c = new double[2 * RING_MODES];
        for (int k = 0; k < RING_MODES; k++) {
            double th = 2 * Math.PI * k / RING_MODES;
            c[2 * k] = RING_RADIUS * Math.cos(th);
            c[2 * k + 1] = RING_RADIUS * Math.sin(th);
        }
        return c;
    }

    /** {@code n} points of dataset {@code name}, drawn from {@code g}. */
    public static float[] sample(String name, int n, Generator g) {
        float[] u = new float[2 * n], z = new float[2 * n];
        Generator.uniform(g.seed(), g.advance(2L * n), u, 0, 2 * n);
        Generator.normal(g.seed(), g.advance(2L * n), z, 0, 2 * n);
        float[] p = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double a = u[2 * i], b = u[2 * i + 1], x, y;
            switch (name) {
                case "rings": {
                    // Radii 1 and 0.5 (outer ring twice as likely, matching its length), then scaled.
                    double r = b < 2.0 / 3 ? 1.0 : 0.5, th = 2 * Math.PI * a;
                    x = 1.6 * r * Math.cos(th) + 0.04 * z[2 * i];
                    y = 1.6 * r * Math.sin(th) + 0.04 * z[2 * i + 1];
                    break;
                }
                case "moons": {
                    double th = Math.PI * a;
                    if (b < 0.5) {
                        x = Math.cos(th);
                        y = Math.sin(th);
                    } else {
                        x = 1 - Math.cos(th);
                        y = 0.5 - Math.sin(th);
                    }
                    x = (x - 0.5) * 1.15 + 0.05 * z[2 * i];
                    y = (y - 0.25) * 1.8 + 0.05 * z[2 * i + 1];
                    break;
                }
                case "swissroll": {
                    double t = 1.5 * Math.PI * (1 + 2 * a);
                    x = t * Math.cos(t) / 6.0 + 0.05 * z[2 * i];
                    y = t * Math.sin(t) / 6.0 + 0.05 * z[2 * i + 1];
                    break;
                }
                case "ring": {
                    // One of the eight modes, picked uniformly, plus isotropic Gaussian noise.
                    int k = Math.min(RING_MODES - 1, (int) (a * RING_MODES));
                    x = RING_CENTRES[2 * k] + RING_SIGMA * z[2 * i];
                    y = RING_CENTRES[2 * k + 1] + RING_SIGMA * z[2 * i + 1];
                    break;
                }
                default:
                    throw new IllegalArgumentException("Unknown 2-D dataset '" + name + "'; expected one of " + NAMES);
            }
            p[2 * i] = (float) x;
            p[2 * i + 1] = (float) y;
        }
        return p;
    }
}
