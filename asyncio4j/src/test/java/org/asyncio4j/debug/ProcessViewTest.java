package org.asyncio4j.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProcessViewTest {

    /** The result of one run of the tool. */
    private record Outcome(int status, String out, String err) {
    }

    private static Outcome tool(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ProcessView.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Starts {@link ObservedProgram} in a child JVM on this test's class path and waits for its "ready". */
    private static Process child(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("ready", r.readLine());
        return p;
    }

    private static String[] program(String... extra) {
        List<String> cmd = new ArrayList<>(List.of("-cp", System.getProperty("java.class.path"),
                ObservedProgram.class.getName()));
        cmd.addAll(List.of(extra));
        return cmd.toArray(String[]::new);
    }

    private static void end(Process p) throws InterruptedException {
        p.destroy();
        p.waitFor();
    }

    @Test
    void psAndPstreeShowTheTasksOfAnotherJvm() throws Exception {
        Process p = child(program("loop"));
        try {
            Outcome tree = tool("pstree", Long.toString(p.pid()));
            assertEquals(0, tree.status(), tree.err());
            int parent = tree.out().indexOf("* Task(name='parent'");
            int worker = tree.out().indexOf("   * Task(name='worker'");
            assertTrue(tree.out().startsWith("event loop 1 (thread "), tree.out());
            String header = tree.out().lines().findFirst().orElseThrow();
            assertTrue(header.matches(".*iterations \\d+, tasks alive \\d+, ready \\d+, [0-9.]+ s in select, [0-9.]+ s in "
                    + "callbacks\\)"), header);
            assertTrue(parent >= 0 && worker > parent, tree.out());
            assertTrue(tree.out().contains("|   at org.asyncio4j.sync.Event.await"), tree.out());
            Outcome ps = tool("ps", Long.toString(p.pid()));
            assertEquals(0, ps.status(), ps.err());
            assertTrue(ps.out().lines().anyMatch(l -> l.contains(" worker ") && l.endsWith("parent")), ps.out());
        } finally {
            end(p);
        }
    }

    @Test
    void psAndPstreeStreamThousandsOfTasks() throws Exception {
        int idle = 5_000;
        Process p = child(program("loop", Integer.toString(idle)));
        try {
            Outcome ps = tool("ps", Long.toString(p.pid()));
            assertEquals(0, ps.status(), ps.err());
            assertEquals(idle, ps.out().lines().filter(l -> l.contains(" idle-")).count());
            assertTrue(ps.out().contains(", tasks alive " + (idle + 3) + ","), ps.out().lines().findFirst()::toString);
            Outcome tree = tool("pstree", Long.toString(p.pid()));
            assertEquals(0, tree.status(), tree.err());
            assertEquals(idle, tree.out().lines().filter(l -> l.startsWith("* Task(name='idle-")).count());
        } finally {
            end(p);
        }
    }

    @Test
    void aBlockedLoopIsSaidSoWithWhereItIsBlocked() throws Exception {
        Process p = child(program("blocked"));
        try {
            Outcome o = tool("ps", Long.toString(p.pid()));
            assertEquals(1, o.status(), o.out());
            assertTrue(o.err().contains("cannot read event loop 1 of process " + p.pid()
                    + ": the event loop did not answer within 5000 ms"), o.err());
            assertTrue(o.err().contains(ObservedProgram.class.getName()), o.err());
        } finally {
            end(p);
        }
    }

    @Test
    void aJvmWithoutAnEventLoopIsSaidSo() throws Exception {
        Process p = child(program()); // never loads the library: a process without it
        try {
            Outcome o = tool("ps", Long.toString(p.pid()));
            assertEquals(1, o.status());
            assertTrue(o.err().contains("has no asyncio4j event loop"), o.err());
        } finally {
            end(p);
        }
    }

    @Test
    void aJvmThatRefusesAttachIsSaidSo() throws Exception {
        List<String> args = new ArrayList<>(List.of("-XX:+DisableAttachMechanism"));
        args.addAll(List.of(program()));
        Process p = child(args.toArray(String[]::new));
        try {
            Outcome o = tool("pstree", Long.toString(p.pid()));
            assertEquals(1, o.status());
            assertTrue(o.err().contains("cannot attach to process " + p.pid()), o.err());
        } finally {
            end(p);
        }
    }

    @Test
    void badArgumentsPrintTheUsage() {
        Outcome o = tool("top", "12");
        assertEquals(2, o.status());
        assertTrue(o.err().startsWith("usage: asyncio4j ps <pid>"), o.err());
    }
}
