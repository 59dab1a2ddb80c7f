package org.asyncio4j.process;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.Arrays;
import java.util.Objects;

/** Leak checks for the process tests: open descriptors (Linux's /proc/self/fd) and the pipe threads of a child. */
final class Leaks {
    private Leaks() {
    }

    /** @return the number of open descriptors, or -1 where /proc/self/fd does not exist */
    static int fds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    /** Fails unless no more descriptors are open than {@code before}. */
    static void assertNoFdLeak(int before) {
        int now = fds();
        assertTrue(now <= before, "descriptors leaked: " + before + " open before, " + now + " after: "
                + Arrays.toString(new File("/proc/self/fd").list()));
    }

    /** Waits (bounded) for every pipe thread of {@code transport} to end; fails if one does not. */
    static void assertPipeThreadsEnd(SubprocessTransport transport) throws InterruptedException {
        for (Thread t : ((ChildProcessTransport) transport).pipeThreads()) {
            if (t != null) {
                t.join(20_000);
                assertFalse(t.isAlive(), "pipe thread still running: " + t);
            }
        }
    }

    /** {@link #assertPipeThreadsEnd} for a process with streams. */
    static void assertPipeThreadsEnd(Process p) throws InterruptedException {
        assertPipeThreadsEnd(Objects.requireNonNull(p.transport()));
    }
}
