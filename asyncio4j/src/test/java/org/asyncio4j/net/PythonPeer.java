package org.asyncio4j.net;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A CPython child process for the interop tests: {@code python3} from the {@code PATH}
 * runs a script in a temporary folder, with its stderr kept in a file for the failure
 * messages. {@link #python()} skips the calling test (an assumption, with the reason) when
 * there is no usable {@code python3}. Invariants: at most one child per peer; {@link
 * #close()} kills it, waits for it (bounded) and removes the folder, so a test that fails
 * half-way leaves no process behind.
 */
final class PythonPeer implements AutoCloseable {
    /** The bound on every wait for a child, and the scripts' own {@code wait_for} bound. */
    static final long CHILD_SECONDS = 30;
    private static String python;   // "python3" once probed; null before

    private final Path dir;
    private Process child;

    PythonPeer() throws IOException {
        dir = Files.createTempDirectory("a4j-py");
    }

    /**
     * @return the interpreter to run; skips the test when {@code python3} is missing, or
     *         cannot import asyncio and ssl
     */
    static synchronized String python() {
        if (python != null) {
            return python;
        }
        String why;
        try {
            Process p = new ProcessBuilder("python3", "-c", "import asyncio, ssl, sys; print(sys.version_info[0])")
                    .redirectErrorStream(true).start();
            boolean ended = p.waitFor(CHILD_SECONDS, TimeUnit.SECONDS);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.destroyForcibly();
            why = ended ? "python3 printed " + out : "python3 did not answer";
            if (ended && p.exitValue() == 0 && out.equals("3")) {
                python = "python3";
            }
        } catch (IOException e) {
            why = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            why = "interrupted";
        }
        assumeTrue(python != null, "python3 (with asyncio and ssl) not found, the CPython interop test is skipped: " + why);
        return python;
    }

    /** The peer's temporary folder (for files the script reads). */
    Path dir() {
        return dir;
    }

    /**
     * Starts {@code script} with {@code args}; its stdin is closed at once (the peers read
     * nothing from it).
     */
    Process start(String script, String... args) throws IOException {
        if (child != null) {
            throw new IllegalStateException("this peer already runs " + child);
        }
        Path file = dir.resolve("peer.py");
        Files.writeString(file, script);
        List<String> cmd = new ArrayList<>(List.of(python(), "-u", file.toString()));
        cmd.addAll(List.of(args));
        child = new ProcessBuilder(cmd).redirectError(dir.resolve("stderr.txt").toFile()).start();
        child.getOutputStream().close();
        return child;
    }

    /** @return what the child wrote to stderr so far, for a failure message */
    String stderr() {
        Path p = dir.resolve("stderr.txt");
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Kills the child (if any), waits for it, and removes the folder. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (child != null) {
            child.destroyForcibly();
            child.waitFor(CHILD_SECONDS, TimeUnit.SECONDS);
            child.getInputStream().close();
        }
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }
}
