package dev.kiln;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vision and sequence ops reject wrong dtypes and shapes with a message that names the argument.
 * (Their device checks need a second device; the CUDA suites under the emulator cover those.)
 */
class ArgumentChecksTest {

    private static final Tensor I4 = Tensor.fromIndices(new int[16], 1, 1, 4, 4);

    private static void fails(Runnable r, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(message), "expected '" + message + "' in: " + e.getMessage());
    }

    private static Tensor f(int... shape) {
        return Tensor.ones(shape);
    }

    private static Tensor ints(int... shape) {
        return Tensor.fromIndices(new int[(int) Shapes.numel(shape)], shape);
    }

    @Test
    void convolution() {
        Tensor x = f(1, 2, 4, 4), w = f(3, 2, 3, 3);
        fails(() -> Vision.conv2d(I4, w, null, 1, 0, 1, 1, false), "conv2d input must be FLOAT32, got INT32 [1, 1, 4, 4]");
        fails(() -> Vision.conv2d(x, ints(3, 2, 3, 3), null, 1, 0, 1, 1, false), "conv2d weight must be FLOAT32");
        fails(() -> Vision.conv2d(x, w, ints(3), 1, 0, 1, 1, false), "conv2d bias must be FLOAT32");
        fails(() -> Vision.conv2d(f(2, 4, 4), w, null, 1, 0, 1, 1, false), "conv2d needs input [N, C, H, W] and weight [K, C/groups, R, S], got [2, 4, 4] and [3, 2, 3, 3]");
        fails(() -> Vision.conv2d(x, f(3, 2, 3), null, 1, 0, 1, 1, false), "conv2d needs input");
        fails(() -> Vision.conv2dNhwc(f(1, 4, 4), f(3, 3, 3, 2), null, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1, false),
                "conv2dNhwc needs input [N, H, W, C] and weight [K, R, S, C/groups]");
        fails(() -> Vision.conv2d(x, w, null, 1, 0, 1, 0, false), "groups must be >= 1 and divide the 3 output channels, got 0");
        fails(() -> Vision.conv2d(x, w, null, 1, 0, 1, 2, false), "divide the 3 output channels, got 2");
        fails(() -> Vision.conv2d(f(1, 3, 4, 4), w, null, 1, 0, 1, 1, false), "expected input with 2 channels (weight [3, 2, 3, 3], groups 1), got 3 channels");
        fails(() -> Vision.conv2d(x, w, f(2), 1, 0, 1, 1, false), "bias must be [3], got [2]");
        fails(() -> Vision.conv2d(x, w, f(3, 1), 1, 0, 1, 1, false), "bias must be [3], got [3, 1]");
        fails(() -> Vision.conv2d(x, w, null, 0, 0, 1, 1, false), "stride and dilation must be two positive values");
        fails(() -> Vision.conv2d(x, w, null, 1, -1, 1, 1, false), "stride and dilation must be two positive values");
        fails(() -> Vision.conv2d(x, w, null, 1, 0, 0, 1, false), "stride and dilation must be two positive values");
        fails(() -> Vision.conv2d(x, w, null, new int[] {1}, new int[] {0, 0}, new int[] {1, 1}, 1, false), "stride and dilation");
        fails(() -> Vision.conv2d(f(1, 2, 2, 4), w, null, 1, 0, 1, 1, false),
                "kernel 3x3 (dilation 1x1, spans 3x3) is larger than the padded input 2x4 (input 2x4, padding 0x0)");
        fails(() -> Vision.conv2d(f(1, 2, 4, 2), w, null, 1, 0, 2, 1, false), "spans 5x5) is larger than the padded input 4x2");
        Vision.conv2d(f(1, 2, 3, 3), w, null, 1, 0, 1, 1, false); // exactly fits: 1x1 output
    }

    @Test
    void poolingCropAndFlatten() {
        fails(() -> Vision.maxPool2d(I4, 2, 2, 0), "must be FLOAT32");
        fails(() -> Vision.avgPool2d(I4, 2, 2, 0), "must be FLOAT32");
        fails(() -> Vision.adaptiveAvgPool2d(I4, 1, 1), "adaptiveAvgPool2d input must be FLOAT32");
        fails(() -> Vision.maxPool2d(f(1, 4, 4), 2, 2, 0), "needs an [N, C, H, W] input, got [1, 4, 4]");
        fails(() -> Vision.avgPool2d(f(1, 4, 4), 2, 2, 0), "needs an [N, C, H, W] input");
        fails(() -> Vision.adaptiveAvgPool2d(f(4, 4), 1, 1), "adaptiveAvgPool2d needs an [N, C, H, W] input");
        fails(() -> Vision.adaptiveAvgPool2d(f(1, 1, 4, 4), 0, 1), "adaptiveAvgPool2d");
        fails(() -> Vision.adaptiveAvgPool2d(f(1, 1, 4, 4), 1, 0), "adaptiveAvgPool2d");
        fails(() -> Vision.cropFlip(I4, new int[3], 0, 0f), "cropFlip input must be FLOAT32");
        fails(() -> Vision.cropFlip(f(1, 4, 4), new int[3], 0, 0f), "cropFlip needs an [N, C, H, W] input");
        fails(() -> Vision.cropFlip(f(1, 1, 4, 4), new int[3], -1, 0f), "cropFlip: padding must be >= 0, got -1");
        fails(() -> Vision.cropFlip(f(2, 1, 4, 4), new int[3], 1, 0f), "need 3 parameters per image (6), got 3");
        fails(() -> Vision.cropFlip(f(1, 1, 4, 4), new int[] {3, 0, 0}, 1, 0f), "offsets of image 0 must lie in [0, 2], got 3, 0");
        fails(() -> Vision.cropFlip(f(1, 1, 4, 4), new int[] {0, -1, 0}, 1, 0f), "got 0, -1");
        fails(() -> Vision.cropFlip(f(1, 1, 4, 4), new int[] {-1, 0, 0}, 1, 0f), "got -1, 0");
        fails(() -> Vision.cropFlip(f(1, 1, 4, 4), new int[] {0, 3, 0}, 1, 0f), "got 0, 3");
        Vision.cropFlip(f(1, 1, 4, 4), new int[] {2, 2, 1}, 1, 0f);
        fails(() -> Vision.randomCropFlip(f(1, 4, 4), 1, true, new Generator(1)), "randomCropFlip needs an [N, C, H, W] input");
        fails(() -> Vision.randomCropFlip(f(1, 1, 4, 4), -1, true, new Generator(1)), "randomCropFlip: padding must be >= 0");
    }

    @Test
    void batchNorm() {
        fails(() -> Vision.batchNorm2d(I4, null, null, null, null, true, 0.1f, 1e-5f), "batchNorm2d input must be FLOAT32");
        fails(() -> Vision.batchNorm2d(f(2, 2, 2), null, null, null, null, true, 0.1f, 1e-5f), "needs [N, C, H, W] or [N, C] input, got [2, 2, 2]");
        fails(() -> Vision.batchNorm2d(f(2, 3, 1, 1), f(2), null, null, null, true, 0.1f, 1e-5f),
                "expected per-channel tensors of shape [3] for input [2, 3, 1, 1], got [2]");
        fails(() -> Vision.batchNorm2d(f(2, 3, 1, 1), null, f(3, 1), null, null, true, 0.1f, 1e-5f), "got [3, 1]");
        fails(() -> Vision.batchNorm2d(f(1, 3, 1, 1), null, null, null, null, true, 0.1f, 1e-5f),
                "training mode needs more than one value per channel, input is [1, 3, 1, 1]");
        Vision.batchNorm2d(f(1, 3, 1, 2), null, null, null, null, true, 0.1f, 1e-5f); // two values per channel suffice
        Vision.batchNorm2d(f(2, 3), null, null, null, null, true, 0.1f, 1e-5f);
        fails(() -> Vision.batchNorm2d(f(2, 3), null, null, null, null, false, 0.1f, 1e-5f), "eval mode needs the running mean and variance");
        fails(() -> Vision.batchNorm2d(f(2, 3), null, null, f(3), null, false, 0.1f, 1e-5f), "eval mode needs the running mean and variance");
        fails(() -> Vision.flatten(f(2, 3), 2), "Axis 2 is out of range for a tensor of rank 2");
    }

    @Test
    void sequenceOps() {
        fails(() -> SequenceOps.embedding(ints(3, 2), Tensor.fromIndices(new int[] {0})), "embedding needs a [V, E] FLOAT32 weight, got [3, 2] INT32");
        fails(() -> SequenceOps.embedding(f(3), Tensor.fromIndices(new int[] {0})), "embedding needs a [V, E] FLOAT32 weight, got [3] FLOAT32");
        fails(() -> SequenceOps.embedding(f(3, 2), f(1)), "embedding needs INT32/INT64 token ids, got FLOAT32");
        fails(() -> SequenceOps.embedding(f(3, 2), Tensor.fromIndices(new int[] {3})), "token id 3 is outside the vocabulary of 3 ids (expected 0 <= id < 3)");
        fails(() -> SequenceOps.embedding(f(3, 2), Tensor.fromIndices(new int[] {-1})), "token id -1");
        SequenceOps.embedding(f(3, 2), Tensor.fromLongs(new long[] {0, 2}));

        fails(() -> SequenceOps.layerNorm(ints(2, 3), null, null, 1e-5f), "layerNorm needs a FLOAT32 tensor");
        fails(() -> SequenceOps.layerNorm(f(2, 3), f(2), null, 1e-5f), "affine parameter has shape [2], expected [3] for input [2, 3]");
        fails(() -> SequenceOps.layerNorm(f(2, 3), null, f(3, 1), 1e-5f), "affine parameter has shape [3, 1]");

        Tensor q = f(1, 1, 2, 4), k = f(1, 1, 3, 4);
        fails(() -> SequenceOps.scaledDotProductAttention(ints(1, 1, 2, 4), k, k, false, null), "attention needs a FLOAT32 tensor");
        fails(() -> SequenceOps.scaledDotProductAttention(q, ints(1, 1, 3, 4), k, false, null), "attention needs a FLOAT32 tensor");
        fails(() -> SequenceOps.scaledDotProductAttention(q, k, ints(1, 1, 3, 4), false, null), "attention needs a FLOAT32 tensor");
        fails(() -> SequenceOps.scaledDotProductAttention(f(1, 2, 4), k, k, false, null), "attention needs q [B,H,Lq,D], k [B,H,Lk,D] and v [B,H,Lk,Dv], got q [1, 2, 4]");
        fails(() -> SequenceOps.scaledDotProductAttention(q, k, f(1, 1, 2, 4), false, null), "got q [1, 1, 2, 4], k [1, 1, 3, 4], v [1, 1, 2, 4]");
        fails(() -> SequenceOps.scaledDotProductAttention(q, f(2, 1, 3, 4), f(2, 1, 3, 4), false, null), "attention needs q");
        fails(() -> SequenceOps.scaledDotProductAttention(q, f(1, 2, 3, 4), f(1, 2, 3, 4), false, null), "attention needs q");
        fails(() -> SequenceOps.scaledDotProductAttention(q, f(1, 1, 3, 2), f(1, 1, 3, 2), false, null), "attention needs q");
        fails(() -> SequenceOps.scaledDotProductAttention(q, k, k, false, Tensor.fromIndices(new int[] {1, 1})), "kvLen");
        fails(() -> SequenceOps.maskedAttention(q, k, k, false, Tensor.fromIndices(new int[3], 1, 1, 3)), "attention mask must broadcast to the scores");
        fails(() -> SequenceOps.maskedAttention(q, k, k, false, Tensor.fromIndices(new int[4], 1, 1, 1, 4)), "got [1, 1, 1, 4]");
        fails(() -> SequenceOps.maskedAttention(q, k, k, false, Tensor.fromIndices(new int[6], 2, 1, 1, 3)), "got [2, 1, 1, 3]");
        fails(() -> SequenceOps.maskedAttention(q, k, k, false, Tensor.fromIndices(new int[6], 1, 2, 1, 3)), "got [1, 2, 1, 3]");
        fails(() -> SequenceOps.maskedAttention(q, k, k, false, Tensor.fromIndices(new int[9], 1, 1, 3, 3)), "got [1, 1, 3, 3]");

        Tensor x = f(2, 3, 1), w = f(1, 8), u = f(2, 8);
        fails(() -> SequenceOps.lstm(ints(2, 3, 1), null, null, w, u, null, null), "lstm needs a FLOAT32 tensor");
        fails(() -> SequenceOps.lstm(f(2, 3), null, null, w, u, null, null), "lstm needs a batch-first input [B, T, I], got [2, 3]");
        fails(() -> SequenceOps.lstm(x, null, null, w, f(2, 6), null, null), "recurrent weight must be [H, 4H], got [2, 6]");
        fails(() -> SequenceOps.lstm(x, null, null, w, f(3, 8), null, null), "recurrent weight must be [H, 4H], got [3, 8]");
        fails(() -> SequenceOps.lstm(x, null, null, w, f(8), null, null), "recurrent weight must be [H, 4H], got [8]");
        fails(() -> SequenceOps.lstm(x, null, null, f(2, 8), u, null, null), "lstm input weight has shape [2, 8], expected [1, 8]");
        fails(() -> SequenceOps.lstm(x, null, null, ints(1, 8), u, null, null), "lstm input weight needs a FLOAT32 tensor");
        fails(() -> SequenceOps.lstm(x, null, null, w, u, f(4), null), "lstm bias has shape [4], expected [8]");
        fails(() -> SequenceOps.lstm(x, f(2, 3), null, w, u, null, null), "lstm h0 has shape [2, 3], expected [2, 2]");
        fails(() -> SequenceOps.lstm(x, null, f(1, 2), w, u, null, null), "lstm c0 has shape [1, 2], expected [2, 2]");
        fails(() -> SequenceOps.lstm(f(2, 0, 1), null, null, w, u, null, null), "lstm needs at least one time step, input is [2, 0, 1]");
        fails(() -> SequenceOps.lstm(x, null, null, w, u, null, Tensor.fromIndices(new int[] {1})), "lengths");
        fails(() -> SequenceOps.lstm(x, null, null, w, u, null, Tensor.fromIndices(new int[] {1, 4})), "lstm: length 4 is outside [0, 3] for input [2, 3, 1]");
        fails(() -> SequenceOps.lstm(x, null, null, w, u, null, Tensor.fromIndices(new int[] {-1, 1})), "lstm: length -1 is outside [0, 3]");
        SequenceOps.lstm(x, null, null, w, u, null, Tensor.fromIndices(new int[] {0, 3}));
    }
}
