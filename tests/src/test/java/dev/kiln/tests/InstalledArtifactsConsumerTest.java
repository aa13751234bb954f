package dev.kiln.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A new user's Maven project, made only from what README shows (its Maven coordinates and its
 * Iris program), built offline against the installed Kiln artifacts: first with the CPU jars
 * alone, then with {@code kiln-cuda} added and the CUDA backend running on the SIMT emulator.
 * Each variant trains, evaluates, saves and reloads Iris. It runs Maven twice (about a minute
 * each on a loaded 2-core machine), so it runs only with {@code -Dkiln.consumer.maven=true}, after
 * {@code mvn install} of the products.
 */
class InstalledArtifactsConsumerTest {

    private static final Pattern XML = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern JAVA = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern ACCURACY = Pattern.compile("test accuracy (\\d\\.\\d+)\\s+reloaded accuracy (\\d\\.\\d+)");

    private static String block(Pattern p, String readme, String mustContain) {
        Matcher m = p.matcher(readme);
        while (m.find()) {
            if (m.group(1).contains(mustContain)) {
                return m.group(1);
            }
        }
        throw new AssertionError("README has no block containing " + mustContain);
    }

    private static String run(Path dir, List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "timed out: " + command);
        assertEquals(0, p.exitValue(), command + "\n" + out);
        return out;
    }

    private static String project(Path dir, String coordinates, boolean cuda, String program) throws Exception {
        String deps = cuda ? coordinates : coordinates.replaceAll("(?m)^.*(optional|kiln-cuda).*\\n", "");
        String pom = String.join("\n",
                "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">",
                "<modelVersion>4.0.0</modelVersion>",
                "<groupId>example</groupId><artifactId>iris-consumer</artifactId><version>1</version>",
                "<properties><maven.compiler.release>17</maven.compiler.release>",
                "<project.build.sourceEncoding>UTF-8</project.build.sourceEncoding></properties>",
                deps,
                "<build><plugins>",
                "<plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>",
                "<plugin><artifactId>maven-compiler-plugin</artifactId><version>3.14.0</version></plugin>",
                "<plugin><artifactId>maven-dependency-plugin</artifactId><version>3.8.1</version></plugin>",
                "</plugins></build></project>");
        Files.writeString(dir.resolve("pom.xml"), pom);
        Path src = Files.createDirectories(dir.resolve("src/main/java"));
        Files.writeString(src.resolve("IrisExample.java"), program);
        String mvn = System.getProperty("kiln.mvn", "mvn");
        run(dir, List.of(mvn, "-o", "-q", "-B", "-Dmaven.repo.local=" + System.getProperty("kiln.m2"), "compile",
                "dependency:build-classpath", "-Dmdep.outputFile=cp.txt"));
        String cp = Files.readString(dir.resolve("cp.txt")).strip();
        assertEquals(cuda, cp.contains("kiln-cuda"), "class path: " + cp);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (cuda) {
            cmd.add("-Dkiln.cuda.driver=emulator");
        }
        cmd.addAll(List.of("-cp", dir.resolve("target/classes") + java.io.File.pathSeparator + cp, "IrisExample"));
        return run(dir, cmd);
    }

    private static void checkAccuracy(String out) {
        Matcher a = ACCURACY.matcher(out);
        assertTrue(a.find(), out);
        assertTrue(Double.parseDouble(a.group(1)) >= 0.9, out);
        assertEquals(a.group(1), a.group(2), "the reloaded model scores the same:\n" + out);
    }

    @Test
    void theReadmeIrisProgramBuildsOfflineOnTheCpuJarsThenOnTheEmulatedCudaBackend(@TempDir Path dir) throws Exception {
        assumeTrue(Boolean.getBoolean("kiln.consumer.maven"), "runs Maven twice; enable with -Dkiln.consumer.maven=true");
        String readme = Files.readString(Path.of(System.getProperty("kiln.readme")));
        String coordinates = block(XML, readme, "kiln-bom");
        String program = block(JAVA, readme, "public class IrisExample");

        String cpu = project(Files.createDirectories(dir.resolve("cpu")), coordinates, false, program);
        checkAccuracy(cpu);
        assertTrue(cpu.contains("Using the CPU"), "without kiln-cuda the CPU is chosen and the reason logged:\n" + cpu);

        String gpu = project(Files.createDirectories(dir.resolve("cuda")), coordinates, true, program);
        checkAccuracy(gpu);
        assertFalse(gpu.contains("Using the CPU"), "with kiln-cuda on the emulator, Backends.best() is CUDA:\n" + gpu);
        System.out.println("cpu run:\n" + cpu + "\ncuda (emulated) run:\n" + gpu);
    }
}
