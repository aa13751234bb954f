package dev.kiln.models.cnn;

import dev.kiln.Generator;
import dev.kiln.models.RunRequest;
import dev.kiln.models.RunResult;

import java.io.IOException;

/**
 * The CNN on Fashion-MNIST ({@link Cnn}); {@code cnn} is the plain 2-conv net, {@code cnn-bn} the
 * batch-norm variant. Presets: see {@link #recipe(boolean)} and the module README.
 */
public final class CnnModel extends VisionModel {

    private static final long DROPOUT_STREAM = 0x5EED_C44L;

    private final boolean batchNorm;

    public CnnModel(boolean batchNorm) {
        this.batchNorm = batchNorm;
    }

    @Override
    public String name() {
        return batchNorm ? "cnn-bn" : "cnn";
    }

    @Override
    public String description() {
        return "2-conv CNN (conv32-conv64-maxpool-dense128-10" + (batchNorm ? ", batch norm" : "") + ") on Fashion-MNIST";
    }

    /**
     * The preset. Quick mode is 1 epoch of batch 32 on the first 2,000 training and 500 test
     * images: the full-size net trains at roughly 100 images/s on the shared 2-core CPU here, so
     * this is what fits the demo's and the tests' minute.
     */
    public static VisionRecipe recipe(boolean batchNorm) {
        return new VisionRecipe(15, 128, batchNorm ? 2e-3f : 1e-3f, 1e-4f, 0.25f, 0, true, 1, 32, 2_000, 500);
    }

    @Override
    public RunResult train(RunRequest req) throws IOException {
        VisionTraining.checkDataset(name(), req.dataset());
        VisionRecipe r = recipe(batchNorm);
        Generator drop = new Generator(req.seed() ^ DROPOUT_STREAM);
        Cnn net = new Cnn(batchNorm, r.dropout(), new Generator(req.seed()), drop);
        return VisionTraining.run(name(), r.toString(), net, drop, r, req);
    }
}
