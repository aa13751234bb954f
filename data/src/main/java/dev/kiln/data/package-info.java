/**
 * Datasets for Kiln: loading, splitting, preprocessing and batching.
 *
 * <ul>
 *   <li>{@link dev.kiln.data.LabeledData} — in-memory classification data (features, labels,
 *       shape, class names) with seeded stratified {@code split} and {@code subset};
 *       {@link dev.kiln.data.Standardizer} fits per-feature mean/std on a training split.</li>
 *   <li>{@link dev.kiln.data.Iris} (shipped in the jar) and {@link dev.kiln.data.FashionMnist}
 *       (found on disk or downloaded and checksummed by {@link dev.kiln.data.DatasetLocator}).</li>
 *   <li>{@link dev.kiln.data.IdxReader} / {@link dev.kiln.data.IdxWriter} — the MNIST IDX format;
 *       bad files raise {@link dev.kiln.data.CorruptDataException} naming the file.</li>
 *   <li>{@link dev.kiln.data.Dataset}, {@link dev.kiln.data.TensorDataset} and
 *       {@link dev.kiln.data.DataLoader} — batches of tensors ({@link dev.kiln.data.Batch})
 *       with seeded per-epoch shuffling and optional drop-last.</li>
 * </ul>
 *
 * <pre>{@code
 * LabeledData.TrainTest tt = Iris.standardizedTrainTestSplit(42);
 * for (Batch b : DataLoader.shuffled(tt.train(), 16, 42)) {
 *     Tensor x = b.x();   // {16, 4} FLOAT32
 *     Tensor y = b.y();   // {16} INT32
 * }
 * }</pre>
 */
package dev.kiln.data;
