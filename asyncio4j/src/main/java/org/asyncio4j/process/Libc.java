package org.asyncio4j.process;

import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The C library calls the process layer makes through the JDK's foreign function API, when
 * this module has native access ({@code --enable-native-access=ALL-UNNAMED}, or
 * {@code =org.asyncio4j} on the module path): {@code fcntl} to grow a child's pipes,
 * {@code kill} to send a child any signal at once, and the Linux process descriptor calls
 * of {@link PidFd} ({@code pidfd_open}, {@code pidfd_send_signal}, the {@code PIDFD_GET_INFO}
 * {@code ioctl}, {@code close}). Without native access (or off a POSIX C library)
 * {@link #FCNTL} is null and {@link #canKill()} and {@link #hasPidFds()} are false, and the
 * callers fall back: pipes keep their default size, signals other than {@code SIGTERM} and
 * {@code SIGKILL} go through a {@code kill -s} helper process, and a death by a signal
 * nobody sent through the transport reads 128 + N.
 *
 * <p>Invariant: each handle is linked once, at class initialisation, or is null; nothing
 * here holds native memory beyond one call.
 */
final class Libc {
    /** {@code int fcntl(int fd, int cmd, int arg)}, or null without native access. */
    static final MethodHandle FCNTL;
    /** {@code int kill(pid_t pid, int sig)} with {@code errno} captured, or null without native access. */
    private static final MethodHandle KILL;
    /** Where a call's {@code errno} is captured. */
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    /** {@code long syscall(long number, ...)} with {@code errno} captured (Linux), or null. */
    private static final MethodHandle SYSCALL;
    /** {@code int ioctl(int fd, unsigned long request, void *arg)}, or null. */
    private static final MethodHandle IOCTL;
    /** {@code int close(int fd)}, or null. */
    private static final MethodHandle CLOSE;
    /** No such process ({@code ESRCH}, 3 on Linux and the BSDs). */
    static final int ESRCH = 3;
    /** Linux's {@code pidfd_open} and {@code pidfd_send_signal}: the same number on every architecture. */
    private static final long SYS_PIDFD_SEND_SIGNAL = 424;
    private static final long SYS_PIDFD_OPEN = 434;
    /** {@code PIDFD_GET_INFO}: {@code _IOWR(0xFF, 11, struct pidfd_info)} of the 64-byte first version. */
    private static final long PIDFD_GET_INFO = 0xC040FF0BL;
    /** The {@code struct pidfd_info} fields read here: {@code mask} (u64), {@code ppid} (u32), {@code exit_code} (s32). */
    private static final long INFO_SIZE = 64;
    private static final long INFO_MASK = 0;
    private static final long INFO_PPID = 24;
    private static final long INFO_EXIT_CODE = 60;
    /** {@code PIDFD_INFO_PID} (with the ids, {@code ppid} among them) and {@code PIDFD_INFO_EXIT} (Linux 6.15). */
    private static final long PIDFD_INFO_PID = 1;
    private static final long PIDFD_INFO_EXIT = 1 << 3;

    static {
        MethodHandle fcntl = null;
        MethodHandle kill = null;
        MethodHandle syscall = null;
        MethodHandle ioctl = null;
        MethodHandle close = null;
        if (Libc.class.getModule().isNativeAccessEnabled()) {
            try {
                Linker linker = Linker.nativeLinker();
                fcntl = linker.downcallHandle(linker.defaultLookup().find("fcntl").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_INT),
                        Linker.Option.firstVariadicArg(2));
                kill = linker.downcallHandle(linker.defaultLookup().find("kill").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                        Linker.Option.captureCallState("errno"));
            } catch (RuntimeException | LinkageError e) {
                PipeTransport.LOG.log(Level.DEBUG, "fcntl or kill not linked: pipes keep their default size, "
                        + "signals other than SIGTERM and SIGKILL go through kill -s", e);
                fcntl = null;
                kill = null;
            }
            if (kill != null && isLinux615()) {
                try {
                    Linker linker = Linker.nativeLinker();
                    // the variadic arguments are passed as longs: syscall(2) reads each as one
                    syscall = linker.downcallHandle(linker.defaultLookup().find("syscall").orElseThrow(),
                            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
                    ioctl = linker.downcallHandle(linker.defaultLookup().find("ioctl").orElseThrow(),
                            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                                    ValueLayout.ADDRESS),
                            Linker.Option.firstVariadicArg(2));
                    close = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
                            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                } catch (RuntimeException | LinkageError e) {
                    PipeTransport.LOG.log(Level.DEBUG, "pidfd calls not linked: a death by a signal sent from "
                            + "elsewhere reads 128 + N", e);
                    syscall = null;
                    ioctl = null;
                    close = null;
                }
            }
        }
        FCNTL = fcntl;
        KILL = kill;
        SYSCALL = syscall;
        IOCTL = ioctl;
        CLOSE = close;
    }

    /** Linux 6.15 or later: {@code PIDFD_GET_INFO} gives a reaped child's wait status ({@code PIDFD_INFO_EXIT}). */
    static boolean isLinux615() {
        if (!"Linux".equals(System.getProperty("os.name"))) {
            return false;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)")
                .matcher(System.getProperty("os.version", ""));
        if (!m.find()) {
            return false;
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        return major > 6 || major == 6 && minor >= 15;
    }

    private Libc() {
    }

    /** @return whether {@link #kill} can be called */
    static boolean canKill() {
        return KILL != null;
    }

    /** @return whether the pidfd calls are linked (native access, Linux 6.15 or later) */
    static boolean hasPidFds() {
        return SYSCALL != null;
    }

    /**
     * {@code pidfd_open(pid, 0)}.
     *
     * @return the new descriptor, or -1 (the process is gone, or out of descriptors)
     */
    static int pidfdOpen(long pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            return (int) (long) SYSCALL.invokeExact(state, SYS_PIDFD_OPEN, pid, 0L, 0L, 0L);
        } catch (Throwable t) {
            throw linkError("pidfd_open", t);
        }
    }

    /**
     * {@code pidfd_send_signal(pidfd, signal, NULL, 0)}: the process the descriptor names,
     * even if its pid has been given to another since.
     *
     * @return 0, or the {@code errno} of the failure ({@link #ESRCH}: it has exited)
     */
    static int pidfdSendSignal(int pidfd, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            long r = (long) SYSCALL.invokeExact(state, SYS_PIDFD_SEND_SIGNAL, (long) pidfd, (long) signal, 0L, 0L);
            return r == 0 ? 0 : (int) ERRNO.get(state, 0L);
        } catch (Throwable t) {
            throw linkError("pidfd_send_signal", t);
        }
    }

    /**
     * @return the parent's pid of the process {@code pidfd} names, or -1 if the kernel
     *     cannot say (the process is reaped already)
     */
    static long pidfdParent(int pidfd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = pidfdInfo(arena, pidfd, PIDFD_INFO_PID);
            return info == null ? -1 : Integer.toUnsignedLong(info.get(ValueLayout.JAVA_INT, INFO_PPID));
        }
    }

    /**
     * @return the wait status ({@code waitpid}'s) of the exited process {@code pidfd}
     *     names, even after it was reaped, or -1 if it has not exited or the kernel keeps
     *     no status
     */
    static int pidfdExitStatus(int pidfd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = pidfdInfo(arena, pidfd, PIDFD_INFO_EXIT);
            if (info == null || (info.get(ValueLayout.JAVA_LONG, INFO_MASK) & PIDFD_INFO_EXIT) == 0) {
                return -1;
            }
            return info.get(ValueLayout.JAVA_INT, INFO_EXIT_CODE);
        }
    }

    private static MemorySegment pidfdInfo(Arena arena, int pidfd, long mask) {
        MemorySegment info = arena.allocate(INFO_SIZE, 8);
        info.set(ValueLayout.JAVA_LONG, INFO_MASK, mask);
        try {
            return (int) IOCTL.invokeExact(pidfd, PIDFD_GET_INFO, info) == 0 ? info : null;
        } catch (Throwable t) {
            throw linkError("ioctl(PIDFD_GET_INFO)", t);
        }
    }

    /** {@code close(fd)}; its result is ignored (nothing could be retried). */
    static void close(int fd) {
        try {
            int result = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw linkError("close", t);
        }
    }

    /** What a downcall threw, as an unchecked exception (an {@code Error} is thrown as it is). */
    private static RuntimeException linkError(String call, Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(call + " failed", t);
    }

    /**
     * Sends {@code signal} to process {@code pid}; a system call that does not block.
     *
     * @param pid the process, positive
     * @param signal the signal's number
     * @return 0, or the {@code errno} of the failure ({@link #ESRCH}: the process is gone)
     * @throws IllegalArgumentException if {@code pid} is not a positive {@code int}
     * @throws IllegalStateException if {@link #canKill()} is false
     */
    static int kill(long pid, int signal) {
        if (pid <= 0 || pid > Integer.MAX_VALUE) {
            // 0 and negative pids name process groups: never what a child's pid means
            throw new IllegalArgumentException("not a child's pid: " + pid);
        }
        if (KILL == null) {
            throw new IllegalStateException("kill(2) is not linked: this module has no native access");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int r = (int) KILL.invokeExact(state, (int) pid, signal);
            return r == 0 ? 0 : (int) ERRNO.get(state, 0L);
        } catch (Throwable t) {
            throw linkError("kill", t);
        }
    }
}
