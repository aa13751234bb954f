package dev.kiln.bench.gpu;

import dev.kiln.Device;

import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Trains one of Kiln's models on CUDA without writing files: the run script's training step.
 * {@code kiln train} always writes a checkpoint and a PNG of the curves (XChart, which needs the
 * {@code java.desktop} module, too large for the GPU bundle's runtime); this calls the same
 * {@code KilnModel.train} with no output directory instead, and prints the same
 * {@code RESULT ...} line. kiln-models is looked up at run time (it is on the run script's class
 * path, not a dependency of this module).
 *
 * <pre>{@code java -cp ... dev.kiln.bench.gpu.GpuTrain dnn fashion-mnist 1 [DATA_DIR]}</pre>
 *
 * Arguments: model, dataset, epochs ({@code preset}: the dataset's preset), and optionally the
 * dataset directory. Progress goes to
 * stderr. Exit code 0 after a finished run.
 */
public final class GpuTrain {

    private GpuTrain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: GpuTrain <model> <dataset> <epochs|preset> [data-dir]");
            System.exit(2);
        }
        Class<?> models = Class.forName("dev.kiln.models.Models");
        Optional<?> model = (Optional<?>) models.getMethod("find", String.class).invoke(null, args[0]);
        if (model.isEmpty()) {
            System.err.println("GpuTrain: no model named '" + args[0] + "'");
            System.exit(2);
        }
        Class<?> req = Class.forName("dev.kiln.models.RunRequest");
        // RunRequest(dataset, device, epochs, batchSize, lr, seed, outDir, dataDir, resume, quick, log)
        Object request = req.getConstructor(String.class, Device.class, Integer.class, Integer.class, Float.class, long.class,
                Path.class, Path.class, boolean.class, boolean.class, PrintStream.class)
                .newInstance(args[1], Device.cuda(), args[2].equals("preset") ? null : Integer.valueOf(args[2]), null, null, 1L,
                        null, args.length == 4 ? Path.of(args[3]) : null, false, false, System.err);
        Class<?> kilnModel = Class.forName("dev.kiln.models.KilnModel");
        Method train = kilnModel.getMethod("train", req);
        Object result = train.invoke(model.get(), request);
        System.out.println(result.getClass().getMethod("resultLine").invoke(result));
    }
}
