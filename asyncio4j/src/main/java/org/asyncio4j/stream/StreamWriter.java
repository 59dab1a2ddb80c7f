package org.asyncio4j.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.asyncio4j.future.Sleep;
import org.asyncio4j.future.Sneaky;
import org.asyncio4j.net.Network;
import org.asyncio4j.net.Transport;

/**
 * The writing half of a stream connection (asyncio's {@code asyncio.StreamWriter}): writes
 * go to the transport at once and never suspend; {@link #drain()} is where a writer waits
 * for the peer to catch up.
 *
 * <pre>{@code
 * for (byte[] chunk : chunks) {
 *     writer.write(chunk);
 *     writer.drain();          // waits while the transport's buffer is above its high-water mark
 * }
 * writer.close();
 * writer.waitClosed();
 * }</pre>
 *
 * <h2>States</h2>
 * <pre>
 *   OPEN ──writeEof()──▶ HALF-CLOSED (writes raise IllegalStateException; reading goes on)
 *     │                      │
 *     └──close()─────────────┴──▶ CLOSING (isClosing(); buffered data is flushed)
 *                                      │ connection lost
 *                                      ▼
 *                                   CLOSED (waitClosed() returns; drain() raises)
 * </pre>
 * A connection lost on its own (the peer went away, an I/O error) goes to CLOSED from any
 * state; writes are then dropped by the transport, and {@code drain()} raises the
 * connection's error.
 *
 * <p>Bound to its loop: use it on the loop's thread. A TLS upgrade (asyncio's
 * {@code start_tls}) swaps the transport under the writer; {@link #transport()} returns the
 * current one.
 *
 * <p>Implementation overview: the writer holds the transport, its protocol (whose flow
 * control {@link #drain()} waits on) and the reader of the same connection (whose error
 * {@code drain()} raises first, as asyncio). It has no state of its own beyond them.
 */
public final class StreamWriter {
    /** The transport written to; replaced by a TLS upgrade, so not final. */
    private Transport transport;
    private final StreamReaderProtocol protocol;
    /** The connection's reader, or {@code null}. */
    private final StreamReader reader;

    /**
     * A writer over {@code transport} (asyncio's {@code StreamWriter(transport, protocol,
     * reader, loop)}); made by {@link Streams} and by {@link StreamReaderProtocol}.
     *
     * @param transport the connection's transport
     * @param protocol the transport's protocol, whose flow control {@link #drain()} follows
     * @param reader the connection's reader, or {@code null}
     */
    public StreamWriter(Transport transport, StreamReaderProtocol protocol, StreamReader reader) {
        if (transport == null || protocol == null) {
            throw new NullPointerException("StreamWriter needs a transport and a protocol, got " + transport + " and "
                    + protocol);
        }
        this.transport = transport;
        this.protocol = protocol;
        this.reader = reader;
    }

    /** @return the transport (asyncio's {@code transport} attribute) */
    public Transport transport() {
        return transport;
    }

    // ================================================================ writing

    /**
     * Writes {@code data} (asyncio's {@code write()}): sent at once as far as the socket
     * takes it, the rest buffered by the transport. Never suspends; follow with
     * {@link #drain()} to respect flow control. The array may be reused on return.
     *
     * @param data the bytes
     * @throws IllegalStateException after {@link #writeEof()}
     */
    public void write(byte[] data) {
        transport.write(data);
    }

    /**
     * Writes the bytes between {@code data}'s position and limit and advances its position
     * (no copy unless the socket cannot take them all). Never suspends.
     *
     * @param data the bytes
     * @throws IllegalStateException after {@link #writeEof()}
     */
    public void write(ByteBuffer data) {
        transport.write(data);
    }

    /**
     * Writes several chunks, in order, with one gathering system call when nothing is
     * buffered (asyncio's {@code writelines()}). Never suspends.
     *
     * @param data the chunks
     * @throws IllegalStateException after {@link #writeEof()}
     */
    public void writelines(Iterable<byte[]> data) {
        List<ByteBuffer> buffers = new ArrayList<>();
        for (byte[] b : data) {
            buffers.add(ByteBuffer.wrap(b));
        }
        transport.writelines(buffers);
    }

    /**
     * Writes several buffers, in order, each from its position to its limit (advancing it).
     *
     * @param data the buffers
     * @throws IllegalStateException after {@link #writeEof()}
     */
    public void writelines(ByteBuffer... data) {
        transport.writelines(List.of(data));
    }

    /**
     * Closes the sending side once the buffered data is sent (asyncio's {@code write_eof()}):
     * the peer reads EOF, and this side may go on reading. Later writes raise
     * {@link IllegalStateException}.
     *
     * @throws UnsupportedOperationException if the transport cannot half-close
     *     ({@link #canWriteEof()} is false, e.g. TLS)
     */
    public void writeEof() {
        transport.writeEof();
    }

