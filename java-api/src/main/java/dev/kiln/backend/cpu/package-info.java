/**
 * The pure-Java CPU backend, the reference every other backend is tested against; its thread
 * count is {@link dev.kiln.backend.cpu.CpuThreads} ({@code -Dkiln.cpu.threads}). Service-provider
 * implementation: applications reach it through {@code Device.cpu()}.
 */
package dev.kiln.backend.cpu;
