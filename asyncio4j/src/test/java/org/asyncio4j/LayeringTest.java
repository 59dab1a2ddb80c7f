package org.asyncio4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layers of DESIGN §4, as a test: reads every main source file's imports and fails on
 * an arrow between packages that the table below does not allow. A lower layer never
 * imports a higher one; {@code loop} and {@code future} form one kernel (the only cycle).
 */
class LayeringTest {
    private static final String BASE = "org.asyncio4j";
    private static final String ROOT = "(facade)";
    private static final Set<String> KERNEL = Set.of("loop", "future");

    /** For each package, the packages it may import besides itself and the kernel. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("loop", Set.of()),
            Map.entry("future", Set.of()),
            Map.entry("combinators", Set.of()),
            Map.entry("sync", Set.of()),
            Map.entry("queue", Set.of()),
            Map.entry("net", Set.of()),
            Map.entry("net.nio", Set.of("net", "net.tls")),
            Map.entry("net.tls", Set.of("net")),
            Map.entry("stream", Set.of("net", "net.tls")),
            Map.entry("process", Set.of("stream", "net")),
            Map.entry(ROOT, Set.of("combinators", "sync", "queue", "net", "net.nio", "net.tls", "stream", "process")),
            Map.entry("debug", Set.of("*")),
            Map.entry("testing", Set.of("*")));

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?" + Pattern.quote(BASE)
            + "((?:\\.[a-z][a-z0-9]*)*)\\.[A-Z]", Pattern.MULTILINE);

    @Test
    void everyImportFollowsTheLayers() throws IOException {
        Path src = Path.of("src/main/java", BASE.replace('.', '/'));
        assertTrue(Files.isDirectory(src), "run from the asyncio4j module: " + src.toAbsolutePath());
        List<String> violations = new ArrayList<>();
        Set<String> packagesSeen = new TreeSet<>();
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = packageOf(src.relativize(f.getParent()).toString().replace('/', '.'));
                packagesSeen.add(pkg);
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    String target = packageOf(m.group(1).isEmpty() ? "" : m.group(1).substring(1));
                    if (!allowed(pkg, target)) {
                        violations.add(pkg + " -> " + target + " in " + src.relativize(f));
                    }
                }
            }
        }
        for (String pkg : packagesSeen) {
            assertTrue(ALLOWED.containsKey(pkg), "package " + pkg + " has no row in LayeringTest.ALLOWED: decide its layer");
        }
        assertEquals(List.of(), violations, "imports against the layers of DESIGN §4");
    }

    private static String packageOf(String relative) {
        return relative.isEmpty() ? ROOT : relative;
    }

    private static boolean allowed(String from, String to) {
        if (from.equals(to) || KERNEL.contains(to)) {
            return true;
        }
        Set<String> ok = ALLOWED.getOrDefault(from, Set.of());
        if (ok.contains("*")) {
            return !to.equals("debug") && !to.equals("testing") || to.equals(from);
        }
        return ok.contains(to);
    }
}
