package dev.kiln.models.cli;

import dev.kiln.Device;
import dev.kiln.DeviceUnavailableException;
import dev.kiln.backend.Backends;
import dev.kiln.backend.cpu.CpuSimd;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Small helpers shared by the commands. */
final class CliSupport {
    private CliSupport() {
    }

    /**
     * A device from {@code --device}; a malformed value is a usage error, an unusable device is
     * not. For {@code auto} without a usable CUDA device the reason for using the CPU goes to
     * {@code notes} as one {@code kiln: Using the CPU: ...} line, unless {@code notes} is null
     * ({@code -q}), with a second line naming the CPU kernels (vector or scalar, and why).
     */
    static Device parseDevice(CommandSpec spec, String value, PrintStream notes) {
        String s = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (!(s.equals("cpu") || s.equals("cuda") || s.equals("auto") || s.matches("cuda:\\d+"))) {
            throw new ParameterException(spec.commandLine(), "Bad --device '" + value + "': expected cpu, cuda, cuda:N or auto");
        }
        if (!s.equals("auto")) {
            return Backends.parse(s); // a CUDA device is opened here, so an unusable one fails with the reason
        }
        try {
            return Backends.cuda(0);
        } catch (DeviceUnavailableException e) {
            if (notes != null) {
                notes.println("kiln: Using the CPU: " + e.getMessage());
                notes.println("kiln: CPU kernels: " + CpuSimd.description());
                notes.flush();
            }
            return Device.cpu();
        }
    }

    /** The command line's stdout as a PrintStream. */
    static PrintStream outStream(CommandSpec spec) {
        return toStream(spec.commandLine().getOut());
    }

    /** The command line's stderr as a PrintStream (progress bars need one). */
    static PrintStream errStream(CommandSpec spec) {
        return toStream(spec.commandLine().getErr());
    }

    private static PrintStream toStream(PrintWriter w) {
        if (w instanceof StreamBackedWriter) {
            return ((StreamBackedWriter) w).stream;
        }
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                w.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                w.write(new String(b, off, len, StandardCharsets.UTF_8));
            }

            @Override
            public void flush() {
                w.flush();
            }
        }, true, StandardCharsets.UTF_8);
    }

    /** A PrintWriter that remembers the PrintStream it writes to, so commands can use the stream itself. */
    static final class StreamBackedWriter extends PrintWriter {
        final PrintStream stream;

        StreamBackedWriter(PrintStream stream) {
            super(stream, true);
            this.stream = stream;
        }
    }
}
