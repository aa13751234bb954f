package dev.kiln.models.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code kiln train <model>}: the models are sub-commands, added from the registry. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model with a progress bar, checkpoints each epoch and a PNG of the curves; "
                + "ends with one RESULT line on stdout.")
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing the model to train: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
