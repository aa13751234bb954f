package dev.kiln.models.dqn;

import dev.kiln.Device;
import dev.kiln.models.cli.KilnCli;
import dev.kiln.models.train.History;
import dev.kiln.models.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kiln play dqn}: a checkpoint's best network plays one episode into a decodable animated GIF. */
class PlayTest {

    private static int run(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        return KilnCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void playWritesOneFramePerFrameStep(@TempDir Path dir) throws Exception {
        Dqn agent = new Dqn(DqnConfig.quick(), Device.cpu(), 3);
        agent.state().snapshot(0, 0, "dqn " + DqnConfig.quick(), new History()).save(Trainer.checkpointPath(dir));
        Path gif = dir.resolve("out/cartpole.gif");
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = run(out, err, "play", "dqn", "--checkpoint", dir.toString(), "--out", gif.toString(), "--seed", "4",
                "--frame-step", "3", "--device", "cpu");
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        String line = out.toString(StandardCharsets.UTF_8).strip();
        assertTrue(line.startsWith("episode_return="), line);
        int steps = Integer.parseInt(line.substring("episode_return=".length()));
        // the same greedy episode computed directly
        CartPoleGif.Episode e = CartPoleGif.play(DqnModel.loadBest(dir, Device.cpu()), Device.cpu(), 4, 3,
                dir.resolve("again.gif"));
        assertEquals(e.steps(), steps);
        int expectedFrames = 1 + steps / 3 + (steps % 3 == 0 ? 0 : 1);
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            reader.setInput(in);
            assertEquals(expectedFrames, reader.getNumImages(true));
            assertEquals(CartPoleGif.WIDTH, reader.read(0).getWidth());
        }
    }

    @Test
    void badArgumentsAreRefused(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        assertEquals(2, run(out, err, "play", "dnn", "--checkpoint", dir.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Unknown model 'dnn' for play"));
        err.reset();
        assertEquals(1, run(out, err, "play", "dqn", "--checkpoint", dir.toString(), "--out", dir.resolve("x.gif").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("No checkpoint at"), err.toString(StandardCharsets.UTF_8));
        Files.writeString(dir.resolve("checkpoint.kiln"), "not a checkpoint");
        err.reset();
        assertEquals(1, run(out, err, "play", "dqn", "--checkpoint", dir.toString(), "--out", dir.resolve("x.gif").toString()));
        assertTrue(!Files.exists(dir.resolve("x.gif")));
    }
}
