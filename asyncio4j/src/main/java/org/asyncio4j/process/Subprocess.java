package org.asyncio4j.process;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.asyncio4j.future.Future;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.net.Connection;

/**
 * The subprocess entry points (asyncio's {@code asyncio.create_subprocess_exec},
 * {@code asyncio.create_subprocess_shell}, {@code loop.subprocess_exec},
 * {@code loop.subprocess_shell}) and asyncio's {@code asyncio.subprocess} constants;
 * {@code AsyncIO} offers the same methods.
 *
 * <pre>{@code
 * Process p = Subprocess.createSubprocessExec(SubprocessOptions.PIPES, "python3", "-c", "print(6 * 7)");
 * ProcessOutput out = p.communicate();
 * // out.stdout() is "42\n", p.returncode() is 0
 * }</pre>
 *
 * <p>Every method here suspends (the child is started on another thread: starting a
 * process blocks for about a millisecond), so each must run inside a task. None of them
 * blocks the loop's thread, before or after: the pipes are served on the loop's selector when
 * the JVM runs with {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} (add
 * {@code --enable-native-access=ALL-UNNAMED} for 256 KiB pipes: the fastest), else read and
 * written by threads of their own (see {@link ChildPipes} and {@link PipeTransport}).
 *
 * <p>Errors: a program that does not exist raises {@link FileNotFoundException} (asyncio's
 * {@code FileNotFoundError}) naming it, before anything else is made; one that cannot be
 * run raises the JDK's {@link IOException} ({@code error=13, Permission denied}).
 */
public final class Subprocess {
    /** A pipe to or from the child (asyncio's {@code asyncio.subprocess.PIPE}). */
    public static final Redirect PIPE = Redirect.PIPE;
    /** The null device (asyncio's {@code asyncio.subprocess.DEVNULL}), for input or output. */
    public static final Redirect DEVNULL = Redirect.DISCARD;
    /** For stderr only: into the same pipe or file as stdout (asyncio's {@code asyncio.subprocess.STDOUT}). */
    public static final Redirect STDOUT = Redirect.appendTo(new File("asyncio4j:stderr-into-stdout"));
    /** This process's own stream (asyncio's {@code None}, the default of {@code create_subprocess_*}). */
    public static final Redirect INHERIT = Redirect.INHERIT;

    /** How the JDK says ENOENT: "error=2, No such file" (fork mode) or "error: 2 (No such file" (posix_spawn mode). */
    private static final java.util.regex.Pattern NO_SUCH_FILE = java.util.regex.Pattern.compile("error[=:] ?2\\b");

    private Subprocess() {
    }

    // ================================================================ with streams

    /**
     * Suspending: starts {@code program} with {@code args} and the default options (every
     * stream inherited) (asyncio's {@code create_subprocess_exec(program, *args)}).
     *
     * @param program the program: a path, or a name looked up in {@code PATH}
     * @param args its arguments
     * @return the running process
     * @throws FileNotFoundException if there is no such program
     * @throws IOException if it cannot be started
     * @throws IllegalStateException if called outside a task
     */
    public static Process createSubprocessExec(String program, String... args) throws IOException {
        return createSubprocessExec(SubprocessOptions.DEFAULTS, program, args);
    }

    /**
     * Suspending: starts {@code program} with {@code args} (asyncio's
     * {@code create_subprocess_exec(program, *args, stdin=, stdout=, stderr=, cwd=, env=, limit=)}).
     *
     * <p>Cancellation: a child already being started is killed and its pipes closed.
     *
     * @param options the streams, working directory, environment and reader limit
     * @param program the program: a path, or a name looked up in {@code PATH}
     * @param args its arguments
     * @return the running process
     * @throws FileNotFoundException if there is no such program
     * @throws IOException if it cannot be started
     * @throws IllegalStateException if called outside a task
     */
    public static Process createSubprocessExec(SubprocessOptions options, String program, String... args)
            throws IOException {
        return withStreams(options, command(program, args));
    }

