/**
 * Reading and writing tensors: Kiln's checksummed {@link dev.kiln.io.TensorFile}, the safetensors
 * format ({@link dev.kiln.io.SafeTensors}) and PyTorch's state-dict names
 * ({@link dev.kiln.io.PyTorchStateDict}).
 */
package dev.kiln.io;
