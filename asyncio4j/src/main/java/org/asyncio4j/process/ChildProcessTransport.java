package org.asyncio4j.process;

import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.Map;
import org.asyncio4j.future.Context;
import org.asyncio4j.future.ParkingLot;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.ExceptionContext;
import org.asyncio4j.net.BaseProtocol;
import org.asyncio4j.net.BaseTransport;
import org.asyncio4j.net.Protocol;

/**
 * A child process started by {@link Subprocess} and its pipes (asyncio's
 * {@code BaseSubprocessTransport} with {@code _UnixSubprocessTransport}); states and
 * return codes as drawn in {@link SubprocessTransport}.
 *
 * <p>Implementation overview. Each pipe the options ask for is a {@link PipeTransport}
 * whose protocol is a {@link PipeProtocol} that forwards to the {@link SubprocessProtocol}
 * with the pipe's number: on the selector when {@link ChildPipes} made the pipes, else
 * pumped by threads over the JDK's process streams. The child's exit comes from
 * {@code java.lang.Process.onExit()}, completed by the JDK's reaper thread (the only one
 * that ever waits for the child, so nothing is reaped twice) and posted to the loop; its
 * return code is read from the child's {@link PidFd} where there is one (a death by any
 * signal is then {@code -N}), else from the JDK's exit value (128 + N unless the signal was
 * sent through this transport). The {@code PidFd} is closed once: at the exit, or by the
 * close hook when the loop closes first.
 * Invariants (loop thread only): {@code pipesOpen} counts the pipes whose
 * {@code connectionLost} has not run; {@code returncode} is set once, when the exit is
 * posted; {@code finished} is set once, when both are done, and then
 * {@code processExited} and {@code connectionLost} run. The waiters of
 * {@link #waitExited()} wake at the exit, as asyncio's {@code wait()} returns once the
 * return code is known. A child still running when the loop closes is reported by a close
 * hook and left running; its exit then goes nowhere. Pipes on the selector still open then
 * are closed by another hook (nothing could serve them).
 */
final class ChildProcessTransport implements SubprocessTransport {
    private final EventLoop loop;
    private final java.lang.Process proc;
    private final long pid;
    private final Context context;
    private SubprocessProtocol protocol;
    /** The pipe transports by fd; null where that stream is not a pipe. */
    private final PipeTransport[] pipes = new PipeTransport[3];
    /** The pipes {@link ChildPipes} made (on the selector), or null when the JDK made them. */
    private final ChildPipes childPipes;
    private int pipesOpen;
    private Integer returncode;
    /** The last signal sent through this transport, to tell a death by it from an exit status of 128 + N. */
    private volatile Signal lastSignal;
    /** The child's process descriptor, or null (see {@link PidFd#open}). */
    private final PidFd pidfd;
    private boolean closed;
    private boolean finished;
    private final ParkingLot exitWaiters = new ParkingLot();
    /** The loop's close hook while the child runs. */
    private final Runnable outlivesLoop = this::outlivesLoop;
    /** The loop's close hook while pipes on the selector are open: nothing serves them once the loop is gone. */
    private final Runnable closePipes = this::closePipesAtLoopClose;

    /**
     * @param childPipes the child's pipes made by {@link ChildPipes}, served on the selector;
     *     null when the JDK made them (then {@code proc}'s streams are pumped by threads)
     * @param pidfd the child's process descriptor, now this transport's, or null
     */
    ChildProcessTransport(EventLoop loop, java.lang.Process proc, SubprocessProtocol protocol, SubprocessOptions options,
            ChildPipes childPipes, PidFd pidfd) {
        this.loop = loop;
        this.proc = proc;
        this.pid = proc.pid();
        this.pidfd = pidfd;
        this.context = Context.copyContext();
        this.protocol = protocol;
        this.childPipes = childPipes;
        if (childPipes != null) {
            if (childPipes.has(0)) {
                pipes[0] = new SelectorWritePipeTransport(loop, (Pipe.SinkChannel) childPipes.parentEnd(0),
                        new PipeProtocol(0), pipeName(0));
            }
            for (int fd = 1; fd < 3; fd++) {
                if (childPipes.has(fd)) {
                    pipes[fd] = new SelectorReadPipeTransport(loop, (Pipe.SourceChannel) childPipes.parentEnd(fd),
                            new PipeProtocol(fd), pipeName(fd));
                }
            }
        } else {
            if (options.pipesStdin()) {
                pipes[0] = new WritePipeTransport(loop, proc.getOutputStream(), new PipeProtocol(0), pipeName(0));
            }
            if (options.pipesStdout()) {
                pipes[1] = readPipe(proc.getInputStream(), 1);
            }
            if (options.pipesStderr()) {
                pipes[2] = readPipe(proc.getErrorStream(), 2);
            }
        }
        for (PipeTransport p : pipes) {
            if (p != null) {
                pipesOpen++;
            }
        }
    }

