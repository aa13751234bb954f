package dev.kiln.backend;

/**
 * The shape of one batched, strided, row-major GEMM: for each of {@code batch} problems
 * {@code C = act(alpha·op(A)·op(B) + beta·C + bias)} with {@code op(A)} M×K and {@code op(B)} K×N.
 * The batch strides (in elements) locate each problem from the operands' offsets; beta = 0
 * overwrites C. The activation and bias are the {@link Epilogue} passed beside it.
 *
 * <pre>{@code
 * Gemm g = Gemm.of(false, true, m, n, k);          // C = A·Bᵀ, one problem
 * backend.gemm(g, BufferView.of(a), BufferView.of(b), BufferView.of(c), null);
 * }</pre>
 */
public record Gemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha, float beta,
                   long strideA, long strideB, long strideC) {

    public Gemm {
        if (batch < 0 || m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("Bad GEMM shape " + this);
        }
    }

    /** One problem, {@code C = op(A)·op(B)} (alpha 1, beta 0). */
    public static Gemm of(boolean transA, boolean transB, int m, int n, int k) {
        return new Gemm(transA, transB, 1, m, n, k, 1f, 0f, 0, 0, 0);
    }

    /** The same problem {@code batch} times, each operand advancing by its stride. */
    public Gemm batched(int count, long strideA, long strideB, long strideC) {
        return new Gemm(transA, transB, count, m, n, k, alpha, beta, strideA, strideB, strideC);
    }

    /** The same GEMM with these scale factors. */
    public Gemm scaled(float alpha, float beta) {
        return new Gemm(transA, transB, batch, m, n, k, alpha, beta, strideA, strideB, strideC);
    }

    /** Leading dimension of A as stored (row-major). */
    public int lda() {
        return transA ? m : k;
    }

    /** Leading dimension of B as stored (row-major). */
    public int ldb() {
        return transB ? k : n;
    }

    /**
     * What a GEMM does to its result before storing it: add a per-column {@code bias [N]}
     * (nullable), then apply an activation ({@link Activation#NONE}, ReLU or tanh-approximated GELU,
     * the same formulas as {@link UnaryOp#RELU} and {@link UnaryOp#GELU}).
     */
    public record Epilogue(Buffer bias, Activation activation) {

        public Epilogue {
            if (activation == null) {
                activation = Activation.NONE;
            }
        }

        /** The activation as an elementwise op, or null for none. */
        public UnaryOp unaryOp() {
            return activation.op;
        }
    }

    /** The activations a GEMM epilogue can fuse (the kernels' {@code act} codes 0, 1, 2). */
    public enum Activation {
        NONE(null), RELU(UnaryOp.RELU), GELU(UnaryOp.GELU);

        private final UnaryOp op;

        Activation(UnaryOp op) {
            this.op = op;
        }

        /** The activation computing {@code op}, or null when the epilogue cannot fuse it. */
        public static Activation of(UnaryOp op) {
            for (Activation a : values()) {
                if (a.op == op) {
                    return a;
                }
            }
            return null;
        }
    }
}
