package dev.kiln.models.train;

import dev.kiln.data.Batch;

/**
 * Where a run is when the {@link Trainer} calls a {@link TrainStep}.
 *
 * @param epoch      1-based epoch
 * @param index      1-based step within the epoch
 * @param globalStep 1-based step of the whole run ({@code (epoch - 1) · stepsPerEpoch + index})
 * @param batch      the step's batch on the host (move it to the device once), or null when the
 *                   steps carry no data ({@link Steps#fixed})
 */
public record Step(int epoch, int index, long globalStep, Batch batch) {
}