    private ReadPipeTransport readPipe(InputStream in, int fd) {
        return new ReadPipeTransport(loop, in, new PipeProtocol(fd), pipeName(fd));
    }

    private String pipeName(int fd) {
        return "asyncio4j-pipe-" + pid + (fd == 0 ? "-stdin" : fd == 1 ? "-stdout" : "-stderr");
    }

    /** On the loop: connectionMade, then the pipes start; the exit is watched from now on. */
    void start() {
        try {
            protocol.connectionMade(this);
        } catch (Throwable t) {
            report("Fatal error: protocol.connectionMade() call failed.", t);
        }
        for (PipeTransport p : pipes) {
            if (p != null) {
                p.start();
            }
        }
        loop.addCloseHook(outlivesLoop);
        if (childPipes != null && pipesOpen > 0) {
            loop.addCloseHook(closePipes);
        }
        proc.onExit().whenComplete((p, e) -> {
            try {
                loop.callSoonThreadsafe(this::exited, context);
            } catch (IllegalStateException loopClosed) {
                // the loop's close reported the child (outlivesLoop); the JDK has reaped it
            }
        });
    }

    /** At the loop's close: a child still running is left running, and said so. */
    private void outlivesLoop() {
        if (pidfd != null) {
            pidfd.close();   // its exit goes nowhere now
        }
        if (proc.isAlive()) {
            PipeTransport.LOG.log(Level.WARNING, "child process " + pid + " outlived its event loop " + loop
                    + ": it is left running, and the JDK reaps it when it exits; await the process (or close or kill "
                    + "its transport) before the loop closes");
        }
    }

    private void exited() {
        loop.removeCloseHook(outlivesLoop);
        Integer exact = null;
        if (pidfd != null) {
            exact = pidfd.returncode();
            pidfd.close();
        }
        returncode = exact != null ? exact : jdkReturncode();
        exitWaiters.unparkAll();
        if (pipes[0] != null) {
            pipes[0].childExited();
        }
        tryFinish();
    }

    /** The JDK's exit value, with a death by the last signal this transport sent read as {@code -N}. */
    private int jdkReturncode() {
        int v = proc.exitValue();
        Signal s = lastSignal;
        return s != null && v == 128 + s.number() ? -s.number() : v;
    }

    private void pipeLost(int fd, Throwable exc) {
        if (childPipes != null) {
            childPipes.lost(fd);
        }
        try {
            protocol.pipeConnectionLost(fd, exc);
        } catch (Throwable t) {
            report("Fatal error: protocol.pipeConnectionLost() call failed.", t);
        }
        pipesOpen--;
        if (pipesOpen == 0 && childPipes != null) {
            loop.removeCloseHook(closePipes);
        }
        tryFinish();
    }

    /**
     * At the loop's close, pipes on the selector still open are closed (a pump thread
     * closes its own pipe when it finds the loop closed): the child reads EOF on its stdin
     * and a write to its stdout or stderr fails, as when asyncio collects the transport.
     */
    private void closePipesAtLoopClose() {
        childPipes.closeParentEnds();
    }

    private void tryFinish() {
        if (finished || returncode == null || pipesOpen > 0) {
            return;
        }
        finished = true;
        try {
            protocol.processExited();
        } catch (Throwable t) {
            report("Fatal error: protocol.processExited() call failed.", t);
        }
        try {
            protocol.connectionLost(null);
        } catch (Throwable t) {
            report("Fatal error: protocol.connectionLost() call failed.", t);
        }
    }

    private void report(String message, Throwable t) {
        loop.callExceptionHandler(new ExceptionContext(message, t, null, null, null,
                Map.of("transport", this, "protocol", protocol)));
    }

    /**
     * Suspending: waits until the child exited (asyncio's {@code transport._wait()}); what
     * is still in its output pipes stays readable. Cancellation: nothing changes.
     *
     * @return the return code
     */
    int waitExited() {
        exitWaiters.checkCanPark("Process.await()");
        while (returncode == null) {
            exitWaiters.park();
        }
        return returncode;
    }

    /** @return the pipe threads, for tests that check they all ended */
    Thread[] pipeThreads() {
        Thread[] threads = new Thread[3];
        for (int i = 0; i < 3; i++) {
            threads[i] = pipes[i] == null ? null : pipes[i].pipeThread();
        }
        return threads;
    }

    // ================================================================ SubprocessTransport

    @Override
    public long getPid() {
        return pid;
    }

    @Override
    public Integer getReturncode() {
        return returncode;
    }

    @Override
    public BaseTransport getPipeTransport(int fd) {
        if (fd < 0 || fd > 2) {
            throw new IllegalArgumentException("fd must be 0, 1 or 2, got " + fd);
        }
        return pipes[fd];
    }

