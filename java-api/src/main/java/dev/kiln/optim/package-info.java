/**
 * Optimisers ({@link dev.kiln.optim.SGD}, {@link dev.kiln.optim.Adam}, {@link dev.kiln.optim.AdamW}),
 * learning-rate schedules and gradient clipping; each update is one fused backend call per
 * parameter.
 */
package dev.kiln.optim;