    /** @return whether {@link #writeEof()} is supported (asyncio's {@code can_write_eof()}) */
    public boolean canWriteEof() {
        return transport.canWriteEof();
    }

    /**
     * Suspending: waits until it is appropriate to write again (asyncio's {@code drain()}):
     * returns at once while the transport's write buffer is below its high-water mark, else
     * waits until it drains to the low-water mark.
     *
     * <pre>{@code
     * writer.write(data);
     * writer.drain();
     * }</pre>
     *
     * <p>Raises, in this order: the reader's error if the connection failed (the very
     * exception, e.g. {@code java.net.SocketException: Connection reset}); a
     * {@link java.net.SocketException} saying the connection was lost (asyncio's
     * {@code ConnectionResetError}) if it was closed; the connection's error if it is lost
     * while this waits.
     *
     * <p>Cancellation: the data stays buffered in the transport and will still be sent;
     * nothing else changes.
     *
     * @throws IOException the connection's error, or a {@link java.net.SocketException} if it was lost
     * @throws IllegalStateException if called outside a task
     */
    public void drain() throws IOException {
        protocol.checkCanDrain();
        if (reader != null) {
            Throwable exc = reader.exception();
            if (exc != null) {
                throw Sneaky.rethrow(exc);
            }
        }
        if (transport.isClosing() && !protocol.isLost()) {
            // let a connectionLost already scheduled run first, so its error is the one raised
            Sleep.sleep(0);
            if (reader != null && reader.exception() != null) {
                throw Sneaky.rethrow(reader.exception());
            }
        }
        protocol.drainHelper();
    }

    // ================================================================ closing

    /**
     * Closes the connection (asyncio's {@code close()}): stops reading, sends what is
     * buffered, then closes the socket. Idempotent; never suspends. Follow with
     * {@link #waitClosed()} to wait for the end.
     */
    public void close() {
        transport.close();
    }

    /** @return whether the connection is closing or closed (asyncio's {@code is_closing()}) */
    public boolean isClosing() {
        return transport.isClosing();
    }

    /**
     * Suspending: waits until the connection is closed, i.e. the protocol's
     * {@code connectionLost} ran (asyncio's {@code wait_closed()}). Returns at once if it
     * has.
     *
     * <p>Cancellation: nothing is left behind; the connection is unchanged (still closing).
     *
     * @throws IOException the error the connection was lost with, if any
     * @throws IllegalStateException if called outside a task
     */
    public void waitClosed() throws IOException {
        protocol.waitClosed();
    }

    // ================================================================ information

    /**
     * Information about the connection (asyncio's {@code get_extra_info()}): {@code "peername"},
     * {@code "sockname"}, {@code "socket"}; see {@link org.asyncio4j.net.BaseTransport#getExtraInfo(String)}.
     *
     * @param name the key
     * @return the value, or {@code null}
     */
    public Object getExtraInfo(String name) {
        return transport.getExtraInfo(name);
    }

    /**
     * Like {@link #getExtraInfo(String)} with a default.
     *
     * @param name the key
     * @param defaultValue returned when there is no value
     * @return the value, or {@code defaultValue}
     */
    public Object getExtraInfo(String name, Object defaultValue) {
        return transport.getExtraInfo(name, defaultValue);
    }

    /**
     * Swaps the transport after a TLS upgrade (for {@code startTls}, asyncio's
     * {@code start_tls}: {@code self._transport = new_transport; protocol._replace_transport(...)}).
     */
    /**
     * Suspending: upgrades the connection to TLS (asyncio's {@code writer.start_tls()}): drains
     * what is buffered, runs the handshake (as the server when this writer belongs to a
     * {@code startServer} connection, else as the client), then reads and writes through the
     * TLS transport. The reader keeps the plain bytes that arrived before.
     *
     * <p>Cancellation: during the drain, nothing changed; during the handshake, the
     * connection is closed, as asyncio's {@code start_tls} does on failure.
     *
     * @param sslContext the TLS configuration
     * @param serverHostname the name to check the server's certificate against (client
     *     side); {@code null} uses none, {@code ""} turns the check off
     * @throws IOException if the handshake fails ({@code SSLHandshakeException}) or the
     *     connection is lost
     * @throws IllegalStateException if the writer is closing
     */
    public void startTls(SSLContext sslContext, String serverHostname) throws IOException {
        if (transport.isClosing()) {
            throw new IllegalStateException("startTls() on a closing StreamWriter: " + this);
        }
        drain();
        Transport tls = Network.startTls(transport, protocol, sslContext, protocol.serverSide(), serverHostname);
        replaceTransport(tls);
    }

    void replaceTransport(Transport newTransport) {
        transport = newTransport;
        protocol.replaceTransport(newTransport);
    }

    /** @return {@code <StreamWriter transport=T reader=R>}, as asyncio's repr */
    @Override
    public String toString() {
        return "<StreamWriter transport=" + transport + (reader != null ? " reader=" + reader : "") + '>';
    }
}