    @Override
    public void sendSignal(Signal signal) {
        loop.checkThread("sendSignal()");
        if (signal == null) {
            throw new NullPointerException("signal must not be null");
        }
        if (returncode != null) {
            throw new IllegalStateException("cannot send " + signal + " to process " + pid + ": it exited with "
                    + returncode + " (asyncio's ProcessLookupError)");
        }
        lastSignal = signal;
        switch (signal) {
            // the handle's, not the Process's: java.lang.Process.destroy() also closes the pipes, losing their last bytes
            case SIGTERM -> proc.toHandle().destroy();
            case SIGKILL -> proc.toHandle().destroyForcibly();
            default -> {
                if (pidfd != null) {
                    logSignalFailure(signal, pidfd.sendSignal(signal.number()));
                } else if (Libc.canKill()) {
                    killNow(signal);
                } else {
                    Thread.ofVirtual().name("asyncio4j-kill-" + pid).start(() -> killCommand(signal));
                }
            }
        }
    }

    /** With native access: {@code kill(2)} itself, on the loop (it does not block). */
    private void killNow(Signal signal) {
        if (!proc.isAlive()) {
            return;   // reaped already, its exit not delivered yet: the pid may be another's by now
        }
        logSignalFailure(signal, Libc.kill(pid, signal.number()));
    }

    /** Logs a failed signal, but not {@code ESRCH}: the child exited meanwhile, its exit is on its way. */
    private void logSignalFailure(Signal signal, int errno) {
        if (errno != 0 && errno != Libc.ESRCH) {
            PipeTransport.LOG.log(Level.WARNING, "cannot send " + signal + " to process " + pid + ": errno " + errno);
        }
    }

    /** Off the loop: {@code kill -s NAME PID} through the shell's builtin (Java has no call to send other signals). */
    private void killCommand(Signal signal) {
        if (!proc.isAlive()) {
            return;
        }
        try {
            java.lang.Process k = new ProcessBuilder("/bin/sh", "-c", "kill -s " + signal.shortName() + ' ' + pid)
                    .redirectInput(java.lang.ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(java.lang.ProcessBuilder.Redirect.DISCARD)
                    .redirectError(java.lang.ProcessBuilder.Redirect.DISCARD).start();
            int status = k.waitFor();
            if (status != 0 && proc.isAlive()) {
                PipeTransport.LOG.log(Level.WARNING, "kill -s " + signal.shortName() + ' ' + pid + " failed: " + status);
            }
        } catch (Exception e) {
            PipeTransport.LOG.log(Level.WARNING, "cannot send " + signal + " to process " + pid, e);
        }
    }

    @Override
    public void terminate() {
        sendSignal(Signal.SIGTERM);
    }

    @Override
    public void kill() {
        sendSignal(Signal.SIGKILL);
    }

    @Override
    public void close() {
        loop.checkThread("close()");
        if (closed) {
            return;
        }
        closed = true;
        for (PipeTransport p : pipes) {
            if (p != null) {
                p.close();
            }
        }
        if (returncode == null && proc.isAlive()) {
            if (loop.getDebug()) {
                PipeTransport.LOG.log(Level.WARNING, "Close running child process: kill " + this);
            }
            lastSignal = Signal.SIGKILL;
            proc.toHandle().destroyForcibly();
        }
    }

    @Override
    public boolean isClosing() {
        return closed;
    }

    /**
     * {@inheritDoc} The key {@code "subprocess"} gives the {@code java.lang.Process}.
     */
    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        return "subprocess".equals(name) ? proc : defaultValue;
    }

    @Override
    public BaseProtocol getProtocol() {
        return protocol;
    }

    @Override
    public void setProtocol(BaseProtocol protocol) {
        if (!(protocol instanceof SubprocessProtocol sp)) {
            throw new IllegalArgumentException("a subprocess transport needs a SubprocessProtocol, got " + protocol);
        }
        this.protocol = sp;
    }

    /** @return {@code <ChildProcessTransport pid=N running|returncode=N ...>}, as asyncio's repr */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<ChildProcessTransport pid=").append(pid);
        sb.append(returncode == null ? " running" : " returncode=" + returncode);
        if (closed) {
            sb.append(" closed");
        }
        for (int fd = 0; fd < 3; fd++) {
            if (pipes[fd] != null) {
                sb.append(fd == 0 ? " stdin=" : fd == 1 ? " stdout=" : " stderr=").append(pipes[fd]);
            }
        }
        return sb.append('>').toString();
    }

    /** The protocol of one pipe: forwards to the subprocess protocol with the pipe's number (asyncio's {@code *SubprocessPipeProto}). */
    private final class PipeProtocol implements Protocol {
        private final int fd;

        PipeProtocol(int fd) {
            this.fd = fd;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            protocol.pipeDataReceived(fd, data);
        }

        @Override
        public void connectionLost(Throwable exc) {
            pipeLost(fd, exc);
        }

        @Override
        public void pauseWriting() {
            protocol.pauseWriting();
        }

        @Override
        public void resumeWriting() {
            protocol.resumeWriting();
        }

        @Override
        public String toString() {
            return "<PipeProtocol fd=" + fd + " of " + pid + '>';
        }
    }
}
