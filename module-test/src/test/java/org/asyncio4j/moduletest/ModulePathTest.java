package org.asyncio4j.moduletest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.asyncio4j.AsyncIO;
import org.junit.jupiter.api.Test;

/**
 * Launches {@link Main} in a JVM of its own with the library and the program on the module
 * path, as named modules. The test runs once per engine execution of the build: with
 * {@code asyncio4j.test.expectEngine=continuation} it passes
 * {@code --add-exports java.base/jdk.internal.vm=org.asyncio4j} and expects the continuation
 * engine; otherwise it passes no flag and expects the fallback, and the warning to name the
 * flag for the named module.
 */
class ModulePathTest {
    private static final String FLAG = "java.base/jdk.internal.vm=org.asyncio4j";

    private static String location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @Test
    void theLibraryRunsAsANamedModuleWithTheEngineTheFlagSelects() throws Exception {
        boolean continuation = "continuation".equals(System.getProperty("asyncio4j.test.expectEngine"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--module-path");
        command.add(location(AsyncIO.class) + File.pathSeparator + location(Main.class));
        if (continuation) {
            command.add("--add-exports");
            command.add(FLAG);
        }
        command.add("-m");
        command.add("org.asyncio4j.moduletest/org.asyncio4j.moduletest.Main");
        Path out = Files.createTempFile("module-test", ".out");
        Path err = Files.createTempFile("module-test", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the program did not end within 60 s: " + command);
            }
            String stdout = Files.readString(out).strip();
            String stderr = Files.readString(err);
            assertEquals(0, p.exitValue(), "exit status; stderr:\n" + stderr);
            String engine = continuation ? "continuation" : "virtual-thread";
            assertEquals("engine=" + engine + " module=org.asyncio4j echo=ping thread=ok", stdout, "stderr:\n" + stderr);
            if (!continuation) {
                assertTrue(stderr.contains("--add-exports " + FLAG), "the warning names the flag for the module:\n" + stderr);
            }
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void theLibrarysDescriptorExportsItsApiAndRequiresOnlyJdkModules() throws URISyntaxException {
        ModuleDescriptor d = ModuleFinder.of(Path.of(location(AsyncIO.class))).find("org.asyncio4j")
                .orElseThrow(() -> new AssertionError("no module org.asyncio4j at " + AsyncIO.class.getProtectionDomain()))
                .descriptor();
        assertFalse(d.isAutomatic(), "asyncio4j has a module-info, not only an Automatic-Module-Name");
        Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertEquals(Set.of("org.asyncio4j", "org.asyncio4j.combinators", "org.asyncio4j.debug", "org.asyncio4j.future",
                "org.asyncio4j.loop", "org.asyncio4j.net", "org.asyncio4j.net.nio", "org.asyncio4j.net.tls",
                "org.asyncio4j.process", "org.asyncio4j.queue", "org.asyncio4j.stream", "org.asyncio4j.sync",
                "org.asyncio4j.testing"), exported);
        assertEquals(Set.of("java.base", "java.management", "jdk.jfr", "jdk.attach", "jdk.unsupported"),
                d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
    }
}
