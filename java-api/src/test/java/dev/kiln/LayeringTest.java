package dev.kiln;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * No cycle among the device values, the backend SPI and the CPU backend: values ({@code Device},
 * {@code DType}, {@code DeviceUnavailableException}, {@code Generator}) depend on none of them; the
 * SPI ({@code dev.kiln.backend}) on values only; the CPU backend on the SPI and values; only the
 * tensor layer ({@code Tensor} and its ops) sees the SPI, and nothing below it sees the tensor layer.
 * Read from the sources: imports and same-package type names outside comments and strings.
 */
class LayeringTest {

    private static final Path SRC = Path.of("src/main/java/dev/kiln");
    private static final Set<String> VALUES = Set.of("Device", "DType", "DeviceUnavailableException", "Generator");

    @Test
    void dependenciesPointOneWay() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path f : javaFiles(SRC)) {
            String cls = name(f);
            if (VALUES.contains(cls)) {
                check(f, "value " + cls, violations, "dev.kiln.backend", "dev.kiln.nn", "dev.kiln.ops", "Tensor", "Autograd");
            }
        }
        for (Path f : javaFiles(SRC.resolve("backend"))) {
            check(f, "SPI " + name(f), violations, "dev.kiln.backend.cpu", "dev.kiln.nn", "Tensor", "Autograd", "Vision", "SequenceOps");
        }
        for (Path f : javaFiles(SRC.resolve("backend/cpu"))) {
            check(f, "CPU backend " + name(f), violations, "dev.kiln.nn", "Tensor", "Autograd", "Vision", "SequenceOps");
        }
        assertEquals(List.of(), violations);
    }

    private static void check(Path f, String what, List<String> out, String... forbidden) throws IOException {
        String code = strip(Files.readString(f));
        for (String dep : forbidden) {
            boolean hit = dep.contains(".")
                    ? Pattern.compile("import\\s+" + Pattern.quote(dep) + "\\.[A-Z]").matcher(code).find()
                    : Pattern.compile("(import\\s+dev\\.kiln\\." + dep + "\\s*;)|((?<![\\w.])" + dep + "\\b)").matcher(code).find()
                        && (samePackage(f) || code.contains("import dev.kiln." + dep + ";"));
            if (hit) {
                out.add(what + " depends on " + dep);
            }
        }
    }

    private static boolean samePackage(Path f) {
        return f.getParent().equals(SRC);
    }

    /** The source without comments and string literals. */
    private static String strip(String s) {
        Matcher m = Pattern.compile("//[^\\n]*|/\\*.*?\\*/|\"(?:[^\"\\\\\\n]|\\\\.)*\"", Pattern.DOTALL).matcher(s);
        return m.replaceAll(" ");
    }

    private static String name(Path f) {
        String n = f.getFileName().toString();
        return n.substring(0, n.length() - ".java".length());
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }
}
