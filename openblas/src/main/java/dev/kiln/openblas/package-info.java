/**
 * OpenBLAS as the CPU backend's vendor SGEMM ({@code -Dkiln.cpu.impl.gemm=vendor}), through
 * JavaCPP's {@code org.bytedeco:openblas} build. Putting this jar on the class path adds the
 * choice; Kiln's own GEMM stays the default.
 */
package dev.kiln.openblas;
