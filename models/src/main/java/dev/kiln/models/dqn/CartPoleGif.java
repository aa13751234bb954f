package dev.kiln.models.dqn;

import dev.kiln.Autograd;
import dev.kiln.Device;
import dev.kiln.Tensor;
import dev.kiln.nn.Module;
import dev.kiln.rl.CartPole;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Plays one greedy episode of a Q-network on a {@link CartPole} and writes it as an animated GIF
 * (javax.imageio, looping, one frame every {@code frameStep} steps at the simulation's own pace of
 * 20 ms a step). The picture follows Gym's: the track spans ±2.4 m, the pole is 1 m long.
 */
public final class CartPoleGif {

    /** What was played: the episode's return and how it ended, and the frames written. */
    public record Episode(int steps, boolean terminated, int frames) {
    }

    static final int WIDTH = 600, HEIGHT = 400;

    private CartPoleGif() {
    }

    /** Plays from {@code seed} with greedy actions of {@code net} and writes the GIF to {@code out} atomically. */
    public static Episode play(Module net, Device device, long seed, int frameStep, Path out) throws IOException {
        if (frameStep < 1) {
            throw new IllegalArgumentException("frameStep must be >= 1, got " + frameStep);
        }
        CartPole env = new CartPole();
        double[] s = env.reset(seed);
        List<BufferedImage> frames = new ArrayList<>();
        frames.add(render(s, 0, false));
        CartPole.Step st;
        try (Autograd.Scope scope = Autograd.noGrad()) {
            do {
                Tensor obs = Tensor.fromArray(new float[] {(float) s[0], (float) s[1], (float) s[2], (float) s[3]}, 1, 4)
                        .to(device);
                int a = (int) net.forward(obs).argmax(1).toLongArray()[0];
                st = env.step(a);
                s = st.observation();
                if (env.steps() % frameStep == 0 || st.done()) {
                    frames.add(render(s, env.steps(), st.terminated()));
                }
            } while (!st.done());
        }
        write(frames, 2 * frameStep, out);
        return new Episode(env.steps(), st.terminated(), frames.size());
    }

    /** One frame: track, cart, pole, and the step count. */
    static BufferedImage render(double[] s, int step, boolean fell) {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        double scale = WIDTH / (2 * CartPole.X_LIMIT);
        int trackY = 300;
        g.setColor(Color.BLACK);
        g.drawLine(0, trackY, WIDTH, trackY);
        int cx = (int) Math.round(s[0] * scale + WIDTH / 2.0);
        int cartW = 50, cartH = 30;
        g.setColor(new Color(40, 40, 40));
        g.fillRect(cx - cartW / 2, trackY - cartH / 2, cartW, cartH);
        double poleLen = 2 * CartPole.HALF_LENGTH * scale;
        int px = (int) Math.round(cx + poleLen * Math.sin(s[2]));
        int py = (int) Math.round(trackY - cartH / 4.0 - poleLen * Math.cos(s[2]));
        g.setColor(fell ? new Color(200, 60, 40) : new Color(202, 152, 101));
        g.setStroke(new BasicStroke(10, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
        g.drawLine(cx, trackY - cartH / 4, px, py);
        g.setColor(new Color(129, 132, 203));
        g.fillOval(cx - 5, trackY - cartH / 4 - 5, 10, 10);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
        g.drawString(String.format(Locale.ROOT, "step %d   x %+.2f m   angle %+.1f°", step, s[0], Math.toDegrees(s[2])), 12, 24);
        g.dispose();
        return img;
    }

    /** An animated, looping GIF with {@code delayCs} hundredths of a second per frame. */
    static void write(List<BufferedImage> frames, int delayCs, Path out) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        Path dir = out.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = (dir == null ? Path.of(".") : dir).resolve("." + out.getFileName() + ".tmp");
        try {
            try (ImageOutputStream ios = ImageIO.createImageOutputStream(tmp.toFile())) {
                writer.setOutput(ios);
                writer.prepareWriteSequence(null);
                for (int i = 0; i < frames.size(); i++) {
                    BufferedImage f = frames.get(i);
                    ImageWriteParam param = writer.getDefaultWriteParam();
                    IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(f), param);
                    String format = meta.getNativeMetadataFormatName();
                    IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
                    IIOMetadataNode gce = child(root, "GraphicControlExtension");
                    gce.setAttribute("disposalMethod", "none");
                    gce.setAttribute("userInputFlag", "FALSE");
                    gce.setAttribute("transparentColorFlag", "FALSE");
                    gce.setAttribute("delayTime", Integer.toString(i == frames.size() - 1 ? 100 : delayCs));
                    gce.setAttribute("transparentColorIndex", "0");
                    if (i == 0) {
                        IIOMetadataNode apps = child(root, "ApplicationExtensions");
                        IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
                        app.setAttribute("applicationID", "NETSCAPE");
                        app.setAttribute("authenticationCode", "2.0");
                        app.setUserObject(new byte[] {1, 0, 0});  // loop forever
                        apps.appendChild(app);
                    }
                    meta.setFromTree(format, root);
                    writer.writeToSequence(new IIOImage(f, null, meta), param);
                }
                writer.endWriteSequence();
            } finally {
                writer.dispose();
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }
}
