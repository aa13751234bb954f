package dev.kiln.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a new user gets from the published artifacts, checked against README's "Using the library"
 * section. It needs a repository the products were deployed to, so it runs from
 * {@code .ci/check-deploy} ({@code -Dkiln.consumer.repo=DIR}, and {@code -Dkiln.dependency.tree=FILE}
 * for the tree that deploy run printed):
 * <ul>
 *   <li>Two new Maven projects made only from what README shows (its Maven coordinates and its Iris
 *   program), one with the CPU jars alone and one with {@code kiln-cuda} too, built in one offline
 *   Maven run into an empty local repository: Kiln's artifacts come from the deployed repository
 *   and nothing else from the network. Each trains, evaluates, saves and reloads Iris, the second
 *   on the CUDA backend over the SIMT emulator; both run again with the jars on the module path
 *   (automatic modules named by their Automatic-Module-Name).</li>
 *   <li>README's jar table and dependency tree are what {@code mvn dependency:tree} prints for the
 *   library modules, with the jar sizes as deployed (within 10%).</li>
 * </ul>
 */
class InstalledArtifactsConsumerTest {

    private static final Pattern ACCURACY = Pattern.compile("test accuracy (\\d\\.\\d+)\\s+reloaded accuracy (\\d\\.\\d+)");
    /** A row of README's jar table: {@code | `file.jar` | 318 KB | why |}. */
    private static final Pattern JAR_ROW = Pattern.compile("(?m)^\\| `([^`]+\\.jar)` \\| ([\\d.]+) (KB|MB) \\|");
    /**
     * Deployed jars that are not libraries a project depends on directly: the {@code kiln} command
     * and its models, and the kernels, which come with {@code kiln-cuda}. Every other deployed jar
     * module must have its tree in README.
     */
    private static final Set<String> NOT_IN_README_TREE = Set.of("kiln-models", "kiln-kernels");

    /** The body of the first fenced block in {@code readme} with info string {@code lang} that contains {@code mustContain}. */
    static String block(String lang, String readme, String mustContain) {
        StringBuilder body = null;
        String open = null;
        for (String line : readme.split("\n", -1)) {
            if (line.startsWith("```")) {
                if (body == null) {
                    open = line.substring(3).strip();
                    body = new StringBuilder();
                    continue;
                }
                if (open.equals(lang) && body.indexOf(mustContain) >= 0) {
                    return body.toString();
                }
                body = null;
                continue;
            }
            if (body != null) {
                body.append(line).append('\n');
            }
        }
        throw new AssertionError("README has no ```" + lang + " block containing " + mustContain);
    }

    private static String readme() throws IOException {
        return Files.readString(Path.of(System.getProperty("kiln.readme")));
    }

    private static Path deployed() {
        String repo = System.getProperty("kiln.consumer.repo", "");
        assumeTrue(!repo.isEmpty(), "needs the repository the products were deployed to: .ci/check-deploy");
        return Path.of(repo);
    }

