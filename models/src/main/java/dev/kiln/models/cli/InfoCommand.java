package dev.kiln.models.cli;

import dev.kiln.Device;
import dev.kiln.DeviceUnavailableException;
import dev.kiln.backend.BackendProvider;
import dev.kiln.backend.Backends;
import dev.kiln.models.KilnModel;
import dev.kiln.models.Models;
import dev.kiln.ops.OpRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code kiln info}: versions, the CPU, the backends found, whether CUDA is usable and why not. Always exits 0. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show the Kiln and Java versions, CPU cores, the backends found and CUDA availability.")
final class InfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintStream out = CliSupport.outStream(spec);
        Runtime rt = Runtime.getRuntime();
        out.println("Kiln         " + KilnCli.kilnVersion());
        out.println("Java         " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                + System.getProperty("java.vendor") + ")");
        out.println("OS           " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        out.println("CPU cores    " + rt.availableProcessors());
        out.println(String.format(Locale.ROOT, "Max heap     %.1f GiB", rt.maxMemory() / (1024.0 * 1024 * 1024)));
        out.println("Ops          " + OpRegistry.all().size() + " registered");
        StringBuilder models = new StringBuilder();
        for (KilnModel m : Models.all()) {
            models.append(models.length() == 0 ? "" : ", ").append(m.name()).append(' ').append(m.datasets());
        }
        out.println("Models       " + models);
        List<BackendProvider> providers = Backends.providers();
        String label = "Backends     ";
        for (BackendProvider p : providers) {
            String desc;
            try {
                desc = p.describe();
            } catch (RuntimeException | LinkageError e) {
                desc = "describe() failed: " + e;
            }
            // Later lines of a description (the CUDA backend's options) are indented under the first.
            out.println(label + p.kind().name().toLowerCase() + " (" + p.getClass().getName() + "): "
                    + desc.replace("\n", "\n                 "));
            label = "             ";
        }
        if (providers.isEmpty()) {
            out.println(label + "no backend providers on the class path");
        }
        String cuda;
        try {
            Device d = Backends.cuda(0);
            cuda = "available (" + d + "); memory " + Backends.memoryUsage(d);
        } catch (DeviceUnavailableException e) {
            cuda = "unavailable: " + e.getMessage();
        } catch (RuntimeException | LinkageError e) {
            cuda = "unavailable: " + e;
        }
        out.println("CUDA         " + cuda);
        out.flush();
        return 0;
    }
}
