package dev.kiln.models.train;

import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.Tensor;
import dev.kiln.data.Batch;
import dev.kiln.data.DataLoader;
import dev.kiln.nn.Module;
import dev.kiln.optim.GradClip;
import dev.kiln.optim.LRScheduler;
import dev.kiln.optim.Optimizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@link TrainStep} and {@link Evaluation} of a classifier trained with cross-entropy: the
 * DNN, the vision models, and the sequence models whose logits are flattened to {@code [B·L, V]}
 * (their {@code [B, L]} targets are flattened to match, so accuracy counts tokens). Both report
 * {@code loss} (mean cross-entropy in nats, weighted by examples) and {@code accuracy} (correct
 * predictions over all targets).
 */
public final class Classification {

    /** The metric names. */
    public static final String LOSS = "loss";
    public static final String ACCURACY = "accuracy";

    private Classification() {
    }

    /**
     * One optimizer step per batch: forward, cross-entropy, backward, optional clipping of the
     * global gradient norm, the update, then the schedule (if any) steps.
     *
     * @param clipNorm clip to this global norm; 0 disables clipping
     */
    public static TrainStep step(Module model, Optimizer optimizer, LRScheduler schedule, float clipNorm, Device device) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(device, "device");
        if (!(clipNorm >= 0) || Float.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("gradient clip norm must be a finite value >= 0, got " + clipNorm);
        }
        return s -> {
            Batch batch = Objects.requireNonNull(s.batch(), "a classifier step needs batches (Steps.over(loader))");
            Tensor logits = model.forward(batch.x().to(device));
            Tensor y = flatTargets(logits, batch.y().to(device));
            Tensor loss = logits.crossEntropy(y);
            optimizer.zeroGrad();
            loss.backward();
            if (clipNorm > 0) {
                GradClip.clipGradNorm(model.parameters(), clipNorm);
            }
            optimizer.step();
            if (schedule != null) {
                schedule.step();
            }
            return new Metrics().mean(LOSS, loss, batch.size()).ratio(ACCURACY, correctCount(logits.detach(), y), y.numel());
        };
    }

    /** Mean loss and accuracy over {@code loader}'s batches (in its epoch-0 order), read from the device once. */
    public static Evaluation evaluation(Module model, DataLoader loader, Device device) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(loader, "loader");
        if (loader.dataset().size() == 0) {
            throw new IllegalArgumentException("The evaluation set is empty");
        }
        return () -> {
            List<Tensor> sums = new ArrayList<>();
            long n = 0;
            long targets = 0;
            for (Batch batch : loader.epoch(0)) {
                Tensor logits = model.forward(batch.x().to(device));
                Tensor y = flatTargets(logits, batch.y().to(device));
                sums.add(logits.crossEntropy(y).mul(batch.size()).reshape(1));
                sums.add(correctCount(logits, y).reshape(1));
                n += batch.size();
                targets += y.numel();
            }
            float[] v = Tensor.cat(sums, 0).toFloatArray();
            double loss = 0;
            double correct = 0;
            for (int k = 0; k < v.length; k += 2) {
                loss += v[k];
                correct += v[k + 1];
            }
            Map<String, Double> out = new LinkedHashMap<>();
            out.put(LOSS, loss / n);
            out.put(ACCURACY, correct / targets);
            return out;
        };
    }

    /** Sequence models return logits flattened to {@code [B·L, V]}; their {@code [B, L]} targets are flattened to match. */
    private static Tensor flatTargets(Tensor logits, Tensor y) {
        return logits.rank() == 2 && y.rank() > 1 ? y.reshape(-1) : y;
    }

    /** Number of rows whose argmax equals the target, as a device scalar. */
    private static Tensor correctCount(Tensor logits, Tensor y) {
        Tensor pred = logits.argmax(1).toType(DType.FLOAT32);
        return pred.eq(y.toType(DType.FLOAT32)).sum();
    }
}
