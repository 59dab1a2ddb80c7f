package org.asyncio4j.process;

import java.io.IOException;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.stream.StreamReader;
import org.asyncio4j.stream.StreamWriter;

/**
 * A child process with streams (asyncio's {@code asyncio.subprocess.Process}), made by
 * {@link Subprocess#createSubprocessExec} and {@link Subprocess#createSubprocessShell}.
 * Not {@code java.lang.Process}: inside this package and wherever both are imported, name
 * the JDK's one in full ({@link #getExtraInfo getExtraInfo("subprocess")} returns it).
 *
 * <pre>{@code
 * Process p = createSubprocessExec(SubprocessOptions.DEFAULTS.withStdout(Subprocess.PIPE), "ls", "-l");
 * for (byte[] line : p.stdout().lines()) {
 *     System.out.print(new String(line, UTF_8));
 * }
 * int status = p.await();
 *
 * Process cat = createSubprocessExec(SubprocessOptions.PIPES, "cat");
 * ProcessOutput out = cat.communicate("hello".getBytes(UTF_8));   // out.stdout() is "hello"
 * }</pre>
 *
 * <p>Use it on its loop's thread. {@code Object.wait()} is final in Java, so asyncio's
 * {@code wait()} is {@link #await()}, as for {@code Event}.
 *
 * <h2>Deadlocks</h2>
 * As asyncio warns: a child that fills its stdout or stderr pipe waits until someone reads
 * it, so {@link #await()} with a piped output nobody reads may wait forever (the child
 * never exits). Read the
 * streams, or use {@link #communicate(byte[])}, which reads both while it writes.
 */
public final class Process {
    private final ChildProcessTransport transport;
    private final StreamProcessProtocol protocol;

    Process(ChildProcessTransport transport, StreamProcessProtocol protocol) {
        this.transport = transport;
        this.protocol = protocol;
    }

    /** @return the child's stdin (asyncio's {@code stdin}), or {@code null} unless it is {@link Subprocess#PIPE} */
    public StreamWriter stdin() {
        return protocol.stdin();
    }

    /** @return the child's stdout (asyncio's {@code stdout}), or {@code null} unless it is {@link Subprocess#PIPE} */
    public StreamReader stdout() {
        return protocol.stdout();
    }

    /** @return the child's stderr (asyncio's {@code stderr}), or {@code null} unless it is {@link Subprocess#PIPE} */
    public StreamReader stderr() {
        return protocol.stderr();
    }

    /** @return the child's process id (asyncio's {@code pid}) */
    public long pid() {
        return transport.getPid();
    }

    /**
     * @return the return code (asyncio's {@code returncode}): {@code null} while the child
     *     runs, {@code -N} if it was killed by signal N (see {@link SubprocessTransport})
     */
    public Integer returncode() {
        return transport.getReturncode();
    }

    /**
     * Suspending: waits for the child to exit (asyncio's {@code wait()}) and returns the
     * return code. What the child wrote and nobody has read yet stays in {@link #stdout()}
     * and {@link #stderr()}, up to EOF. A pipe you stop reading keeps its descriptor
     * (and its thread, where pipes have threads: see {@link Subprocess}) until you read it to
     * the end or close the transport
     * ({@code transport().close()}).
     *
     * <p>Cancellation: nothing changes; the child goes on.
     *
     * @return the return code
     * @throws IllegalStateException if called outside a task
     */
    public int await() {
        return transport.waitExited();
    }

    /**
     * Suspending: writes {@code input} to stdin and closes it, reads stdout and stderr to
     * their end, all at once, then waits for the child to exit (asyncio's
     * {@code communicate(input)}). Never deadlocks on a full pipe: the reads run in tasks of
     * their own while this one writes. A child that stops reading its stdin (e.g. it
     * exited) is not an error: the rest of {@code input} is dropped, as asyncio does.
     *
     * <p>Cancellation: the reading tasks are cancelled (what they had read is lost; the
     * streams keep what they had not read yet) and the child goes on; stdin may be half
     * written. The pipes close as usual when the child exits or is killed.
     *
     * @param input the bytes for stdin, or {@code null} to only close it
     * @return what the child wrote; {@code null} for a stream that is not a pipe
     * @throws IllegalStateException if {@code input} is given and stdin is not a pipe, or
     *     if called outside a task
     * @throws IOException if reading an output pipe failed
     */
    public ProcessOutput communicate(byte[] input) throws IOException {
        if (input != null && stdin() == null) {
            throw new IllegalStateException("communicate(input) needs stdin=Subprocess.PIPE: " + this);
        }
        EventLoop loop = EventLoop.getRunningLoop();
        Task<byte[]> out = stdout() == null ? null : loop.createTask(() -> readAll(1));
        Task<byte[]> err = stderr() == null ? null : loop.createTask(() -> readAll(2));
        try {
            if (stdin() != null) {
                feedStdin(input);
            }
            byte[] o = out == null ? null : out.await();
            byte[] e = err == null ? null : err.await();
            await();
            return new ProcessOutput(o, e);
        } finally {
            if (out != null && !out.done()) {
                out.cancel();
            }
            if (err != null && !err.done()) {
                err.cancel();
            }
        }
    }

    /** Suspending: {@link #communicate(byte[])} with no input. */
    public ProcessOutput communicate() throws IOException {
        return communicate(null);
    }

    private void feedStdin(byte[] input) {
        StreamWriter w = stdin();
        if (input != null && input.length > 0) {
            w.write(input);
            try {
                w.drain();
            } catch (IOException gone) {
                // the child does not read any more (asyncio ignores BrokenPipeError / ConnectionResetError)
            }
        }
        w.close();
    }

    private byte[] readAll(int fd) throws IOException {
        byte[] data = (fd == 1 ? stdout() : stderr()).read();
        transport.getPipeTransport(fd).close();
        return data;
    }

    /**
     * Sends {@code signal} to the child (asyncio's {@code send_signal()}); see
     * {@link SubprocessTransport#sendSignal}.
     *
     * @param signal the signal
     * @throws IllegalStateException if the child has exited (asyncio's {@code ProcessLookupError})
     */
    public void sendSignal(Signal signal) {
        transport.sendSignal(signal);
    }

    /**
     * Sends {@code SIGTERM} (asyncio's {@code terminate()}).
     *
     * @throws IllegalStateException if the child has exited
     */
    public void terminate() {
        transport.terminate();
    }

    /**
     * Sends {@code SIGKILL} (asyncio's {@code kill()}).
     *
     * @throws IllegalStateException if the child has exited
     */
    public void kill() {
        transport.kill();
    }

    /** @return the transport under this process (asyncio's {@code _transport}) */
    public SubprocessTransport transport() {
        return transport;
    }

    /**
     * Information about the child: {@code "subprocess"} gives the {@code java.lang.Process}.
     *
     * @param name the key
     * @return the value, or {@code null}
     */
    public Object getExtraInfo(String name) {
        return transport.getExtraInfo(name);
    }

    /** @return {@code <Process PID running|returncode=N>}, as asyncio's repr */
    @Override
    public String toString() {
        Integer rc = returncode();
        return "<Process " + pid() + (rc == null ? " running" : " returncode=" + rc) + '>';
    }
}
