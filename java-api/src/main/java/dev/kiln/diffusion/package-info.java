/**
 * Diffusion-model ops: noise schedules ({@link dev.kiln.diffusion.NoiseSchedule}) and the fused
 * forward-noising, DDPM and DDIM steps ({@link dev.kiln.diffusion.Diffusion}), with their kernel
 * family and its CPU implementation.
 */
package dev.kiln.diffusion;
