package dev.kiln.models.cnn;

/**
 * A CNN or ResNet preset: the optimisation ({@link dev.kiln.models.train.Recipe}: AdamW, cosine
 * decay to zero) and the augmentation, a random crop of the image padded by {@code cropPad} pixels
 * (0: no crop) and, with {@code flip}, horizontal flips.
 *
 * @param quickBatch batch size in quick mode (smaller: more steps on the small subset)
 * @param quickTrain training examples in quick mode (the demo and the tests)
 * @param quickTest  test examples in quick mode
 */
public record VisionRecipe(int epochs, int batchSize, float lr, float weightDecay, float dropout, int cropPad, boolean flip,
                           int quickEpochs, int quickBatch, int quickTrain, int quickTest) {
}
