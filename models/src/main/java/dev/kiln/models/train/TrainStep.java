package dev.kiln.models.train;

/**
 * One training step of any model, called by the {@link Trainer} once per step: a classifier's
 * forward, backward and update on a batch; a GAN's discriminator and generator updates; a
 * diffusion model's noise and timestep draws; an agent's environment steps and replay update.
 * Whatever the step draws at random must come from streams registered in the {@link TrainState},
 * so that a resumed run draws what the uninterrupted run drew.
 *
 * <p>The step returns its measurements as device-resident scalars ({@link Metrics}); the trainer
 * reads them to the host in one transfer every {@link TrainConfig#syncEvery()} steps, so a step
 * never waits for the device.
 */
@FunctionalInterface
public interface TrainStep {

    /**
     * Runs one step.
     *
     * @param step where the run is, and the step's batch (null when the {@link Steps} carry no data)
     * @return the step's named metrics (at least one); their names become the {@code train_*}
     *         columns of {@code history.csv} and the curves' panels
     */
    Metrics run(Step step);
}
