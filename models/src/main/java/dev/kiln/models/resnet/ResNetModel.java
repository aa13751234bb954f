package dev.kiln.models.resnet;

import dev.kiln.Generator;
import dev.kiln.models.RunRequest;
import dev.kiln.models.RunResult;
import dev.kiln.models.cnn.VisionModel;
import dev.kiln.models.cnn.VisionRecipe;
import dev.kiln.models.cnn.VisionTraining;

import java.io.IOException;

/**
 * ResNet on Fashion-MNIST ({@link ResNet}) with random-crop (4 px) and flip augmentation. The
 * full preset is ResNet-18's stack (widths 64-128-256-512, two blocks a stage), meant for a GPU;
 * quick mode (demo, tests) uses width 8 and one block a stage so it runs on a CPU. The system
 * property {@code kiln.resnet.width} overrides the width of a full run (for a CPU run).
 */
public final class ResNetModel extends VisionModel {

    public static final String NAME = "resnet";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "ResNet-18-style residual network (basic blocks, batch norm) on Fashion-MNIST with crop/flip augmentation";
    }

    public static VisionRecipe recipe() {
        return new VisionRecipe(30, 128, 2e-3f, 5e-4f, 0f, 4, true, 2, 32, 3_000, 500);
    }

    @Override
    public RunResult train(RunRequest req) throws IOException {
        VisionTraining.checkDataset(NAME, req.dataset());
        VisionRecipe r = recipe();
        ResNet net = req.quick()
                ? new ResNet(8, new int[] {1, 1, 1, 1}, 10, new Generator(req.seed()))
                : new ResNet(Integer.getInteger("kiln.resnet.width", 64), new int[] {2, 2, 2, 2}, 10, new Generator(req.seed()));
        return VisionTraining.run(NAME, net.describe() + " " + r, net, new Generator(req.seed() ^ 0x7E57L), r, req);
    }
}
