package org.asyncio4j.process;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ProcessBuilder.Redirect;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A child's piped standard streams as NIO pipes that the loop's selector serves like
 * sockets, with no thread per pipe, where this JVM allows it; elsewhere {@link Subprocess}
 * uses the JDK's process streams and the pump threads of {@link ReadPipeTransport} and
 * {@link WritePipeTransport}.
 *
 * <p>Implementation overview. NIO cannot wrap a {@code java.lang.Process}'s descriptors, so
 * the pipes are made the other way round. {@link Pipe#open()} makes a selectable pair per
 * piped stream; the child's end goes to {@link ProcessBuilder} as a file redirect to
 * {@code /proc/self/fd/N}, where N is that channel's own descriptor (read with
 * {@code sun.nio.ch.SelChImpl.getFDVal()}: nothing is guessed). The JDK opens that path in
 * this process, which on Linux opens the very same pipe as a new, blocking open file (what a
 * child expects), gives it to the child and closes its copy after the fork; then
 * {@link #closeChildEnds()} closes ours, so the child's exit (and its descendants') ends the
 * pipe with EOF. The JDK's child setup closes every other descriptor, so no other child
 * inherits these.
 *
 * <p>Available when {@code sun.nio.ch} is exported to this module
 * ({@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}, or {@code =org.asyncio4j} on the
 * module path) and a probe at class initialisation reopens a pipe through {@code /proc}
 * (Linux). With native access enabled as well ({@code --enable-native-access=ALL-UNNAMED}),
 * each pipe is grown to {@link #PIPE_SIZE} with {@code fcntl(F_SETPIPE_SZ)} ({@link Libc}): Linux's
 * default pipe holds 64 KiB, so a stream through a child would wake the loop (and the child)
 * every 64 KiB. Pipe memory is counted per user, and once a user is past
 * {@code /proc/sys/fs/pipe-user-pages-soft} every new pipe of theirs gets 8 KiB, so this
 * JVM's grown pipes stay within a quarter of that limit ({@code GROWN}, given back as each
 * pipe is lost); past it, and when the kernel refuses, a pipe keeps the default size.
 *
 * <p>Invariants: every channel is closed once: the child's ends by {@link #closeChildEnds()}
 * after the start (whatever its outcome); ours by the transports made on them, or by
 * {@link #closeParentEnds()} when none is made. A grown pipe's bytes are given back to
 * {@code GROWN} once, by {@link #lost(int)} (the transport is lost) or
 * {@link #closeParentEnds()}.
 */
final class ChildPipes {
    /** The capacity asked of each pipe: about what uvloop's socket pairs hold (1 MiB measured no faster). */
    static final int PIPE_SIZE = 256 * 1024;
    private static final int F_SETPIPE_SZ = 1031;

    /** {@code SelChImpl.getFDVal()}, or null when this JVM does not export {@code sun.nio.ch} to us. */
    private static final MethodHandle FD_VAL = fdVal();
    /** Whether child pipes are made here (else the JDK's streams and pump threads serve them). */
    static final boolean AVAILABLE = FD_VAL != null && probe();
    /** Bytes this JVM may have in grown pipes at once: a quarter of the user's soft limit. */
    private static final long GROWTH_BUDGET = growthBudget();
    /** Bytes in grown pipes not given back yet (any thread). */
    private static final AtomicLong GROWN = new AtomicLong();

    /** The pipes by the child's fd (0 stdin, 1 stdout, 2 stderr); null where that stream is not piped. */
    private final Pipe[] pipes = new Pipe[3];
    /** The pipes grown to {@link #PIPE_SIZE} whose bytes are not given back to {@code GROWN} yet. */
    private final boolean[] grown = new boolean[3];

    private ChildPipes() {
    }

    /**
     * @return the pipes {@code options} ask for, or null when there are none or when they
     *     cannot be made here (then the JDK makes them)
     * @throws IOException if a pipe cannot be made (out of descriptors)
     */
    static ChildPipes open(SubprocessOptions options) throws IOException {
        if (!AVAILABLE || !(options.pipesStdin() || options.pipesStdout() || options.pipesStderr())) {
            return null;
        }
        ChildPipes c = new ChildPipes();
        boolean[] wanted = {options.pipesStdin(), options.pipesStdout(), options.pipesStderr()};
        try {
            for (int fd = 0; fd < 3; fd++) {
                if (wanted[fd]) {
                    c.pipes[fd] = Pipe.open();
                    c.parentEnd(fd).configureBlocking(false);
                    c.grown[fd] = grow(fdOf(c.childEnd(fd)));
                }
            }
        } catch (IOException | RuntimeException e) {
            c.closeChildEnds();
            c.closeParentEnds();
            throw e;
        }
        return c;
    }

    /** Points {@code builder}'s piped streams at the child's ends. */
    void redirect(ProcessBuilder builder) {
        if (pipes[0] != null) {
            builder.redirectInput(Redirect.from(procFile(childEnd(0))));
        }
        if (pipes[1] != null) {
            builder.redirectOutput(Redirect.to(procFile(childEnd(1))));
        }
        if (pipes[2] != null) {
            builder.redirectError(Redirect.to(procFile(childEnd(2))));
        }
    }

    /** @return this process's end of the child's stream {@code fd}, non-blocking: a sink for stdin, a source for the others */
    SelectableChannel parentEnd(int fd) {
        return fd == 0 ? pipes[0].sink() : pipes[fd].source();
    }

    /** @return whether the child's stream {@code fd} is one of these pipes */
    boolean has(int fd) {
        return pipes[fd] != null;
    }

    /** @return the bytes in grown pipes not given back yet, for tests that check they are */
    static long grownBytes() {
        return GROWN.get();
    }

    /** Closes the child's ends here, once the child has its own (or the start failed). */
    void closeChildEnds() {
        for (int fd = 0; fd < 3; fd++) {
            if (pipes[fd] != null) {
                closeQuietly(childEnd(fd));
            }
        }
    }

    /** Closes this process's ends, when no transport was made on them (the start failed or was abandoned). */
    void closeParentEnds() {
        for (int fd = 0; fd < 3; fd++) {
            if (pipes[fd] != null) {
                closeQuietly(parentEnd(fd));
                lost(fd);
            }
        }
    }

    /** The transport on pipe {@code fd} is lost (our end is closed): gives its growth back. Idempotent. */
    void lost(int fd) {
        if (grown[fd]) {
            grown[fd] = false;
            GROWN.addAndGet(-PIPE_SIZE);
        }
    }

    private SelectableChannel childEnd(int fd) {
        return fd == 0 ? pipes[0].source() : pipes[fd].sink();
    }

    private static File procFile(SelectableChannel end) {
        return new File("/proc/self/fd/" + fdOf(end));
    }

    private static int fdOf(SelectableChannel channel) {
        try {
            return (int) FD_VAL.invoke((Channel) channel);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot read the descriptor of " + channel, t);
        }
    }

    /**
     * Asks for a {@link #PIPE_SIZE} pipe within the budget.
     *
     * @return whether it grew (then its bytes count in {@code GROWN}); false keeps the
     *     default size: no native access, no budget left, or the kernel refused
     */
    private static boolean grow(int fd) {
        if (Libc.FCNTL == null) {
            return false;
        }
        if (GROWN.addAndGet(PIPE_SIZE) > GROWTH_BUDGET) {
            GROWN.addAndGet(-PIPE_SIZE);
            return false;
        }
        int size;
        try {
            size = (int) Libc.FCNTL.invokeExact(fd, F_SETPIPE_SZ, PIPE_SIZE);
        } catch (Throwable t) {
            size = -1;
        }
        if (size < PIPE_SIZE) {
            GROWN.addAndGet(-PIPE_SIZE);
            return false;
        }
        return true;
    }

    private static void closeQuietly(Channel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing a pipe end: nothing to report, nothing to retry
        }
    }

    // ================================================================ what this JVM allows

    private static MethodHandle fdVal() {
        Module base = Object.class.getModule();
        if (!base.isExported("sun.nio.ch", ChildPipes.class.getModule())) {
            return null;
        }
        try {
            Class<?> selCh = Class.forName("sun.nio.ch.SelChImpl");
            return MethodHandles.lookup().findVirtual(selCh, "getFDVal", MethodType.methodType(int.class))
                    .asType(MethodType.methodType(int.class, Channel.class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            PipeTransport.LOG.log(Level.DEBUG, "sun.nio.ch.SelChImpl.getFDVal() not found: child pipes use threads", e);
            return null;
        }
    }

    /** @return a quarter of {@code /proc/sys/fs/pipe-user-pages-soft} in bytes; 16 MiB when it is unknown or 0 (no limit) */
    private static long growthBudget() {
        // one read: a sysctl file reads as empty from any offset but 0, so Files.readString gets "1" of "16384"
        try (BufferedReader r = Files.newBufferedReader(Path.of("/proc/sys/fs/pipe-user-pages-soft"))) {
            long pages = Long.parseLong(r.readLine().trim());
            if (pages > 0) {
                return pages * 4096 / 4;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc/sys: the default below
        }
        return 16 << 20;
    }

    /** Reopens a pipe's write end through {@code /proc/self/fd} as the JDK will, and reads back what went through. */
    private static boolean probe() {
        try {
            Pipe p = Pipe.open();
            try (Pipe.SourceChannel source = p.source(); Pipe.SinkChannel sink = p.sink();
                    FileOutputStream reopened = new FileOutputStream(procFile(sink))) {
                reopened.write(42);
                ByteBuffer b = ByteBuffer.allocate(1);
                return source.read(b) == 1 && b.get(0) == 42;
            }
        } catch (IOException | RuntimeException e) {
            PipeTransport.LOG.log(Level.DEBUG, "pipes cannot be reopened through /proc/self/fd: child pipes use threads",
                    e);
            return false;
        }
    }
}
