package dev.kiln.cuda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernels build's PTX-version gate ({@code make ptxcheck}, run by {@code kernels/build.sh}):
 * given a PTX file whose {@code .version} is newer than the oldest supported driver takes (9.0 for
 * driver 580), the build target fails naming the file; the shipped PTX passes; the maximum is
 * configurable ({@code PTX_MAX_VERSION} / {@code KILN_PTX_MAX_VERSION}).
 */
class PtxVersionCheckTest {

    static final Path KERNELS = Path.of("..", "kernels");

    /** {@code make -s -C kernels ptxcheck PTX=<file>} plus {@code extra}; returns exit code and output. */
    static Object[] ptxcheck(Path ptx, String... extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("make", "-s", "-C", KERNELS.toString(), "ptxcheck", "PTX=" + ptx.toAbsolutePath()));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("KILN_PTX_MAX_VERSION");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "make ptxcheck did not finish");
        return new Object[] {p.exitValue(), out};
    }

    @Test
    void aTooNewPtxFailsTheBuild(@TempDir Path dir) throws Exception {
        String shipped;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("dev/kiln/kernels/ptx/memory.sm_80.ptx")) {
            assertTrue(in != null, "kiln-kernels is not on the class path");
            shipped = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        assertTrue(shipped.contains("\n.version 9.0\n"), "the shipped PTX is ISA 9.0");
        Path ok = Files.writeString(dir.resolve("memory.sm_80.ptx"), shipped);
        Path tooNew = Files.writeString(dir.resolve("memory-new.sm_80.ptx"), shipped.replace("\n.version 9.0\n", "\n.version 9.1\n"));

        Object[] r = ptxcheck(ok);
        assertEquals(0, r[0], (String) r[1]);

        r = ptxcheck(tooNew);
        assertNotEquals(0, r[0], (String) r[1]);
        assertTrue(((String) r[1]).contains(tooNew.toAbsolutePath() + " is PTX ISA 9.1, newer than 9.0"), (String) r[1]);

        r = ptxcheck(tooNew, "PTX_MAX_VERSION=9.1");
        assertEquals(0, r[0], "a raised maximum lets it through: " + r[1]);
        r = ptxcheck(ok, "PTX_MAX_VERSION=8.9");
        assertNotEquals(0, r[0], "a lowered maximum refuses ISA 9.0: " + r[1]);
    }
}
