package dev.kiln.models.cli;

import dev.kiln.Device;
import dev.kiln.Tensor;
import dev.kiln.models.Datasets;
import dev.kiln.models.ddpm.DdpmModel;
import dev.kiln.models.ddpm.ScatterPlot;
import dev.kiln.models.ddpm.Toy2d;
import dev.kiln.models.ddpm.Toy2dModel;
import dev.kiln.models.gan.GanModel;
import dev.kiln.models.imagegen.ImageDdpm;
import dev.kiln.models.imagegen.ImageGan;
import dev.kiln.models.imagegen.ImageGrid;
import dev.kiln.models.train.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code kiln sample ddpm|gan --checkpoint DIR [--n 64] [--steps 50] [--seed S] --out FILE}: draws
 * samples from a trained generative model. Fashion-MNIST checkpoints give a PNG grid; 2-D ones a
 * scatter PNG, or the points as CSV when {@code --out} ends in {@code .csv}. For the DDPM,
 * {@code --steps} below T runs that many DDIM steps and {@code --steps 1000} (= T) the ancestral
 * DDPM chain.
 */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draw samples from a trained generative model (ddpm or gan) into a PNG grid (Fashion-MNIST), "
                + "or a scatter PNG or CSV of points (2-D data sets)."})
final class SampleCommand implements Callable<Integer> {

    static final List<String> MODELS = List.of(DdpmModel.NAME, GanModel.NAME);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "ddpm or gan.")
    String modelName;

    @Option(names = "--checkpoint", paramLabel = "FILE_OR_RUN_DIR", required = true,
            description = "A checkpoint.kiln, or the run directory holding it (e.g. runs/ddpm-fashion-mnist).")
    Path checkpoint;

    @Option(names = "--n", paramLabel = "N", defaultValue = "64", description = "How many samples. Default: ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--steps", paramLabel = "K",
            description = "DDPM only: DDIM steps, 1 to T = 1000; 1000 runs the ancestral DDPM chain. Default: 50.")
    Integer steps;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the noise. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", paramLabel = "FILE", required = true,
            description = "The PNG to write (a grid of images, or a scatter of points); for 2-D models a .csv name writes the points.")
    Path out;

    @Option(names = "--device", paramLabel = "DEV", defaultValue = "auto", description = "cpu, cuda, cuda:N or auto. Default: ${DEFAULT-VALUE}.")
    String device;

    @Override
    public Integer call() throws Exception {
        if (!MODELS.contains(modelName)) {
            throw new ParameterException(spec.commandLine(), "Unknown model '" + modelName + "' for sample; expected one of: "
                    + String.join(", ", MODELS));
        }
        if (n <= 0) {
            throw new ParameterException(spec.commandLine(), "--n must be > 0, got " + n);
        }
        boolean ddpm = modelName.equals(DdpmModel.NAME);
        if (!ddpm && steps != null) {
            throw new ParameterException(spec.commandLine(), "--steps is for ddpm only; a GAN samples in one pass (got --steps " + steps + ")");
        }
        int k = steps == null ? ImageDdpm.DDIM_STEPS : steps;
        if (ddpm && (k < 1 || k > ImageDdpm.T)) {
            throw new ParameterException(spec.commandLine(), "--steps must be in [1, T = " + ImageDdpm.T + "], got " + k);
        }
        Path file = Files.isDirectory(checkpoint) ? checkpoint.resolve(Checkpoint.FILE_NAME) : checkpoint;
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no checkpoint there (train with kiln train " + modelName
                    + " --out DIR first)");
        }
        Checkpoint c = Checkpoint.load(file);
        String[] words = c.fingerprint().split(" ");
        if (!words[0].equals(modelName) || words.length < 3) {
            throw new IOException("Checkpoint " + file + " belongs to model '" + words[0] + "' ('" + c.fingerprint()
                    + "'), not to " + modelName);
        }
        String dataset = words[1];
        boolean quick = words[2].equals("quick");
        Device dev = CliSupport.parseDevice(spec, device, CliSupport.errStream(spec));
        boolean image = dataset.equals(Datasets.FASHION_MNIST);
        if (!image && !Toy2d.NAMES.contains(dataset)) {
            throw new IOException("Checkpoint " + file + " is for dataset '" + dataset + "', which kiln sample does not know");
        }
        Map<String, Tensor> state;
        try {
            // The image DDPM samples from its weights' moving average; older checkpoints hold only the denoiser.
            state = c.module(ddpm ? (image && c.modules().containsKey(ImageDdpm.EMA) ? ImageDdpm.EMA : "denoiser") : "generator");
        } catch (IllegalArgumentException e) {
            throw new IOException("Checkpoint " + file + ": " + e.getMessage(), e);
        }
        float[] samples;
        try {
            if (image) {
                samples = ddpm ? ImageDdpm.sample(state, n, k, seed, dev) : ImageGan.sample(state, n, seed, dev);
            } else {
                samples = ddpm ? DdpmModel.sample(state, quick, n, k, seed, dev) : GanModel.sample(state, quick, n, seed, dev);
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("Checkpoint " + file + " does not fit a " + modelName + " on " + dataset + ": " + e.getMessage(), e);
        }
        String what;
        if (image) {
            ImageGrid.write(samples, n, 28, 28, Math.min(n, 8), 2, out);
            what = n + " images";
        } else if (out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            Toy2dModel.writeCsv(samples, out);
            what = n + " points (CSV)";
        } else {
            ScatterPlot.write(List.of(new ScatterPlot.Panel(modelName + " samples, " + dataset, samples)), 3.0, out);
            what = n + " points (scatter)";
        }
        CliSupport.errStream(spec).println(String.format(Locale.ROOT, "kiln sample: %s from %s (%s, epoch %d%s): %s in %s",
                modelName, file, dataset, c.epoch(), ddpm ? (k == ImageDdpm.T ? ", 1000 DDPM steps" : ", " + k + " DDIM steps") : "",
                what, out));
        return 0;
    }
}
