package dev.kiln.backend;

/** Elementwise binary functions, applied with broadcasting. EQ, LT and GT yield 1 or 0 and has no gradient. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, MAX, MIN, EQ, LT, GT;

    /** out = a op b. */
    public float apply(float a, float b) {
        switch (this) {
            case ADD: return a + b;
            case SUB: return a - b;
            case MUL: return a * b;
            case DIV: return a / b;
            case MAX: return Math.max(a, b);
            case MIN: return Math.min(a, b);
            case EQ: return a == b ? 1f : 0f;
            case LT: return a < b ? 1f : 0f;
            case GT: return a > b ? 1f : 0f;
            default: throw new AssertionError(this);
        }
    }
}
