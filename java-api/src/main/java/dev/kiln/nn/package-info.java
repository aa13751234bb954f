/**
 * Neural-network layers with PyTorch's names: {@link dev.kiln.nn.Module} (parameters, buffers,
 * state dicts, train/eval), linear, convolution, normalisation, recurrent and attention layers,
 * activations, initialisers, and the functional ops of {@link dev.kiln.nn.F}.
 */
package dev.kiln.nn;
