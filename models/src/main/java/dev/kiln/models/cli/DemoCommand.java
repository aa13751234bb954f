package dev.kiln.models.cli;

import dev.kiln.Device;
import dev.kiln.models.DemoDataset;
import dev.kiln.models.KilnModel;
import dev.kiln.models.Models;
import dev.kiln.models.RunRequest;
import dev.kiln.models.RunResult;
import dev.kiln.models.train.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code kiln demo}: every registered model in quick mode on the data this machine has without
 * downloading (embedded Iris always; Fashion-MNIST and the KJV when installed), on the best
 * device, then a summary table and the model/dataset pairs it skipped, each with the reason and
 * the command that gets the data. A failed run is reported in the table and makes the exit code 1; the others
 * still run.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run every model in quick mode on embedded or locally installed data and print a summary table.")
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--device", paramLabel = "DEV", defaultValue = "auto",
            description = "cpu, cuda, cuda:N or auto. Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--data", paramLabel = "DIR", description = "Directory holding dataset files.")
    Path data;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write each run's checkpoint and curves under DIR/<model>-<dataset> (default: nothing written).")
    Path out;

    @Option(names = "--overwrite", description = "Replace the runs an earlier demo left in --out (without it such an --out is refused).")
    boolean overwrite;

    @Option(names = {"-q", "--quiet"}, description = "No progress bars or per-epoch lines on stderr.")
    boolean quiet;

    private record Row(String model, String dataset, String device, String metric, String value, String seconds) {
    }

    @Override
    public Integer call() throws java.io.IOException {
        if (out != null && !overwrite && Files.isDirectory(out)) {
            try (java.util.stream.Stream<Path> entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    throw new java.io.IOException("--out " + out + " already holds the runs of an earlier demo; pass --overwrite to "
                            + "replace them, or another --out");
                }
            }
        }
        PrintStream stdout = CliSupport.outStream(spec);
        PrintStream err = CliSupport.errStream(spec);
        Device dev = CliSupport.parseDevice(spec, device, quiet ? null : err);
        RunRequest base = new RunRequest("-", dev, null, null, null, seed, null, data, false, true, quiet ? null : err);
        List<Row> rows = new ArrayList<>();
        boolean failed = false;
        long start = System.nanoTime();
        List<String> skipped = new ArrayList<>();
        for (KilnModel m : Models.all()) {
            for (DemoDataset d : m.demoDatasets(base)) {
                String ds = d.name();
                if (!d.isAvailable()) {
                    skipped.add(String.format(Locale.ROOT, "  %s on %s: %s; get it: %s", m.name(), ds, d.missing(), d.getIt()));
                    continue;
                }
                RunRequest req = base.withDataset(ds)
                        .withOut(out == null ? null : out.resolve(m.name() + "-" + ds), false);
                err.println("kiln demo: " + m.name() + " on " + ds + " (quick) on " + dev);
                try (RunDirectory ignored = req.outDir() == null ? null
                        : RunDirectory.open(req.outDir(), false, true, quiet ? null : err)) {
                    RunResult r = m.train(req);
                    stdout.println(r.resultLine());
                    stdout.flush();
                    rows.add(new Row(m.name(), ds, kind(r.device()), r.metric(),
                            String.format(Locale.ROOT, "%.4f", r.value()), String.format(Locale.ROOT, "%.1f", r.seconds())));
                } catch (Exception e) {
                    failed = true;
                    err.println("kiln demo: " + m.name() + " on " + ds + " failed: " + e.getMessage());
                    rows.add(new Row(m.name(), ds, kind(dev), "FAILED", "-", "-"));
                }
            }
        }
        printTable(stdout, rows, (System.nanoTime() - start) / 1e9, dev);
        if (!skipped.isEmpty()) {
            stdout.println();
            stdout.println("Skipped (their data is not on this machine):");
            skipped.forEach(stdout::println);
            stdout.flush();
        }
        return failed ? 1 : 0;
    }

    private static String kind(Device d) {
        return d.kind() == Device.Kind.CPU ? "cpu" : "cuda";
    }

    private static void printTable(PrintStream out, List<Row> rows, double total, Device dev) {
        String[] head = {"model", "dataset", "device", "metric", "value", "seconds"};
        int[] w = new int[head.length];
        List<String[]> cells = new ArrayList<>();
        cells.add(head);
        for (Row r : rows) {
            cells.add(new String[] {r.model(), r.dataset(), r.device(), r.metric(), r.value(), r.seconds()});
        }
        for (String[] c : cells) {
            for (int k = 0; k < c.length; k++) {
                w[k] = Math.max(w[k], c[k].length());
            }
        }
        out.println();
        out.println(String.format(Locale.ROOT, "Kiln demo summary (quick mode, device %s, %.1f s in all)", dev, total));
        for (int i = 0; i < cells.size(); i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < head.length; k++) {
                String c = cells.get(i)[k];
                boolean right = k >= 4;
                String pad = " ".repeat(w[k] - c.length());
                sb.append(right ? pad + c : c + pad).append(k + 1 < head.length ? "  " : "");
            }
            out.println(sb.toString().stripTrailing());
            if (i == 0) {
                StringBuilder line = new StringBuilder();
                for (int k = 0; k < head.length; k++) {
                    line.append("-".repeat(w[k])).append(k + 1 < head.length ? "  " : "");
                }
                out.println(line);
            }
        }
        out.flush();
    }
}
