package dev.kiln.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README's Java code blocks: each is a complete program or starts with {@code // fragment}. The
 * complete ones compile against the Kiln jars, and the Iris program runs: it trains, evaluates on
 * the held-out split, saves, reloads and gets the same accuracy back.
 */
class ReadmeProgramsTest {

    private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CLASS = Pattern.compile("public class (\\w+)");
    private static final Pattern ACCURACY = Pattern.compile("test accuracy (\\d\\.\\d+)\\s+reloaded accuracy (\\d\\.\\d+)");

    @Test
    void completeProgramsCompileAndTheIrisExampleTrainsEvaluatesSavesAndReloads(@TempDir Path dir) throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("kiln.readme")));
        Matcher m = BLOCK.matcher(readme);
        List<Path> programs = new ArrayList<>();
        int fragments = 0;
        while (m.find()) {
            String code = m.group(1);
            if (code.strip().startsWith("// fragment")) {
                fragments++;
                continue;
            }
            Matcher c = CLASS.matcher(code);
            assertTrue(c.find(), "a README Java block is neither a complete program (public class ...) nor marked "
                    + "'// fragment':\n" + code);
            Path src = dir.resolve(c.group(1) + ".java");
            Files.writeString(src, code);
            programs.add(src);
        }
        assertTrue(fragments > 0 && !programs.isEmpty(), "found " + programs.size() + " programs and " + fragments + " fragments");
        String cp = System.getProperty("java.class.path");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-cp", cp, "-d", dir.toString()));
        programs.forEach(p -> args.add(p.toString()));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = javac.run(null, null, err, args.toArray(String[]::new));
        assertEquals(0, rc, "README programs do not compile:\n" + err.toString(StandardCharsets.UTF_8));

        assertTrue(Files.exists(dir.resolve("IrisExample.class")), "README lost its Iris program");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", cp + java.io.File.pathSeparator + dir, "IrisExample").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the Iris program timed out");
        assertEquals(0, p.exitValue(), out);
        Matcher a = ACCURACY.matcher(out);
        assertTrue(a.find(), out);
        double acc = Double.parseDouble(a.group(1));
        assertTrue(acc >= 0.9, "held-out accuracy " + acc + ":\n" + out);
        assertEquals(a.group(1), a.group(2), "the reloaded model must score the same:\n" + out);
    }
}
