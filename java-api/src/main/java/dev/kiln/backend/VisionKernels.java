package dev.kiln.backend;

/**
 * The vision kernel family: 2-D convolution (NCHW or NHWC), pooling, batch norm and the
 * crop-and-flip augmentation, FLOAT32. Reached as {@link Backend#vision()}; the CPU reference is
 * {@code CpuVision}, the CUDA kernels are {@code conv.cu}, {@code pool.cu}, {@code norm.cu} and
 * {@code augment.cu} behind {@code CudaVision}. Buffers follow the {@link Backend} conventions.
 */
public interface VisionKernels {

    /**
     * {@code y = act(conv(x, w) + bias)} for {@code x [N, C, H, W]}, {@code w [K, C/groups, R, S]},
     * optional {@code bias [K]} (null: none), {@code y [N, K, P, Q]}; {@code relu} fuses a ReLU.
     */
    void conv2dForward(ConvGeometry g, Buffer x, Buffer w, Buffer bias, Buffer y, boolean relu);

    /** Data gradient: {@code dx [N, C, H, W]} (overwritten) from {@code dy [N, K, P, Q]} and {@code w}. */
    void conv2dBackwardData(ConvGeometry g, Buffer dy, Buffer w, Buffer dx);

    /** Weight gradient: {@code dw [K, C/groups, R, S]} (overwritten) from {@code x} and {@code dy}. */
    void conv2dBackwardWeight(ConvGeometry g, Buffer x, Buffer dy, Buffer dw);

    /** Bias gradient: {@code db[k] = Σ_{n,p,q} dy[n, k, p, q]} (overwritten). */
    void conv2dBackwardBias(ConvGeometry g, Buffer dy, Buffer db);

    /**
     * Max pooling {@code x [N, C, H, W]} → {@code y [N, C, P, Q]}; {@code idx} (INT64, may be null)
     * receives the flat {@code h·W + w} of each window's maximum; a NaN wins its window.
     */
    void maxPool2dForward(PoolGeometry g, Buffer x, Buffer y, Buffer idx);

    /** {@code dx} (overwritten) gathers {@code dy} through the indices of {@link #maxPool2dForward}. */
    void maxPool2dBackward(PoolGeometry g, Buffer dy, Buffer idx, Buffer dx);

    /** Average pooling (dilation ignored); the divisor counts padding when {@code countIncludePad}. */
    void avgPool2dForward(PoolGeometry g, Buffer x, Buffer y, boolean countIncludePad);

    void avgPool2dBackward(PoolGeometry g, Buffer dy, Buffer dx, boolean countIncludePad);

    /** Adaptive average pooling: window {@code [floor(i·H/P), ceil((i+1)·H/P))}; uses N, C, H, W, P, Q. */
    void adaptiveAvgPool2dForward(PoolGeometry g, Buffer x, Buffer y);

    void adaptiveAvgPool2dBackward(PoolGeometry g, Buffer dy, Buffer dx);

    /**
     * Crop-and-flip augmentation of {@code x [N, C, H, W]} into {@code y} (same shape, overwritten):
     * with {@code (oy, ox, f) = params[3n .. 3n+2]} (INT32 {@code [N, 3]}, offsets in {@code [0, 2·pad]}),
     * {@code y[n,c,i,j] = x[n, c, i+oy-pad, jj+ox-pad]}, {@code jj = f != 0 ? W-1-j : j}, and
     * {@code fill} where that lies outside the image. Not differentiable.
     */
    void cropFlip(Buffer x, Buffer params, Buffer y, int n, int c, int h, int w, int pad, float fill);

    /**
     * Batch norm with batch statistics over {@code [N, C, HW]}: writes {@code y}, the per-channel
     * mean and {@code 1/sqrt(var + eps)} (biased var) into {@code saveMean}/{@code saveInvstd}, and
     * when non-null updates {@code runningMean}/{@code runningVar} with {@code momentum} (running var
     * takes the unbiased variance). Null {@code gamma}/{@code beta} mean 1/0.
     */
    void batchNorm2dForwardTrain(Buffer x, Buffer y, Buffer gamma, Buffer beta, Buffer runningMean, Buffer runningVar,
                                 Buffer saveMean, Buffer saveInvstd, int n, int c, int hw, float momentum, float eps);

    /** Batch norm with the running statistics: {@code y = (x − mean)/sqrt(var + eps)·gamma + beta}. */
    void batchNorm2dForwardEval(Buffer x, Buffer y, Buffer gamma, Buffer beta, Buffer runningMean, Buffer runningVar,
                              int n, int c, int hw, float eps);

    /** Training-mode backward from the saved statistics; {@code dx}, {@code dgamma}, {@code dbeta} may be null. */
    void batchNorm2dBackward(Buffer dy, Buffer x, Buffer gamma, Buffer saveMean, Buffer saveInvstd,
                             Buffer dx, Buffer dgamma, Buffer dbeta, int n, int c, int hw);
}
