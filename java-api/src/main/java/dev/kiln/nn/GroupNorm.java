package dev.kiln.nn;

import dev.kiln.Tensor;

/**
 * Group norm over {@code [N, C, ...]} input (Wu and He 2018): statistics per sample and group of
 * {@code C/groups} channels, then a per-channel affine (gamma 1, beta 0 at the start). With one
 * group it is a layer norm over {@code C, H, W}; with {@code C} groups an instance norm.
 */
public final class GroupNorm extends Module {
    private final int groups, channels;
    private final float eps;

    public GroupNorm(int groups, int channels) {
        this(groups, channels, 1e-5f, true);
    }

    public GroupNorm(int groups, int channels, float eps, boolean affine) {
        if (groups < 1 || channels < 1 || channels % groups != 0 || !(eps > 0)) {
            throw new IllegalArgumentException("GroupNorm needs channels divisible by groups and eps > 0, got groups=" + groups
                    + " channels=" + channels + " eps=" + eps);
        }
        this.groups = groups;
        this.channels = channels;
        this.eps = eps;
        if (affine) {
            registerParameter("weight", Tensor.ones(channels));
            registerParameter("bias", Tensor.zeros(channels));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() < 2 || x.size(1) != channels) {
            throw new IllegalArgumentException("GroupNorm(" + groups + ", " + channels + ") got input of shape "
                    + java.util.Arrays.toString(x.shape()));
        }
        return GenerativeF.groupNorm(x, groups, paramOrNull("weight"), paramOrNull("bias"), eps);
    }

    @Override
    public String toString() {
        return "GroupNorm(" + groups + ", " + channels + ")";
    }
}
