package dev.kiln.models.cli;

import dev.kiln.Device;
import dev.kiln.models.KilnModel;
import dev.kiln.models.RunRequest;
import dev.kiln.models.RunResult;
import dev.kiln.models.train.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code kiln train <model> [options]} for one registered model. */
@Command(mixinStandardHelpOptions = true, sortOptions = false)
final class TrainModelCommand implements Callable<Integer> {

    private final KilnModel model;

    @Spec
    CommandSpec spec;

    @Option(names = {"--dataset", "--env"}, paramLabel = "NAME",
            description = "Dataset, or environment for an agent (see above; default: the first listed).")
    String dataset;

    @Option(names = "--device", paramLabel = "DEV", defaultValue = "auto",
            description = "cpu, cuda, cuda:N or auto (CUDA when usable, else the CPU). Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: the dataset's preset).")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "B", description = "Training batch size (default: the preset).")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "X", description = "Peak learning rate (default: the preset).")
    Float lr;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed for initialisation, shuffling and dropout. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where the checkpoint, history.csv and curves.png go (default: runs/<model>-<dataset>); "
                    + "one that already holds a run needs --resume or --overwrite.")
    Path out;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory holding the dataset files (default: $KILN_DATA, the standard places, then download); "
                    + "for --dataset text, the UTF-8 text file.")
    Path data;

    @Option(names = "--resume", description = "Continue from the checkpoint in --out.")
    boolean resume;

    @Option(names = "--overwrite",
            description = "Reuse an --out that already holds a run, replacing its files (without it such an --out is refused).")
    boolean overwrite;

    @Option(names = "--allow-schedule-change",
            description = "With --resume: continue even though --epochs, --batch-size or --lr differ from the checkpoint's "
                    + "run (the change is printed; without it the resume is refused).")
    boolean allowScheduleChange;

    @Option(names = "--quick", description = "A short run on a subset (what the demo runs).")
    boolean quick;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar or per-epoch lines on stderr.")
    boolean quiet;

    TrainModelCommand(KilnModel model) {
        this.model = model;
    }

    @Override
    public Integer call() throws Exception {
        String ds = dataset != null ? dataset : model.datasets().get(0);
        if (!model.datasets().contains(ds)) {
            throw new ParameterException(spec.commandLine(), "Unknown " + model.datasetKind() + " '" + ds + "' for " + model.name()
                    + "; expected one of: " + String.join(", ", model.datasets()));
        }
        if (ds.equals("text") && data == null) {
            throw new ParameterException(spec.commandLine(), "--dataset text needs --data FILE, a UTF-8 text file");
        }
        checkPositive("--epochs", epochs);
        checkPositive("--batch-size", batchSize);
        if (lr != null && !(lr > 0 && Float.isFinite(lr))) {
            throw new ParameterException(spec.commandLine(), "--lr must be a positive number, got " + lr);
        }
        if (resume && overwrite) {
            throw new ParameterException(spec.commandLine(), "--resume continues the run in --out, --overwrite replaces it: pass one");
        }
        if (allowScheduleChange && !resume) {
            throw new ParameterException(spec.commandLine(), "--allow-schedule-change applies only with --resume");
        }
        PrintStream err = CliSupport.errStream(spec);
        Device dev = CliSupport.parseDevice(spec, device, quiet ? null : err);
        Path outDir = out != null ? out : Path.of("runs", model.name() + "-" + ds);
        RunResult r;
        try (RunDirectory ignored = RunDirectory.open(outDir, resume, overwrite, quiet ? null : err)) {
            RunRequest req = new RunRequest(ds, dev, epochs, batchSize, lr, seed, outDir, data, resume, quick,
                    quiet ? null : err, allowScheduleChange);
            r = model.train(req);
        }
        PrintStream stdout = CliSupport.outStream(spec);
        stdout.println(r.resultLine());
        stdout.flush();
        return 0;
    }

    private void checkPositive(String name, Integer v) {
        if (v != null && v < 1) {
            throw new ParameterException(spec.commandLine(), name + " must be >= 1, got " + v);
        }
    }
}
