package dev.kiln.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user's view of the library: a program that sees only the kiln-api jar (no other jar on its
 * class path) compiles against the public API, trains a small network and learns XOR.
 */
class ConsumerProjectTest {

    private static final String PROGRAM = String.join("\n",
            "import dev.kiln.*;",
            "import dev.kiln.backend.Backends;",
            "import dev.kiln.nn.*;",
            "import dev.kiln.nn.Module;", // java.lang.Module is imported on demand too
            "import dev.kiln.optim.*;",
            "public class Xor {",
            "  public static void main(String[] args) {",
            "    Generator g = new Generator(7);",
            "    Module net = new Sequential(new Linear(2, 16, g), Activation.tanh(), new Linear(16, 2, g));",
            "    Tensor x = Tensor.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});",
            "    Tensor y = Tensor.fromIndices(new int[] {0, 1, 1, 0});",
            "    Optimizer opt = new AdamW(net.parameters(), 0.05f);",
            "    for (int step = 0; step < 300; step++) {",
            "      opt.zeroGrad();",
            "      net.forward(x).crossEntropy(y).backward();",
            "      opt.step();",
            "    }",
            "    net.eval();",
            "    try (var s = Autograd.noGrad()) {",
            "      System.out.println(\"accuracy=\" + F.accuracy(net.forward(x), y) + \" device=\" + Backends.best());",
            "    }",
            "  }",
            "}");

    @Test
    void aProgramSeeingOnlyTheApiJarCompilesAndLearns(@TempDir Path dir) throws Exception {
        Path jar = Path.of(System.getProperty("kiln.api.jar"));
        assertTrue(Files.isRegularFile(jar), "kiln-api jar not built: " + jar);
        Path src = dir.resolve("Xor.java");
        Files.writeString(src, PROGRAM);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = javac.run(null, null, err, "-cp", jar.toString(), "-d", dir.toString(), src.toString());
        assertEquals(0, rc, "compiling against the public API failed:\n" + err.toString(StandardCharsets.UTF_8));

        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", jar + java.io.File.pathSeparator + dir, "Xor")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "consumer program timed out");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("accuracy=1.0 device=cpu"), out);
    }

    @Test
    void theApiJarCarriesNoNativeCode() throws Exception {
        try (JarFile jar = new JarFile(System.getProperty("kiln.api.jar"))) {
            jar.stream().forEach(e -> assertTrue(!e.getName().endsWith(".so") && !e.getName().startsWith("org/bytedeco"),
                    "kiln-api must stay free of native code, found " + e.getName()));
        }
    }

    @Test
    void theApiJarHoldsNoDatasets() throws Exception {
        // The datasets and loaders (dev.kiln.data) live in kiln-data, which builds on kiln-api.
        try (JarFile jar = new JarFile(System.getProperty("kiln.api.jar"))) {
            jar.stream().forEach(e -> assertTrue(!e.getName().startsWith("dev/kiln/data/"),
                    "dev.kiln.data belongs in kiln-data, found " + e.getName() + " in kiln-api"));
        }
    }
}
