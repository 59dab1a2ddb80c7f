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
 * {@code =org.asyncio4j} on the module path): {@code fcntl} to grow a child's pipes and
 * {@code kill} to send a child any signal at once. Without native access (or off a POSIX
 * C library) {@link #FCNTL} is null and {@link #canKill()} false, and the callers fall back:
 * pipes keep their default size, and signals other than {@code SIGTERM} and {@code SIGKILL}
 * go through a {@code kill -s} helper process.
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
    /** No such process ({@code ESRCH}, 3 on Linux and the BSDs). */
    static final int ESRCH = 3;

    static {
        MethodHandle fcntl = null;
        MethodHandle kill = null;
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
        }
        FCNTL = fcntl;
        KILL = kill;
    }

    private Libc() {
    }

    /** @return whether {@link #kill} can be called */
    static boolean canKill() {
        return KILL != null;
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
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("kill(" + pid + ", " + signal + ") failed", t);
        }
    }
}
