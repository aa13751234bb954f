package dev.kiln.backend;

/**
 * Elementwise unary functions with their derivatives. {@code alpha} is the op's scalar parameter
 * (negative slope for LEAKY_RELU, the factor for SCALE, the addend for ADD_SCALAR, the exponent
 * for POW); other ops ignore it. The CPU backend evaluates these formulas directly; the CUDA
 * kernels implement the same formulas.
 */
public enum UnaryOp {
    RELU, LEAKY_RELU, GELU, TANH, SIGMOID, EXP, LOG, NEG, SQRT, SQUARE, ABS, SOFTPLUS, SCALE, ADD_SCALAR, POW,
    /** GELU, exact: {@code x Φ(x) = 0.5 x (1 + erf(x / √2))} (torch's default). {@link #GELU} is the tanh approximation. */
    GELU_ERF;

    private static final double INV_SQRT_2 = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327;
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;

    private static final float SQRT_2_OVER_PI = 0.7978845608028654f;
    private static final float GELU_C = 0.044715f;

    /** y = f(x). */
    public float apply(float x, float alpha) {
        switch (this) {
            case RELU: return x > 0 ? x : 0f;
            case LEAKY_RELU: return x > 0 ? x : alpha * x;
            case GELU: {
                float u = SQRT_2_OVER_PI * (x + GELU_C * x * x * x);
                return 0.5f * x * (1f + (float) Math.tanh(u));
            }
            case TANH: return (float) Math.tanh(x);
            case SIGMOID: return sigmoid(x);
            case EXP: return (float) Math.exp(x);
            case LOG: return (float) Math.log(x);
            case NEG: return -x;
            case SQRT: return (float) Math.sqrt(x);
            case SQUARE: return x * x;
            case ABS: return Math.abs(x);
            case SOFTPLUS: return Math.max(x, 0f) + (float) Math.log1p(Math.exp(-Math.abs(x)));
            case SCALE: return alpha * x;
            case ADD_SCALAR: return x + alpha;
            case POW: return (float) Math.pow(x, alpha);
            case GELU_ERF: return (float) (0.5 * x * (1 + erf(x * INV_SQRT_2)));
            default: throw new AssertionError(this);
        }
    }

    /** dy/dx at x, where y = f(x) is passed too because some derivatives are cheaper from y. */
    public float derivative(float x, float y, float alpha) {
        switch (this) {
            case RELU: return x > 0 ? 1f : 0f;
            case LEAKY_RELU: return x > 0 ? 1f : alpha;
            case GELU: {
                float u = SQRT_2_OVER_PI * (x + GELU_C * x * x * x);
                float t = (float) Math.tanh(u);
                float du = SQRT_2_OVER_PI * (1f + 3f * GELU_C * x * x);
                return 0.5f * (1f + t) + 0.5f * x * (1f - t * t) * du;
            }
            case TANH: return 1f - y * y;
            case SIGMOID: return y * (1f - y);
            case EXP: return y;
            case LOG: return 1f / x;
            case NEG: return -1f;
            case SQRT: return 0.5f / y;
            case SQUARE: return 2f * x;
            case ABS: return x > 0 ? 1f : (x < 0 ? -1f : 0f);
            case SOFTPLUS: return sigmoid(x);
            case SCALE: return alpha;
            case ADD_SCALAR: return 1f;
            case POW: return alpha * (float) Math.pow(x, alpha - 1f);
            case GELU_ERF: return (float) (0.5 * (1 + erf(x * INV_SQRT_2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x));
            default: throw new AssertionError(this);
        }
    }

    /**
     * The error function in double, within 1e-15 of the correctly rounded value (the JDK has none):
     * the Maclaurin series {@code 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1))} for {@code |x| < 2}, where
     * its largest term stays under 4 (little cancellation); above, {@code 1 - erfc(x)} with erfc's
     * continued fraction {@code e^(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))}, 60 levels.
     */
    static double erf(double x) {
        double a = Math.abs(x);
        if (Double.isNaN(x)) {
            return x;
        }
        double r;
        if (a < 2) {
            double x2 = a * a, term = a, sum = a;
            for (int n = 1; n < 200; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            r = TWO_OVER_SQRT_PI * sum;
        } else if (a < 27) {
            double f = a;
            for (int n = 60; n >= 1; n--) {
                f = a + (n / 2.0) / f;
            }
            r = 1 - Math.exp(-a * a) / (f * Math.sqrt(Math.PI));
        } else {
            r = 1;
        }
        return x < 0 ? -r : r;
    }

    private static float sigmoid(float x) {
        return x >= 0 ? 1f / (1f + (float) Math.exp(-x)) : (float) (Math.exp(x) / (1.0 + Math.exp(x)));
    }
}
