package dev.kiln.models.cli;

import dev.kiln.Device;
import dev.kiln.models.dqn.CartPoleGif;
import dev.kiln.models.dqn.DqnModel;
import dev.kiln.nn.Sequential;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code kiln play dqn --checkpoint DIR --out cartpole.gif}: one greedy episode of a trained agent as an animated GIF. */
@Command(name = "play", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Play one greedy episode of a trained agent (dqn) on CartPole-v1 and write it as an animated GIF.",
                "Prints the episode's return on stdout."})
final class PlayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "dqn.")
    String modelName;

    @Option(names = "--checkpoint", paramLabel = "FILE_OR_RUN_DIR", required = true,
            description = "A checkpoint.kiln of a dqn run, or the run directory holding it (e.g. runs/dqn-cartpole).")
    Path checkpoint;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "cartpole.gif",
            description = "The GIF to write. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of the episode's initial state. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--frame-step", paramLabel = "K", defaultValue = "2",
            description = "Draw every K-th step (the GIF plays in real time either way). Default: ${DEFAULT-VALUE}.")
    int frameStep;

    @Option(names = "--device", paramLabel = "DEV", defaultValue = "auto",
            description = "cpu, cuda, cuda:N or auto. Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = {"-q", "--quiet"}, description = "No message on stderr.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        if (!modelName.equals(DqnModel.NAME)) {
            throw new ParameterException(spec.commandLine(), "Unknown model '" + modelName + "' for play; expected: dqn");
        }
        if (frameStep < 1) {
            throw new ParameterException(spec.commandLine(), "--frame-step must be >= 1, got " + frameStep);
        }
        PrintStream err = CliSupport.errStream(spec);
        Device dev = CliSupport.parseDevice(spec, device, quiet ? null : err);
        Sequential net = DqnModel.loadBest(checkpoint, dev);
        CartPoleGif.Episode e = CartPoleGif.play(net, dev, seed, frameStep, out);
        if (!quiet) {
            err.println(String.format(Locale.ROOT, "kiln play: %d steps (%s), %d frames in %s", e.steps(),
                    e.terminated() ? "the pole fell or the cart left the track" : "truncated at 500", e.frames(), out));
            err.flush();
        }
        PrintStream stdout = CliSupport.outStream(spec);
        stdout.println(String.format(Locale.ROOT, "episode_return=%d", e.steps()));
        stdout.flush();
        return 0;
    }
}