    /**
     * Suspending: runs {@code cmd} with {@code /bin/sh -c} and the default options (asyncio's
     * {@code create_subprocess_shell(cmd)}). The command is given to the shell as it is:
     * quote what comes from users.
     *
     * @param cmd the shell command
     * @return the running process (the shell's)
     * @throws IOException if the shell cannot be started
     * @throws IllegalStateException if called outside a task
     */
    public static Process createSubprocessShell(String cmd) throws IOException {
        return createSubprocessShell(cmd, SubprocessOptions.DEFAULTS);
    }

    /**
     * Suspending: runs {@code cmd} with {@code /bin/sh -c} (asyncio's
     * {@code create_subprocess_shell(cmd, stdin=, ...)}).
     *
     * <p>Cancellation: a child already being started is killed and its pipes closed.
     *
     * @param cmd the shell command
     * @param options the streams, working directory, environment and reader limit
     * @return the running process (the shell's)
     * @throws IOException if the shell cannot be started
     * @throws IllegalStateException if called outside a task
     */
    public static Process createSubprocessShell(String cmd, SubprocessOptions options) throws IOException {
        return withStreams(options, shell(cmd));
    }

    private static Process withStreams(SubprocessOptions options, List<String> command) throws IOException {
        StreamProcessProtocol protocol = new StreamProcessProtocol(requireOptions(options).limit());
        Connection<SubprocessTransport, StreamProcessProtocol> c = spawn(() -> protocol, options, command);
        return new Process((ChildProcessTransport) c.transport(), protocol);
    }

    // ================================================================ with a protocol

    /**
     * Suspending: starts {@code program} with {@code args} and calls {@code factory}'s
     * protocol with its pipes (asyncio's {@code loop.subprocess_exec(factory, program, *args, ...)}).
     * asyncio's defaults are three pipes: pass {@link SubprocessOptions#PIPES}.
     *
     * <p>Cancellation: a child already being started is killed and its pipes closed.
     *
     * @param factory makes the protocol
     * @param options the streams, working directory and environment ({@code limit} is unused)
     * @param program the program
     * @param args its arguments
     * @param <P> the protocol type
     * @return the transport and the protocol
     * @throws FileNotFoundException if there is no such program
     * @throws IOException if it cannot be started
     * @throws IllegalStateException if called outside a task
     */
    public static <P extends SubprocessProtocol> Connection<SubprocessTransport, P> subprocessExec(
            Supplier<P> factory, SubprocessOptions options, String program, String... args) throws IOException {
        return spawn(factory, options, command(program, args));
    }

    /**
     * Suspending: runs {@code cmd} with {@code /bin/sh -c} and calls {@code factory}'s
     * protocol with its pipes (asyncio's {@code loop.subprocess_shell(factory, cmd, ...)}).
     *
     * <p>Cancellation: a child already being started is killed and its pipes closed.
     *
     * @param factory makes the protocol
     * @param cmd the shell command
     * @param options the streams, working directory and environment
     * @param <P> the protocol type
     * @return the transport and the protocol
     * @throws IOException if the shell cannot be started
     * @throws IllegalStateException if called outside a task
     */
    public static <P extends SubprocessProtocol> Connection<SubprocessTransport, P> subprocessShell(
            Supplier<P> factory, String cmd, SubprocessOptions options) throws IOException {
        return spawn(factory, options, shell(cmd));
    }

    // ================================================================ starting

    private static List<String> command(String program, String... args) {
        if (program == null || program.isEmpty()) {
            throw new IllegalArgumentException("program must be a non-empty path or name, got "
                    + (program == null ? "null" : "\"\""));
        }
        List<String> cmd = new ArrayList<>(1 + args.length);
        cmd.add(program);
        for (String a : args) {
            if (a == null) {
                throw new NullPointerException("argument " + cmd.size() + " of " + program + " is null");
            }
            cmd.add(a);
        }
        return cmd;
    }

    private static List<String> shell(String cmd) {
        if (cmd == null) {
            throw new NullPointerException("cmd must not be null");
        }
        return List.of("/bin/sh", "-c", cmd);
    }

    private static SubprocessOptions requireOptions(SubprocessOptions options) {
        if (options == null) {
            throw new NullPointerException("options must not be null (use SubprocessOptions.DEFAULTS)");
        }
        return options;
    }

