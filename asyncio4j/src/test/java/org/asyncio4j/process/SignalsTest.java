package org.asyncio4j.process;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Signal handlers on the loop, and Ctrl-C, with real signals sent to a child JVM running {@link SignalProgram}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SignalsTest {
    /** Starts {@link SignalProgram} in a JVM like this one, on the same engine, and waits for READY. */
    static Process startProgram(String mode) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if ("continuation".equals(Task.engineName())) {
            cmd.addAll(List.of("--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"));
        }
        cmd.addAll(List.of("-Xshare:auto", "-cp", System.getProperty("java.class.path"), SignalProgram.class.getName(),
                mode));
        Process p = AsyncIO.createSubprocessExec(SubprocessOptions.DEFAULTS.withStdin(Subprocess.PIPE)
                .withStdout(Subprocess.PIPE), cmd.getFirst(), cmd.subList(1, cmd.size()).toArray(String[]::new));
        expect(p, "READY");
        return p;
    }

    /** Reads lines until {@code marker}; fails at EOF. */
    static void expect(Process p, String marker) throws Exception {
        List<String> seen = new ArrayList<>();
        while (true) {
            byte[] line = p.stdout().readline();
            if (line.length == 0) {
                throw new AssertionError("EOF before " + marker + "; saw " + seen + ", returncode " + p.returncode());
            }
            String s = new String(line, UTF_8).strip();
            seen.add(s);
            if (s.equals(marker)) {
                return;
            }
        }
    }

    @Test
    void handlersRunOnTheLoopAndCtrlCCancelsMain() throws Exception {
        AsyncIO.run(() -> {
            Process p = startProgram("normal");
            p.sendSignal(Signal.SIGTERM);
            expect(p, "TERM on loop true");
            p.sendSignal(Signal.SIGUSR1);
            expect(p, "USR1");
            p.stdin().write("hello\n".getBytes(UTF_8)); // read by Stdio.stdinReader, echoed by Stdio.stdoutWriter
            p.stdin().drain();
            expect(p, "ECHO hello");
            p.sendSignal(Signal.SIGINT);
            expect(p, "CLEANUP");                       // main's finally ran
            expect(p, "KEYBOARD-INTERRUPT");            // and AsyncIO.run threw
            // it exited with status 130 (128 + SIGINT, as an interrupted program does): read
            // exactly from the child's pidfd where there is one; else the JDK's 130 and this
            // transport's SIGINT are reported as asyncio would a death by it
            assertEquals(Libc.hasPidFds() ? 130 : -2, p.await());
        });
    }

    @Test
    void aSecondCtrlCWhileUnwindingStopsAtOnce() throws Exception {
        AsyncIO.run(() -> {
            Process p = startProgram("stubborn");
            p.sendSignal(Signal.SIGINT);
            expect(p, "UNWINDING");
            p.sendSignal(Signal.SIGINT);
            assertEquals(Libc.hasPidFds() ? 130 : -2, p.await()); // the JVM's own SIGINT exit (status 130)
            byte[] rest = p.stdout().read();
            assertFalse(new String(rest, UTF_8).contains("CLEANUP"), "the cleanup never finished");
        });
    }

    @Test
    void aHandlerInThisJvmRunsOnItsLoopAndCanBeRemoved() {
        AsyncIO.run(() -> {
            EventLoop loop = EventLoop.getRunningLoop();
            Future<String> got = loop.createFuture();
            AsyncIO.addSignalHandler(Signal.SIGUSR1, () -> {
                loop.checkThread("handler");
                got.setResult(Thread.currentThread().getName());
            });
            try {
                sun.misc.Signal.raise(new sun.misc.Signal("USR1"));
                assertFalse(got.await().contains("SIGUSR1"), "not the JVM's signal thread");
            } finally {
                assertTrue(AsyncIO.removeSignalHandler(Signal.SIGUSR1));
            }
            assertFalse(AsyncIO.removeSignalHandler(Signal.SIGUSR1));
        });
    }

    @Test
    void signalsThatCannotBeHandledAreRefusedByName() {
        AsyncIO.run(() -> {
            for (Signal s : List.of(Signal.SIGKILL, Signal.SIGSTOP, Signal.SIGQUIT)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> AsyncIO.addSignalHandler(s, () -> { }));
                assertTrue(e.getMessage().startsWith(s.name()), e.getMessage());
            }
            IllegalArgumentException foo = assertThrows(IllegalArgumentException.class, () -> Signal.named("SIGFOO"));
            assertTrue(foo.getMessage().contains("SIGFOO"), foo.getMessage());
            assertEquals(Signal.SIGHUP, Signal.named("hup"));
            assertEquals(2, Signal.SIGINT.number());
            try {
                AsyncIO.addSignalHandler(Signal.SIGUSR2, () -> { });
                assertTrue(AsyncIO.removeSignalHandler(Signal.SIGUSR2)); // a JVM that leaves SIGUSR2 free
            } catch (IllegalArgumentException usedByTheJvm) {
                assertTrue(usedByTheJvm.getMessage().contains("this JVM uses it"), usedByTheJvm.getMessage());
            }
        });
    }

    @Test
    void ctrlCIsLeftAloneOffTheMainThread() {
        AsyncIO.run(() -> {
            Task<?> self = EventLoop.getRunningLoop().currentTask();
            assertNull(MainTaskInterrupt.install(EventLoop.getRunningLoop(), self));
        });
    }
}
