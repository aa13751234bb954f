package dev.kiln.models;

import java.io.IOException;
import java.util.List;

/**
 * One model the {@code kiln} tool can train: a name ({@code dnn}, later {@code cnn}, {@code lstm},
 * …), the datasets it knows, and a training run for a {@link RunRequest}. Register a new model in
 * {@link Models}; the CLI's {@code train} sub-commands and {@code demo} come from that list.
 */
public interface KilnModel {

    /** Command-line name, lower case ({@code dnn}). */
    String name();

    /** One line for help texts. */
    String description();

    /** The {@code --dataset} values this model accepts; the first is the default. */
    List<String> datasets();

    /**
     * The datasets {@code kiln demo} runs in quick mode: those that need no download (embedded or
     * generated) and those found on this machine without downloading are available; the others
     * are listed as skipped, with the reason and the command that gets them.
     */
    List<DemoDataset> demoDatasets(RunRequest base);

    /**
     * Trains and evaluates.
     *
     * @throws IOException for missing or damaged data and checkpoints (the message says which file and why)
     * @throws dev.kiln.models.train.TrainingDivergedException when the loss becomes NaN or infinite
     */
    RunResult train(RunRequest request) throws IOException;

    /** What {@code --dataset} names for this model, for messages: "dataset", or "environment" for agents. */
    default String datasetKind() {
        return "dataset";
    }
}
