package org.asyncio4j.process;

/**
 * A Linux process descriptor ({@code pidfd_open}) of one child, opened right after the JDK
 * started it. It names that very process for as long as it is open, even once its pid has
 * been given to another, so a signal sent through it cannot reach a stranger; and (Linux
 * 6.15 and later) it still gives the child's wait status after the JDK's reaper collected
 * the child, so a death by any signal reads {@code -N}, as in asyncio, instead of the
 * JDK's {@code 128 + N}.
 *
 * <p>Available only with native access on Linux 6.15 or later ({@link Libc#hasPidFds()});
 * {@link #open} returns null elsewhere, and also when it comes too late: the child has been
 * reaped already (it exited within microseconds), or the pid, freed meanwhile, now names a
 * process that is not our child (its parent is checked).
 *
 * <p>Invariant: {@code fd} is a descriptor this object owns until {@link #close()}, then
 * -1. One thread at a time uses it: the thread that started the child, then the loop.
 */
final class PidFd {
    private static final long SELF = ProcessHandle.current().pid();

    private int fd;

    private PidFd(int fd) {
        this.fd = fd;
    }

    /**
     * @param pid a child this JVM has just started
     * @return its descriptor, or null (see above)
     */
    static PidFd open(long pid) {
        if (!Libc.hasPidFds()) {
            return null;
        }
        int fd = Libc.pidfdOpen(pid);
        if (fd < 0) {
            return null;
        }
        if (Libc.pidfdParent(fd) != SELF) {
            Libc.close(fd);
            return null;
        }
        return new PidFd(fd);
    }

    /**
     * The return code of the exited child, as asyncio reports it: its exit status, or
     * {@code -N} for a death by signal N.
     *
     * @return the code, or null if the kernel keeps no status for it (or it is closed)
     */
    Integer returncode() {
        if (fd < 0) {
            return null;
        }
        int status = Libc.pidfdExitStatus(fd);
        if (status < 0) {
            return null;
        }
        int signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : -signal;
    }

    /**
     * Sends {@code signal} to the child.
     *
     * @return 0, or the {@code errno} of the failure ({@link Libc#ESRCH}: it has exited)
     */
    int sendSignal(int signal) {
        if (fd < 0) {
            return Libc.ESRCH;
        }
        return Libc.pidfdSendSignal(fd, signal);
    }

    /** Closes the descriptor; idempotent. */
    void close() {
        if (fd >= 0) {
            Libc.close(fd);
            fd = -1;
        }
    }
}
