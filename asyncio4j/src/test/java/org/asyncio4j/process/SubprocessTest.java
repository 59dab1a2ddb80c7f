package org.asyncio4j.process;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.LogCapture;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.net.ReadTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** createSubprocessExec/Shell against real programs: streams, return codes, signals, faults, leaks. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SubprocessTest {
    static final SubprocessOptions OUT = SubprocessOptions.DEFAULTS.withStdout(Subprocess.PIPE);

    static byte[] b(String s) {
        return s.getBytes(US_ASCII);
    }

    static String s(byte[] b) {
        return new String(b, US_ASCII);
    }

    @Test
    void communicateFeedsStdinAndReadsBothOutputs() throws Exception {
        int before = Leaks.fds();
        Process p = AsyncIO.run(() -> {
            Process cat = AsyncIO.createSubprocessShell("cat; echo done >&2", SubprocessOptions.PIPES);
            assertNull(cat.returncode());
            assertTrue(cat.pid() > 0);
            ProcessOutput out = cat.communicate(b("hello\nworld\n"));
            assertEquals("hello\nworld\n", s(out.stdout()));
            assertEquals("done\n", s(out.stderr()));
            assertEquals(0, cat.returncode());
            return cat;
        });
        Leaks.assertPipeThreadsEnd(p);
        Leaks.assertNoFdLeak(before);
    }

    @Test
    void stdoutLinesAndExitStatus() throws Exception {
        AsyncIO.run(() -> {
            Process p = AsyncIO.createSubprocessExec(OUT, "sh", "-c", "printf 'a\\nb\\nc\\n'; exit 3");
            List<String> lines = new ArrayList<>();
            for (byte[] line : p.stdout().lines()) {
                lines.add(s(line));
            }
            assertEquals(List.of("a\n", "b\n", "c\n"), lines);
            assertEquals(3, p.await());
            assertEquals(3, p.returncode());
            assertNull(p.stdin());
            assertNull(p.stderr());
        });
    }

    @Test
    void stderrIntoStdoutDevnullCwdAndEnv(@TempDir Path dir) throws IOException {
        Path real = dir.toRealPath();
        AsyncIO.run(() -> {
            Process merged = AsyncIO.createSubprocessShell("echo out; echo err >&2",
                    OUT.withStderr(Subprocess.STDOUT));
            assertNull(merged.stderr());
            assertEquals("out\nerr\n", s(merged.communicate().stdout()));

            Process quiet = AsyncIO.createSubprocessShell("echo lost; echo lost >&2; cat",
                    SubprocessOptions.DEFAULTS.withStdin(Subprocess.DEVNULL).withStdout(Subprocess.DEVNULL)
                            .withStderr(Subprocess.DEVNULL));
            assertNull(quiet.stdout());
            assertEquals(0, quiet.await()); // cat read /dev/null: EOF at once

            Process where = AsyncIO.createSubprocessShell("pwd; echo \"$FOO\"; echo \"${HOME:-unset}\"",
                    OUT.withCwd(real).withEnv(Map.of("FOO", "bar")));
            assertEquals(real + "\nbar\nunset\n", s(where.communicate().stdout()));
        });
    }

    @Test
    void aProgramThatDoesNotExistIsNamed() {
        int before = Leaks.fds();
        AsyncIO.run(() -> {
            FileNotFoundException e = assertThrows(FileNotFoundException.class,
                    () -> AsyncIO.createSubprocessExec("/no/such/program-xyz", "arg"));
            assertTrue(e.getMessage().contains("/no/such/program-xyz"), e.getMessage());
            assertEquals(1, EventLoop.getRunningLoop().allTasks().size()); // nothing was started for them
        });
        Leaks.assertNoFdLeak(before);
        assertThrows(IllegalStateException.class, () -> Subprocess.createSubprocessExec("true"));
        assertThrows(IllegalArgumentException.class, () -> OUT.withStdout(Subprocess.STDOUT));
        assertThrows(IllegalArgumentException.class, () -> OUT.withLimit(0));
    }

    @Test
    void killedBySignalsReturnNegativeCodes() throws Exception {
        AsyncIO.run(() -> {
            Process k = AsyncIO.createSubprocessExec("sleep", "30");
            k.kill();
            assertEquals(-9, k.await());
            Process t = AsyncIO.createSubprocessExec("sleep", "30");
            t.terminate();
            assertEquals(-15, t.await());
            Process i = AsyncIO.createSubprocessExec("sleep", "30");
            i.sendSignal(Signal.SIGINT); // through kill(2), or the kill helper without native access
            assertEquals(-2, i.await());
            IllegalStateException gone = assertThrows(IllegalStateException.class, i::kill);
            assertTrue(gone.getMessage().contains("exited with -2"), gone.getMessage());
            // a child that dies of a signal nobody here sent: -N read from its pidfd where
            // there is one (native access, Linux 6.15+), else 128 + N, as a shell reports it;
            // it waits for a line, so its pidfd is open before it dies
            Process self = AsyncIO.createSubprocessShell("read x; kill -9 $$", SubprocessOptions.DEFAULTS
                    .withStdin(Subprocess.PIPE));
            self.stdin().write(b("go\n"));
            assertEquals(Libc.hasPidFds() ? -9 : 137, self.await());
        });
    }

    @Test
    void theReturnCodeOfADeathBySignalIsExactWhereTheKernelKeepsIt() throws Exception {
        String expected = System.getProperty("asyncio4j.test.expectSelectorPipes");
        if (expected != null) {
            // the build gives the run with the selector's pipes native access, the other run none
            assertEquals(Boolean.parseBoolean(expected) && Libc.isLinux615(), Libc.hasPidFds());
        }
        AsyncIO.run(() -> {
            SubprocessOptions in = SubprocessOptions.DEFAULTS.withStdin(Subprocess.PIPE);
            for (Signal signal : List.of(Signal.SIGTERM, Signal.SIGUSR2, Signal.SIGHUP)) {
                Process p = AsyncIO.createSubprocessShell("read x; kill -s " + signal.shortName() + " $$", in);
                p.stdin().write(b("go\n"));
                int code = p.await();
                assertEquals(Libc.hasPidFds() ? -signal.number() : 128 + signal.number(), code, signal.toString());
            }
            Process exits = AsyncIO.createSubprocessShell("exit 141");   // 128 + SIGPIPE, by choice: an exit status
            assertEquals(141, exits.await());
        });
    }

    @Test
    void anySignalReachesTheChildThroughKillOrItsHelper() throws Exception {
        String expected = System.getProperty("asyncio4j.test.expectSelectorPipes");
        if (expected != null) {
            // the build gives the run with the selector's pipes native access too, the other run neither
            assertEquals(Boolean.parseBoolean(expected), Libc.canKill());
        }
        AsyncIO.run(() -> {
            Process p = AsyncIO.createSubprocessExec(OUT, "python3", "-c",
                    "import signal, sys\n"
                    + "signal.signal(signal.SIGUSR1, lambda *a: (print('usr1', flush=True), sys.exit(3)))\n"
                    + "print('ready', flush=True)\n"
                    + "while True: signal.pause()\n");
            assertEquals("ready\n", s(p.stdout().readline()));
            p.sendSignal(Signal.SIGUSR1);
            assertEquals("usr1\n", s(p.stdout().readline()));
            assertEquals(3, p.await(), "the child's handler ran and exited");
        });
        IllegalArgumentException group = assertThrows(IllegalArgumentException.class, () -> Libc.kill(0, 15));
        assertTrue(group.getMessage().contains("not a child's pid: 0"), group.getMessage());
    }

    @Test
    void aChildThatClosesStdoutButKeepsRunning() throws Exception {
        AsyncIO.run(() -> {
            Process p = AsyncIO.createSubprocessShell("echo first; exec >&-; read line; exit 4",
                    OUT.withStdin(Subprocess.PIPE));
            assertEquals("first\n", s(p.stdout().read()));
            assertTrue(p.stdout().atEof());
            assertNull(p.returncode(), "stdout closed, the child still runs");
            p.stdin().write(b("go\n"));
            p.stdin().drain();
            assertEquals(4, p.await());
        });
    }

    @Test
    void writingToAChildThatExitedRaisesFromDrain() throws Exception {
        AsyncIO.run(() -> {
            Process p = AsyncIO.createSubprocessExec(SubprocessOptions.PIPES, "true");
            assertEquals(0, p.await());
            assertTrue(p.stdin().isClosing());
            p.stdin().write(b("too late\n"));
            IOException e = assertThrows(IOException.class, () -> p.stdin().drain());
            assertTrue(e.getMessage().contains("lost"), e.getMessage());
        });
    }

    @Test
    void communicateCancelledHalfWayLeavesTheChildRunningAndLeaksNothing() throws Exception {
        int before = Leaks.fds();
        Process p = AsyncIO.run(() -> {
            Process cat = AsyncIO.createSubprocessExec(SubprocessOptions.PIPES, "cat");
            Task<ProcessOutput> c = AsyncIO.createTask(() -> cat.communicate(new byte[8 << 20]));
            for (int i = 0; i < 5; i++) {
                AsyncIO.sleep(0); // communicate is writing and reading
            }
            c.cancel();
            assertThrows(CancelledError.class, c::await);
            assertNull(cat.returncode(), "the child goes on");
            cat.kill();
            assertEquals(-9, cat.await());
            cat.transport().close(); // its stdout is full and unread: closing releases the pipe
            return cat;
        });
        Leaks.assertPipeThreadsEnd(p);
        Leaks.assertNoFdLeak(before);
    }

    @Test
    void hundredMegabytesThroughCatByteForByte() throws Exception {
        int chunk = 64 * 1024;
        int chunks = 1600; // 100 MiB
        Process p = AsyncIO.run(() -> {
            Process cat = AsyncIO.createSubprocessExec(SubprocessOptions.PIPES, "cat");
            Task<String> reader = AsyncIO.createTask(() -> {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                long total = 0;
                byte[] got;
                while ((got = cat.stdout().read(chunk)).length > 0) {
                    md.update(got);
                    total += got.length;
                }
                return total + " " + HexFormat.of().formatHex(md.digest());
            });
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            SplittableRandom random = new SplittableRandom(42);
            byte[] data = new byte[chunk];
            for (int i = 0; i < chunks; i++) {
                for (int j = 0; j < chunk; j += 8) {
                    long r = random.nextLong();
                    for (int k = 0; k < 8; k++) {
                        data[j + k] = (byte) (r >>> (8 * k));
                    }
                }
                md.update(data);
                cat.stdin().write(data);
                cat.stdin().drain();
            }
            cat.stdin().close();
            assertEquals((long) chunk * chunks + " " + HexFormat.of().formatHex(md.digest()), reader.await());
            assertEquals(0, cat.await());
            return cat;
        });
        Leaks.assertPipeThreadsEnd(p);
    }

    @Test
    void gatheredWritesReachTheChildInOrderThroughAClose() throws Exception {
        Process p = AsyncIO.run(() -> {
            Process cat = AsyncIO.createSubprocessExec(SubprocessOptions.PIPES, "cat");
            Task<byte[]> reader = AsyncIO.createTask(() -> cat.stdout().read());
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            SplittableRandom random = new SplittableRandom(7);
            if (cat.transport().getPipeTransport(0) instanceof SelectorWritePipeTransport) {
                cat.stdin().write(b("first"));
                sent.write(b("first"));
                assertEquals(5, cat.stdin().transport().getWriteBufferSize(), "held until the loop's next iteration");
                AsyncIO.sleep(0);
                assertEquals(0, cat.stdin().transport().getWriteBufferSize(), "written by then");
            }
            for (int i = 0; i < 2000; i++) { // small writes, never drained: gathered into few pipe writes
                byte[] piece = new byte[1 + random.nextInt(3000)];
                random.nextBytes(piece);
                cat.stdin().write(piece);
                sent.write(piece);
            }
            byte[] big = new byte[3 << 20]; // more than the pipe and the transport's stage hold
            random.nextBytes(big);
            cat.stdin().write(big);
            sent.write(big);
            cat.stdin().write(b("last"));
            sent.write(b("last"));
            cat.stdin().close(); // with bytes still buffered: they go first, then EOF
            assertArrayEquals(sent.toByteArray(), reader.await());
            assertEquals(0, cat.await());
            return cat;
        });
        Leaks.assertPipeThreadsEnd(p);
    }

    @Test
    void childPipesAreOnTheSelectorExactlyWhenTheJvmAllowsIt() throws Exception {
        String expected = System.getProperty("asyncio4j.test.expectSelectorPipes");
        assumeTrue(expected != null, "run through the build, which sets asyncio4j.test.expectSelectorPipes");
        boolean selector = Boolean.parseBoolean(expected) && new File("/proc/self/fd").isDirectory();
        assertEquals(selector, ChildPipes.AVAILABLE);
        long grown = ChildPipes.grownBytes();
        Process p = AsyncIO.run(() -> {
            Process cat = AsyncIO.createSubprocessExec(SubprocessOptions.PIPES, "cat");
            SubprocessTransport t = cat.transport();
            Class<?> write = selector ? SelectorWritePipeTransport.class : WritePipeTransport.class;
            Class<?> read = selector ? SelectorReadPipeTransport.class : ReadPipeTransport.class;
            assertInstanceOf(write, t.getPipeTransport(0));
            assertInstanceOf(read, t.getPipeTransport(1));
            assertInstanceOf(read, t.getPipeTransport(2));
            assertEquals(selector, Arrays.stream(((ChildProcessTransport) t).pipeThreads()).allMatch(Objects::isNull));
            // the build gives this run native access too: the three pipes grew
            assertEquals(grown + (selector ? 3L * ChildPipes.PIPE_SIZE : 0), ChildPipes.grownBytes());
            assertArrayEquals(b("x"), cat.communicate(b("x")).stdout());
            return cat;
        });
        Leaks.assertPipeThreadsEnd(p);
        assertEquals(grown, ChildPipes.grownBytes(), "each grown pipe gives its bytes back once it is lost");
    }

    @Test
    void aReaderNobodyReadsHoldsTheChildBack() throws Exception {
        int limit = 16 * 1024;
        AsyncIO.run(() -> {
            Process yes = AsyncIO.createSubprocessExec(OUT.withLimit(limit), "yes");
            ReadTransport pipe = (ReadTransport) yes.transport().getPipeTransport(1);
            int oneRead = pipe instanceof SelectorReadPipeTransport ? SelectorReadPipeTransport.READ_SIZE
                    : ReadPipeTransport.CHUNK;
            int bound = 2 * limit + oneRead;
            while (pipe.isReading()) {
                assertTrue(yes.stdout().buffered() <= bound, () -> yes.stdout().buffered() + " bytes buffered");
                AsyncIO.sleep(0);
            }
            for (int i = 0; i < 200; i++) { // the child writes on; nothing more may arrive
                AsyncIO.sleep(0.001);
                assertTrue(yes.stdout().buffered() <= bound, () -> yes.stdout().buffered() + " bytes buffered");
            }
            int held = yes.stdout().buffered();
            assertEquals(held, yes.stdout().read(held).length);
            assertTrue(pipe.isReading(), "reading resumes once the buffer is back to the limit");
            assertArrayEquals(b("y\ny\n"), yes.stdout().readexactly(4));
            yes.kill();
            assertEquals(-9, yes.await());
            assertTrue(yes.stdout().read().length > 0, "what it wrote before it died is still there");
            assertTrue(yes.stdout().atEof());
        });
    }

    @Test
    void yesThroughHeadCountsLines() throws Exception {
        AsyncIO.run(() -> {
            Process p = AsyncIO.createSubprocessShell("yes | head -n 100000", OUT);
            int n = 0;
            for (byte[] line : p.stdout().lines()) {
                assertArrayEquals(b("y\n"), line);
                n++;
            }
            assertEquals(100_000, n);
            assertEquals(0, p.await());
        });
    }

    @Test
    void aHundredChildrenAtOnce() throws Exception {
        int before = Leaks.fds();
        List<Process> all = AsyncIO.run(() -> {
            List<Task<Process>> tasks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int n = i;
                tasks.add(AsyncIO.createTask(() -> {
                    Process p = AsyncIO.createSubprocessExec(SubprocessOptions.PIPES, "sh", "-c",
                            "read x; echo \"$x-$0\"; echo e$0 >&2; exit $(( $0 % 7 ))", Integer.toString(n));
                    ProcessOutput out = p.communicate(b("child\n"));
                    assertEquals("child-" + n + "\n", s(out.stdout()));
                    assertEquals("e" + n + "\n", s(out.stderr()));
                    assertEquals(n % 7, p.returncode());
                    return p;
                }));
            }
            List<Process> done = new ArrayList<>();
            for (Task<Process> t : tasks) {
                done.add(t.await());
            }
            return done;
        });
        for (Process p : all) {
            Leaks.assertPipeThreadsEnd(p);
        }
        Leaks.assertNoFdLeak(before);
    }

    @Test
    void pythonChildAndTheProcessRepr() throws Exception {
        AsyncIO.run(() -> {
            Process p = AsyncIO.createSubprocessExec(SubprocessOptions.PIPES, "python3", "-c",
                    "import sys; data = sys.stdin.buffer.read(); sys.stdout.buffer.write(data[::-1]); sys.exit(5)");
            assertTrue(p.toString().contains(p.pid() + " running"), p.toString());
            ProcessOutput out = p.communicate(b("abc"));
            assertEquals("cba", s(out.stdout()));
            assertEquals(5, p.returncode());
            assertTrue(p.toString().contains("returncode=5"), p.toString());
            assertInstanceOf(java.lang.Process.class, p.getExtraInfo("subprocess"));
            assertNotNull(p.transport().getPipeTransport(0));
            assertThrows(IllegalArgumentException.class, () -> p.transport().getPipeTransport(3));
            assertFalse(((java.lang.Process) p.getExtraInfo("subprocess")).isAlive());
        });
    }

    @Test
    void aFileRedirect(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("out.txt");
        AsyncIO.run(() -> {
            Process p = AsyncIO.createSubprocessExec(
                    SubprocessOptions.DEFAULTS.withStdout(java.lang.ProcessBuilder.Redirect.to(file.toFile())),
                    "echo", "to a file");
            assertEquals(0, p.await());
        });
        assertEquals("to a file\n", Files.readString(file));
    }

    @Test
    void theLoopsCloseClosesTheSelectorPipesOfAChildThatOutlivesIt() throws Exception {
        assumeTrue(ChildPipes.AVAILABLE, "pump threads close their pipes when they find the loop closed");
        int before = Leaks.fds();
        long grown = ChildPipes.grownBytes();
        java.lang.Process cat;
        try (LogCapture log = new LogCapture()) {
            cat = AsyncIO.run(() -> (java.lang.Process) AsyncIO.createSubprocessExec(SubprocessOptions.PIPES, "cat")
                    .getExtraInfo("subprocess"));
            assertNotNull(log.find(Level.WARNING, "child process " + cat.pid() + " outlived its event loop"));
        }
        Leaks.assertNoFdLeak(before);
        assertEquals(grown, ChildPipes.grownBytes());
        assertEquals(0, cat.onExit().get(20, TimeUnit.SECONDS).exitValue(), "cat read EOF on its stdin and ended");
    }

    @Test
    void aChildThatOutlivesItsLoopIsReportedByTheLoopsClose() throws Exception {
        try (LogCapture log = new LogCapture()) {
            java.lang.Process child = AsyncIO.run(() -> (java.lang.Process) AsyncIO.createSubprocessExec("sleep", "30")
                    .getExtraInfo("subprocess"));
            assertNotNull(log.find(Level.WARNING, "child process " + child.pid() + " outlived its event loop"),
                    "the close said so");
            assertTrue(child.isAlive(), "closing the loop does not kill the child");
            child.toHandle().destroyForcibly();
            child.onExit().get(20, TimeUnit.SECONDS);
            assertEquals(1, log.records().stream().filter(r -> r.getMessage().contains("outlived its event loop")).count(),
                    "said once, at close, not again at the exit");
        }
    }

    @Test
    void aChildThatExitedBeforeTheLoopClosedIsNotReported() throws Exception {
        try (LogCapture log = new LogCapture()) {
            AsyncIO.run(() -> {
                Process p = AsyncIO.createSubprocessExec("true");
                assertEquals(0, p.await());
            });
            assertNull(log.find(Level.WARNING, "outlived its event loop"));
        }
    }
}
