/**
 * Sparse matrices (CSR, {@link dev.kiln.sparse.SparseTensor}) and their ops: sparse-dense products,
 * segment sums and scatter-adds, with autograd, for graph networks.
 */
package dev.kiln.sparse;
