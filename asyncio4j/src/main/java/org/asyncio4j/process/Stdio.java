package org.asyncio4j.process;

import org.asyncio4j.net.Transport;
import org.asyncio4j.stream.StreamReader;
import org.asyncio4j.stream.StreamReaderProtocol;
import org.asyncio4j.stream.StreamWriter;

/**
 * This process's standard streams as streams of the running loop: an asynchronous
 * {@code input()} and {@code print()} that never block the loop (the asyncio recipe of
 * {@code connect_read_pipe(lambda: StreamReaderProtocol(reader), sys.stdin)}).
 *
 * <pre>{@code
 * run(() -> {
 *     StreamReader in = Stdio.stdinReader();
 *     StreamWriter out = Stdio.stdoutWriter();
 *     for (byte[] line : in.lines()) {         // until EOF (Ctrl-D)
 *         out.write(line);
 *         out.drain();
 *     }
 * });
 * }</pre>
 *
 * <p>Make each once per program: the reader owns {@code System.in} and closes it at EOF or
 * when its transport is closed; a thread blocked reading the terminal stays blocked until
 * a line or EOF comes, even after the loop is gone (Java cannot interrupt that read; the
 * thread is a daemon, so it does not keep the JVM alive). The writer writes through
 * {@code System.out} and closes it when closed.
 */
public final class Stdio {
    private Stdio() {
    }

    /**
     * A reader of {@code System.in} on the running loop.
     *
     * @return the reader, with the default limit (64 KiB)
     * @throws IllegalStateException if no loop runs on this thread
     */
    public static StreamReader stdinReader() {
        StreamReader reader = new StreamReader();
        Pipes.connectReadPipe(() -> new StreamReaderProtocol(reader), System.in);
        return reader;
    }

    /**
     * A writer to {@code System.out} on the running loop; {@code drain()} waits while the
     * terminal or pipe does not keep up.
     *
     * @return the writer
     * @throws IllegalStateException if no loop runs on this thread
     */
    public static StreamWriter stdoutWriter() {
        StreamReaderProtocol protocol = new StreamReaderProtocol(new StreamReader());
        Transport t = Pipes.connectWritePipe(() -> protocol, System.out).transport();
        return new StreamWriter(t, protocol, null);
    }
}
