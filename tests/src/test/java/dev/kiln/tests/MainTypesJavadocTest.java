package dev.kiln.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The main types ({@code Tensor}, {@code Device}, {@code Module}, {@code Optimizer},
 * {@code DataLoader}) pass the JDK's javadoc with every doclint check on, {@code missing} included:
 * each public and protected member has a comment with its {@code @param}s and {@code @return}. The
 * release build checks the rest of the public API with {@code all,-missing}.
 */
class MainTypesJavadocTest {

    private static final List<String> MAIN_TYPES = List.of(
            "java-api/src/main/java/dev/kiln/Tensor.java",
            "java-api/src/main/java/dev/kiln/Device.java",
            "java-api/src/main/java/dev/kiln/nn/Module.java",
            "java-api/src/main/java/dev/kiln/optim/Optimizer.java",
            "data/src/main/java/dev/kiln/data/DataLoader.java");

    /** The note that every compilation with {@code --add-modules jdk.incubator.vector} prints; not about the docs. */
    private static final String INCUBATING = "compiler.warn.incubating.modules";

    @Test
    void mainTypesPassDoclintWithEveryCheck(@TempDir Path out) throws Exception {
        Path root = Path.of(System.getProperty("kiln.root")).toAbsolutePath().normalize();
        List<File> sources = new ArrayList<>();
        for (String s : MAIN_TYPES) {
            Path p = root.resolve(s);
            assertTrue(Files.isRegularFile(p), "main type source not found: " + p);
            sources.add(p.toFile());
        }
        String sourcePath = root.resolve("java-api/src/main/java") + File.pathSeparator + root.resolve("data/src/main/java");

        DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter log = new StringWriter();
        boolean ok;
        try (StandardJavaFileManager files = javadoc.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-Xdoclint:all", "-quiet", "-encoding", "UTF-8",
                    "--add-modules", "jdk.incubator.vector",
                    "-sourcepath", sourcePath,
                    "-cp", System.getProperty("java.class.path"),
                    "-d", out.toString());
            ok = javadoc.getTask(log, files, diagnostics, null, options, files.getJavaFileObjectsFromFiles(sources)).call();
        }

        List<String> problems = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            boolean problem = d.getKind() == Diagnostic.Kind.ERROR || d.getKind() == Diagnostic.Kind.WARNING
                    || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING;
            if (problem && !INCUBATING.equals(d.getCode())) {
                String where = d.getSource() == null ? "javadoc"
                        : root.relativize(Path.of(d.getSource().toUri()).normalize()) + ":" + d.getLineNumber();
                problems.add(where + ": " + d.getKind().toString().toLowerCase(Locale.ROOT) + ": " + d.getMessage(Locale.ROOT));
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " doclint problem(s) in the main types:\n"
                + String.join("\n", problems) + "\n" + log);
        assertTrue(ok, "javadoc failed:\n" + log);
        assertTrue(Files.isRegularFile(out.resolve("dev/kiln/Tensor.html")), "javadoc wrote no page for Tensor:\n" + log);
    }
}
