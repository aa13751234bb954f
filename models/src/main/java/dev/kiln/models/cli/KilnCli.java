package dev.kiln.models.cli;

/** Placeholder entry point while the CLI is written. */
public final class KilnCli {
    private KilnCli() {
    }

    public static void main(String[] args) {
        System.err.println("kiln: not implemented yet");
        System.exit(1);
    }
}