    private static String run(Path dir, List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "timed out: " + command);
        assertEquals(0, p.exitValue(), command + "\n" + out);
        return out;
    }

    private static String pom(String artifactId, String dependencies) {
        return String.join("\n",
                "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">",
                "<modelVersion>4.0.0</modelVersion>",
                "<groupId>example</groupId><artifactId>" + artifactId + "</artifactId><version>1</version>",
                "<properties><maven.compiler.release>17</maven.compiler.release>",
                "<project.build.sourceEncoding>UTF-8</project.build.sourceEncoding></properties>",
                dependencies,
                "<build><plugins>",
                "<plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>",
                "<plugin><artifactId>maven-compiler-plugin</artifactId><version>3.14.0</version></plugin>",
                "<plugin><artifactId>maven-dependency-plugin</artifactId><version>3.8.1</version></plugin>",
                "</plugins></build></project>");
    }

    /**
     * Settings for the consumer build: Kiln from the deployed repository, everything else (plugins,
     * Jackson, JavaCPP...) from the local repository of the build that made Kiln, read as a remote
     * file repository, so the consumer's own local repository starts empty.
     */
    private static String settings(Path deployed, Path m2) {
        String thirdParty = "<id>central</id><url>" + m2.toUri() + "</url><snapshots><enabled>false</enabled></snapshots>";
        return String.join("\n",
                "<settings><profiles><profile><id>kiln-consumer</id>",
                "<repositories>",
                "<repository><id>kiln-deployed</id><url>" + deployed.toUri() + "</url>"
                        + "<releases><enabled>false</enabled></releases></repository>",
                "<repository>" + thirdParty + "</repository>",
                "</repositories>",
                "<pluginRepositories><pluginRepository>" + thirdParty + "</pluginRepository></pluginRepositories>",
                "</profile></profiles>",
                "<activeProfiles><activeProfile>kiln-consumer</activeProfile></activeProfiles></settings>");
    }

    /**
     * Runs the consumer's Iris program with its dependencies on the class path, or on the module
     * path ({@code modules}: every jar a module, Kiln's by their Automatic-Module-Name; the program
     * in the unnamed module).
     */
    private static String runIris(Path project, boolean cuda, boolean modules) throws Exception {
        String cp = Files.readString(project.resolve("cp.txt")).strip();
        assertEquals(cuda, cp.contains("kiln-cuda"), "class path: " + cp);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (cuda) {
            cmd.add("-Dkiln.cuda.driver=emulator");
        }
        String classes = project.resolve("target/classes").toString();
        if (modules) {
            cmd.addAll(List.of("--module-path", cp, "--add-modules", "ALL-MODULE-PATH", "-cp", classes, "IrisExample"));
        } else {
            cmd.addAll(List.of("-cp", classes + java.io.File.pathSeparator + cp, "IrisExample"));
        }
        return run(project, cmd);
    }

    private static String accuracies(String out) {
        Matcher a = ACCURACY.matcher(out);
        assertTrue(a.find(), out);
        return a.group();
    }

    private static void checkAccuracy(String out) {
        Matcher a = ACCURACY.matcher(out);
        assertTrue(a.find(), out);
        assertTrue(Double.parseDouble(a.group(1)) >= 0.9, out);
        assertEquals(a.group(1), a.group(2), "the reloaded model scores the same:\n" + out);
    }

    @Test
    void theReadmeIrisProgramBuildsOfflineFromTheDeployedJarsOnTheCpuThenOnTheEmulatedCudaBackend(@TempDir Path dir)
            throws Exception {
        Path deployed = deployed();
        String readme = readme();
        String coordinates = block("xml", readme, "kiln-bom");
        String program = block("java", readme, "public class IrisExample");
        String cpuOnly = coordinates.replaceAll("(?m)^.*(optional|kiln-cuda).*\\n", "");
        assertFalse(cpuOnly.contains("kiln-cuda"), cpuOnly);

        Files.writeString(dir.resolve("pom.xml"), String.join("\n",
                "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion>",
                "<groupId>example</groupId><artifactId>consumers</artifactId><version>1</version><packaging>pom</packaging>",
                "<modules><module>cpu</module><module>cuda</module></modules></project>"));
        for (String variant : List.of("cpu", "cuda")) {
            Path src = Files.createDirectories(dir.resolve(variant).resolve("src/main/java"));
            Files.writeString(src.resolve("IrisExample.java"), program);
            Files.writeString(dir.resolve(variant).resolve("pom.xml"),
                    pom("iris-" + variant, variant.equals("cuda") ? coordinates : cpuOnly));
        }
        Files.writeString(dir.resolve("settings.xml"), settings(deployed, Path.of(System.getProperty("kiln.m2"))));
        String mvn = System.getProperty("kiln.mvn", "mvn");
        // Offline: no network. File repositories are local disk, which -o would refuse too without
        // aether.offline.protocols=file.
        run(dir, List.of(mvn, "-o", "-Daether.offline.protocols=file", "-q", "-B", "-s", "settings.xml",
                "-Dmaven.repo.local=" + dir.resolve("m2"), "compile",
                "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath", "-Dmdep.outputFile=cp.txt"));

        Matcher version = Pattern.compile("<version>([^<]+)</version>").matcher(coordinates);
        assertTrue(version.find(), coordinates);
        Path api = dir.resolve("m2/dev/kiln/kiln-api").resolve(version.group(1)).resolve("_remote.repositories");
        assertTrue(Files.isRegularFile(api) && Files.readString(api).contains(">kiln-deployed="),
                "kiln-api came from the deployed repository: " + api);

        String cpu = runIris(dir.resolve("cpu"), false, false);
        checkAccuracy(cpu);
        assertTrue(cpu.contains("Using the CPU"), "without kiln-cuda the CPU is chosen and the reason logged:\n" + cpu);
        // The jars as modules (stable names, no split packages, the CPU backend found as a service).
        String modular = runIris(dir.resolve("cpu"), false, true);
        checkAccuracy(modular);
        assertEquals(accuracies(cpu), accuracies(modular), "the same program on the module path:\n" + modular);

        String gpu = runIris(dir.resolve("cuda"), true, false);
        checkAccuracy(gpu);
        assertFalse(gpu.contains("Using the CPU"), "with kiln-cuda on the emulator, Backends.best() is CUDA:\n" + gpu);
        String gpuModular = runIris(dir.resolve("cuda"), true, true);
        assertEquals(accuracies(gpu), accuracies(gpuModular), "the CUDA program on the module path:\n" + gpuModular);
        assertFalse(gpuModular.contains("Using the CPU"), "kiln-cuda as a module is found too:\n" + gpuModular);
        System.out.println("cpu run:\n" + cpu + "\ncpu run on the module path:\n" + modular + "\ncuda (emulated) run:\n" + gpu
                + "\ncuda (emulated) run on the module path:\n" + gpuModular);
    }

    /** The trees of the deployed library jars, in the order {@code mvn dependency:tree} printed them. */
    private static List<String> libraryTrees(Path treeFile, Path deployed) throws IOException {
        List<String> trees = new ArrayList<>();
        StringBuilder current = null;
        for (String line : Files.readAllLines(treeFile)) {
            if (line.isBlank()) {
                continue;
            }
            if (!line.startsWith("+-") && !line.startsWith("\\-") && !line.startsWith("|") && !line.startsWith(" ")) {
                String[] root = line.split(":");
                boolean library = root[0].equals("dev.kiln") && root[2].equals("jar")
                        && Files.isDirectory(deployed.resolve("dev/kiln").resolve(root[1]))
                        && !NOT_IN_README_TREE.contains(root[1]);
                current = library ? new StringBuilder() : null;
                if (library) {
                    trees.add(null);
                }
            }
            if (current != null) {
                current.append(line.stripTrailing()).append('\n');
                trees.set(trees.size() - 1, current.toString());
            }
        }
        return trees;
    }

    /**
     * A tree node's jar: the deployed repository for Kiln's, the build's local repository for the
     * rest. {@code coordinates} is group:artifact:jar:version (a root), group:artifact:jar:version:scope
     * or group:artifact:jar:classifier:version:scope.
     */
    private static Path jarOf(String coordinates, Path deployed, Path m2) throws IOException {
        String[] c = coordinates.split(":");
        assertTrue(c.length >= 4 && c.length <= 6 && c[2].equals("jar"), "unexpected tree node " + coordinates);
        String group = c[0], artifact = c[1];
        String classifier = c.length == 6 ? c[3] : null, version = c.length == 6 ? c[4] : c[3];
        Path dir = (group.equals("dev.kiln") ? deployed : m2).resolve(group.replace('.', '/')).resolve(artifact).resolve(version);
        // Deployed snapshots carry a timestamp instead of SNAPSHOT in their name.
        String prefix = artifact + "-" + version.replace("-SNAPSHOT", "-");
        Pattern name = Pattern.compile(Pattern.quote(prefix) + "[\\w.-]*?" + (classifier == null ? "" : "-" + Pattern.quote(classifier))
                + "\\.jar");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> name.matcher(f.getFileName().toString()).matches())
                    .filter(f -> classifier != null || !f.getFileName().toString().matches(".*-(sources|javadoc|linux-[\\w]+|macosx-[\\w]+|windows-[\\w]+)\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("no jar for " + coordinates + " in " + dir));
        }
    }

    private static String jarName(String coordinates) {
        String[] c = coordinates.split(":");
        return c.length == 6 ? c[1] + "-" + c[4] + "-" + c[3] + ".jar" : c[1] + "-" + c[3] + ".jar";
    }

    @Test
    void readmeJarTableAndDependencyTreeMatchWhatMavenPrints() throws Exception {
        Path deployed = deployed();
        String treeProperty = System.getProperty("kiln.dependency.tree", "");
        assumeTrue(!treeProperty.isEmpty(), "needs the output of mvn dependency:tree (.ci/check-deploy)");
        Path m2 = Path.of(System.getProperty("kiln.m2"));
        String readme = readme();
        List<String> trees = libraryTrees(Path.of(treeProperty), deployed);
        assertTrue(trees.stream().anyMatch(t -> t.startsWith("dev.kiln:kiln-api:jar:")), "no kiln-api tree in " + trees);
        String expected = String.join("", trees);
        String documented = block("", readme, "dev.kiln:kiln-api:jar:");
        assertEquals(expected, documented, "README's dependency tree (Using the library) differs from mvn dependency:tree "
                + "-Dscope=runtime of the deployed library modules; a new module's tree belongs there too");

        // Every jar in the trees, once, with its size.
        Map<String, Long> actual = new LinkedHashMap<>();
        for (String line : expected.split("\n")) {
            String coordinates = line.replaceFirst("^[|+\\\\\\- ]*", "");
            String name = jarName(coordinates);
            if (!actual.containsKey(name)) {
                actual.put(name, Files.size(jarOf(coordinates, deployed, m2)));
            }
        }
        Map<String, Long> documentedSizes = new LinkedHashMap<>();
        Matcher row = JAR_ROW.matcher(readme);
        while (row.find()) {
            double size = Double.parseDouble(row.group(2)) * (row.group(3).equals("KB") ? 1e3 : 1e6);
            documentedSizes.put(row.group(1), Math.round(size));
        }
        assertEquals(actual.keySet(), documentedSizes.keySet(), "README's jar table lists other jars than the trees");
        for (Map.Entry<String, Long> e : actual.entrySet()) {
            long doc = documentedSizes.get(e.getKey());
            assertTrue(Math.abs(doc - e.getValue()) <= 0.1 * e.getValue(), "README gives " + e.getKey() + " as " + doc
                    + " bytes; the jar has " + e.getValue() + " (update the table when a size moves by more than 10%)");
        }
    }
}
