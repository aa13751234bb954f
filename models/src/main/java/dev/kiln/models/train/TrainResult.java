package dev.kiln.models.train;

import dev.kiln.Device;

/**
 * The outcome of {@link Trainer#fit}: the history of every epoch (including resumed ones) and
 * the held-out accuracy after the last epoch.
 *
 * @param seconds wall time of this call's training and evaluation (not earlier, resumed epochs)
 */
public record TrainResult(History history, double testAccuracy, double testLoss, Device device, double seconds,
                          int epochsRun) {
}
