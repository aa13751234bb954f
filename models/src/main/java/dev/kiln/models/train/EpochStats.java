package dev.kiln.models.train;

/**
 * What one epoch of training measured: the mean training loss and accuracy over the epoch's
 * batches (dropout active), the loss and accuracy on the held-out split (eval mode), the learning
 * rate used, and the epoch's wall time and training throughput.
 */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                         double lr, double seconds, double samplesPerSecond) {

    /** Column names of {@link #toCsv()}, in order. */
    public static final String CSV_HEADER = "epoch,train_loss,train_accuracy,test_loss,test_accuracy,lr,seconds,samples_per_second";

    /** One CSV row, full precision. */
    public String toCsv() {
        return epoch + "," + trainLoss + "," + trainAccuracy + "," + testLoss + "," + testAccuracy + "," + lr + ","
                + seconds + "," + samplesPerSecond;
    }

    /** Parses a row written by {@link #toCsv()}. */
    public static EpochStats parseCsv(String row) {
        String[] f = row.trim().split(",");
        if (f.length != 8) {
            throw new IllegalArgumentException("Expected 8 comma-separated fields (" + CSV_HEADER + "), got " + f.length
                    + " in '" + row + "'");
        }
        try {
            return new EpochStats(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                    Double.parseDouble(f[6]), Double.parseDouble(f[7]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Bad number in history row '" + row + "': " + e.getMessage());
        }
    }
}
