package dev.kiln.backend;

/** Reductions along one axis. ARGMAX writes INT64 indices. */
public enum ReduceOp {
    SUM, MAX, ARGMAX
}
