package dev.kiln.models.train;

import dev.kiln.Autograd;
import dev.kiln.Tensor;
import dev.kiln.nn.Module;

import java.util.List;

/**
 * An exponential moving average of a network's weights, kept in a second network of the same
 * shape: after each optimizer step {@code avg ← (1 − rate)·avg + rate·online}. The DQN's Polyak
 * target network and the DDPM's sampling network (EMA of the denoiser, as in Ho et al.) both use it.
 *
 * <p>{@link #warmRate} gives the usual warm-up: the rate starts near 1 (the average follows the
 * early, fast-changing weights) and falls to {@code 1 − decay}.
 */
public final class WeightAverage {

    private final List<Tensor> online, average;

    /** Averages {@code online}'s parameters into {@code average}'s, which start as a copy of them. */
    public WeightAverage(Module online, Module average) {
        this.online = online.parameters();
        this.average = average.parameters();
        if (this.online.size() != this.average.size()) {
            throw new IllegalArgumentException("weight average: the networks differ, " + this.online.size() + " and "
                    + this.average.size() + " parameters");
        }
        copy(online, average);
    }

    /** {@code avg ← (1 − rate)·avg + rate·online} for every parameter ({@code rate} in (0, 1]). */
    public void update(float rate) {
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("weight average: rate must be in (0, 1], got " + rate);
        }
        try (Autograd.Scope s = Autograd.noGrad()) {
            for (int i = 0; i < average.size(); i++) {
                Tensor a = average.get(i);
                a.assign(rate == 1f ? online.get(i) : a.mul(1f - rate).add(online.get(i).mul(rate)));
            }
        }
    }

    /**
     * The rate after {@code updates} steps for an average of decay {@code decay}:
     * {@code 1 − min(decay, (1 + n)/(10 + n))}.
     */
    public static float warmRate(float decay, long updates) {
        return 1f - Math.min(decay, (1f + updates) / (10f + updates));
    }

    /** Copies {@code from}'s state (parameters and buffers) into {@code to}. */
    public static void copy(Module from, Module to) {
        try (Autograd.Scope s = Autograd.noGrad()) {
            to.loadStateDict(from.stateDict());
        }
    }
}
