/**
 * Reinforcement-learning environments computed on the device: CartPole, one at a time or batched
 * ({@link dev.kiln.rl.BatchedCartPole}), with its kernel family.
 */
package dev.kiln.rl;
