package dev.kiln.models.cnn;

/**
 * Training recipe shared by the CNN and ResNet presets: AdamW with decoupled weight decay and a
 * cosine decay of the learning rate to zero; augmentation by random crop with {@code cropPad}
 * pixels of padding and horizontal flips.
 *
 * @param quickBatch batch size in quick mode (smaller: more steps on the small subset)
 * @param quickTrain training examples in quick mode (the demo and the tests)
 * @param quickTest  test examples in quick mode
 */
public record VisionRecipe(int epochs, int batchSize, float lr, float weightDecay, float dropout, int cropPad, boolean flip,
                           int quickEpochs, int quickBatch, int quickTrain, int quickTest) {
}