    /**
     * Starts the child on a virtual thread (the loop never waits for the fork), then, on
     * the loop, makes the transport, calls {@code connectionMade} and starts the pipes. The
     * pipes are {@link ChildPipes} where this JVM allows it, made on that thread too (the
     * first use links {@code fcntl}, tens of milliseconds): every outcome below closes their
     * child's ends once the start returned, and their parent's ends when no transport is made.
     */
    private static <P extends SubprocessProtocol> Connection<SubprocessTransport, P> spawn(Supplier<P> factory,
            SubprocessOptions options, List<String> command) throws IOException {
        requireOptions(options);
        if (factory == null) {
            throw new NullPointerException("protocol factory must not be null");
        }
        EventLoop loop = EventLoop.getRunningLoop();
        ProcessBuilder builder = options.builder(command);
        Future<Started> started = loop.createFuture();
        Thread.ofVirtual().name("asyncio4j-spawn").start(() -> {
            ChildPipes pipes = null;
            java.lang.Process p;
            try {
                pipes = ChildPipes.open(options);
                if (pipes != null) {
                    pipes.redirect(builder);
                }
                p = builder.start();
            } catch (IOException | RuntimeException e) {
                if (pipes != null) {
                    pipes.closeChildEnds();
                    pipes.closeParentEnds();
                }
                IOException error = explain(e, command);
                deliver(loop, () -> {
                    if (!started.done()) {
                        started.setException(error);
                    }
                }, null);
                return;
            }
            if (pipes != null) {
                pipes.closeChildEnds();
            }
            Started s = new Started(p, pipes, PidFd.open(p.pid()));
            deliver(loop, () -> {
                if (started.done()) {
                    discard(s); // the caller was cancelled meanwhile
                } else {
                    started.setResult(s);
                }
            }, s);
        });
        Started s = started.await();
        P protocol = factory.get();
        if (protocol == null) {
            discard(s);
            throw new NullPointerException("protocol factory returned null");
        }
        ChildProcessTransport t = new ChildProcessTransport(loop, s.process, protocol, options, s.pipes, s.pidfd);
        t.start();
        return new Connection<>(t, protocol);
    }

    /** A started child, the pipes we made for it (null: the JDK made them) and its process descriptor (or null). */
    private record Started(java.lang.Process process, ChildPipes pipes, PidFd pidfd) {
    }

    /** Posts {@code r} to the loop; if the loop is closed, kills {@code orphan} and closes its pipes. */
    private static void deliver(EventLoop loop, Runnable r, Started orphan) {
        try {
            loop.callSoonThreadsafe(r);
        } catch (IllegalStateException closed) {
            if (orphan != null) {
                discard(orphan);
            }
        }
    }

    /** Kills a child nobody will use and closes its pipes (ours, or the JDK's off the loop). */
    private static void discard(Started s) {
        java.lang.Process p = s.process;
        p.destroyForcibly();
        if (s.pipes != null) {
            s.pipes.closeParentEnds();
        }
        if (s.pidfd != null) {
            s.pidfd.close();
        }
        Thread.ofVirtual().name("asyncio4j-discard-" + p.pid()).start(() -> {
            try {
                p.getOutputStream().close();
                p.getInputStream().close();
                p.getErrorStream().close();
            } catch (IOException ignored) {
                // closing pipes of a killed child: nothing to do about it
            }
        });
    }

    /** asyncio's {@code FileNotFoundError} for a missing program; the JDK's error otherwise. */
    private static IOException explain(Exception e, List<String> command) {
        String msg = String.valueOf(e.getMessage());
        if (e instanceof IOException io && NO_SUCH_FILE.matcher(msg).find()) {
            FileNotFoundException fnf = new FileNotFoundException("No such file or directory: '" + command.getFirst()
                    + "' (asyncio's FileNotFoundError; " + msg + ")");
            fnf.initCause(io);
            return fnf;
        }
        return e instanceof IOException io ? io : new IOException("cannot start " + command + ": " + msg, e);
    }
}
