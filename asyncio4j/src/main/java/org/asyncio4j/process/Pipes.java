package org.asyncio4j.process;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Supplier;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.net.BaseProtocol;
import org.asyncio4j.net.Connection;
import org.asyncio4j.net.Protocol;
import org.asyncio4j.net.ReadTransport;
import org.asyncio4j.net.Transport;

/**
 * Pipes as transports (asyncio's {@code loop.connect_read_pipe} and
 * {@code loop.connect_write_pipe}): any blocking {@link InputStream} or {@link OutputStream}
 * (a named pipe, a child's stream, this process's {@code System.in} and {@code System.out})
 * served without blocking the loop, by a thread per pipe.
 *
 * <pre>{@code
 * StreamReader reader = new StreamReader();
 * Pipes.connectReadPipe(() -> new StreamReaderProtocol(reader), System.in);
 * for (byte[] line : reader.lines()) { ... }      // an asynchronous input(); see Stdio
 * }</pre>
 *
 * <p>Unlike asyncio's coroutines these do not suspend: a pipe is connected as soon as it is
 * made, so they return with the protocol's {@code connectionMade} already called. Both must
 * be called on the loop's thread. The transport owns the stream: closing it closes the
 * stream, from the pipe's thread (a blocking read that is under way ends first; Java cannot
 * interrupt it).
 */
public final class Pipes {
    private Pipes() {
    }

    /**
     * Reads {@code pipe} into a protocol (asyncio's {@code loop.connect_read_pipe(factory, pipe)}):
     * {@code dataReceived} with each chunk, in order; {@code eofReceived} and
     * {@code connectionLost(null)} at the end. The protocol's {@code pauseReading} holds the
     * writer back once the pipe's buffer is full.
     *
     * @param factory makes the protocol
     * @param pipe the stream to read
     * @param <P> the protocol type
     * @return the transport and the protocol; the transport is also a {@link Transport} whose
     *     write side refuses, so {@code StreamReaderProtocol} accepts it
     * @throws IllegalStateException if no loop runs on this thread
     */
    public static <P extends Protocol> Connection<ReadTransport, P> connectReadPipe(Supplier<P> factory,
            InputStream pipe) {
        EventLoop loop = EventLoop.getRunningLoop();
        P protocol = make(factory, pipe);
        ReadPipeTransport t = new ReadPipeTransport(loop, pipe, protocol, "asyncio4j-read-pipe");
        t.start();
        return new Connection<>(t, protocol);
    }

    /**
     * Writes to {@code pipe} through a transport (asyncio's
     * {@code loop.connect_write_pipe(factory, pipe)}): writes never block; the protocol's
     * {@code pauseWriting}/{@code resumeWriting} follow the buffer.
     *
     * <pre>{@code
     * StreamReaderProtocol p = new StreamReaderProtocol(new StreamReader());
     * Transport t = Pipes.connectWritePipe(() -> p, System.out).transport();
     * StreamWriter out = new StreamWriter(t, p, null);
     * }</pre>
     *
     * @param factory makes the protocol
     * @param pipe the stream to write
     * @param <P> the protocol type
     * @return the transport (a {@link Transport} whose read side is absent, so a
     *     {@code StreamWriter} accepts it) and the protocol
     * @throws IllegalStateException if no loop runs on this thread
     */
    public static <P extends BaseProtocol> Connection<Transport, P> connectWritePipe(Supplier<P> factory,
            OutputStream pipe) {
        EventLoop loop = EventLoop.getRunningLoop();
        P protocol = make(factory, pipe);
        WritePipeTransport t = new WritePipeTransport(loop, pipe, protocol, "asyncio4j-write-pipe");
        t.start();
        return new Connection<>(t, protocol);
    }

    private static <P> P make(Supplier<P> factory, Object pipe) {
        if (factory == null || pipe == null) {
            throw new NullPointerException("a pipe needs a protocol factory and a stream, got " + factory + " and "
                    + pipe);
        }
        P protocol = factory.get();
        if (protocol == null) {
            throw new NullPointerException("protocol factory returned null");
        }
        return protocol;
    }
}
