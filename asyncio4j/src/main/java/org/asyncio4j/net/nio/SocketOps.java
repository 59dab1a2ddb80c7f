package org.asyncio4j.net.nio;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.asyncio4j.future.Future;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.net.Network;

/**
 * The loop's low-level socket operations (asyncio's {@code loop.sock_recv},
 * {@code sock_recv_into}, {@code sock_recvfrom}, {@code sock_recvfrom_into},
 * {@code sock_sendall}, {@code sock_sendto}, {@code sock_connect}, {@code sock_accept},
 * {@code sock_sendfile}) on NIO channels, for code that manages its own sockets instead of
 * using transports. Each suspends the calling task, never the loop's thread.
 *
 * <pre>{@code
 * SocketChannel ch = SocketChannel.open();
 * ch.configureBlocking(false);
 * SocketOps.sockConnect(ch, new InetSocketAddress("127.0.0.1", port));
 * SocketOps.sockSendall(ch, "ping".getBytes());
 * byte[] reply = SocketOps.sockRecv(ch, 1024);
 * }</pre>
 *
 * <p>Rules, as in asyncio: call them inside a task of the running loop (outside one they
 * fail at once and change nothing); the channel must be in non-blocking mode
 * ({@link IllegalArgumentException} naming it otherwise); one operation per direction per
 * channel at a time (the loop keeps one reader and one writer per channel: a second waiter
 * replaces the first, which then never wakes); and no transport may own the channel.
 * Closing a channel while an operation waits on it leaves that operation waiting (the
 * selector forgets closed channels): cancel the task first.
 *
 * <p>Implementation overview: every operation first tries the system call; only when it
 * would block does it register a reader or writer whose callback completes a future,
 * await that future, and try again. The reader or writer is removed in a {@code finally}
 * block, so whatever ends the wait (readiness, cancellation, an error) leaves nothing
 * registered with the loop and the channel usable.
 */
public final class SocketOps {
    private SocketOps() {
    }

    // ================================================================ receiving

    /**
     * Reads up to {@code n} bytes (asyncio's {@code loop.sock_recv()}), suspending until at
     * least one byte or end of stream arrives.
     *
     * <p>Cancellation: no reader stays registered; no byte has been taken from the channel
     * (bytes are only read once readable, and then returned at once).
     *
     * @param channel a non-blocking socket (or any selectable readable channel)
     * @param n the most bytes to read, {@code >= 0}
     * @param <C> the channel type
     * @return the bytes read; an empty array at end of stream (or when {@code n} is 0)
     * @throws IOException if the read fails
     * @throws IllegalArgumentException if {@code n < 0} or the channel is blocking
     */
    public static <C extends SelectableChannel & ReadableByteChannel> byte[] sockRecv(C channel, int n)
            throws IOException {
        EventLoop loop = EventLoop.requireTask("sockRecv");
        checkChannel("sockRecv", channel);
        if (n < 0) {
            throw new IllegalArgumentException("sockRecv needs n >= 0 bytes, got " + n);
        }
        if (n == 0) {
            return new byte[0];
        }
        ByteBuffer buf = ByteBuffer.allocate(n);
        int got = recvInto(loop, channel, buf);
        return got == n ? buf.array() : Arrays.copyOf(buf.array(), got);
    }

    /**
     * Reads into {@code buffer}, from its position up to its limit (asyncio's
     * {@code loop.sock_recv_into()}), suspending until at least one byte or end of stream
     * arrives. The buffer's position advances by the count.
     *
     * <p>Cancellation: no reader stays registered; the buffer is unchanged.
     *
     * @param channel a non-blocking socket (or any selectable readable channel)
     * @param buffer where to put the bytes
     * @param <C> the channel type
     * @return the bytes read, and 0 at end of stream as in asyncio (NIO's {@code -1} is not
     *     passed on), or when the buffer has no room
     * @throws IOException if the read fails
     * @throws IllegalArgumentException if the channel is blocking or the buffer is null
     */
    public static <C extends SelectableChannel & ReadableByteChannel> int sockRecvInto(C channel, ByteBuffer buffer)
            throws IOException {
        EventLoop loop = EventLoop.requireTask("sockRecvInto");
        checkChannel("sockRecvInto", channel);
        checkBuffer("sockRecvInto", buffer);
        if (!buffer.hasRemaining()) {
            return 0;
        }
        return recvInto(loop, channel, buffer);
    }

    private static <C extends SelectableChannel & ReadableByteChannel> int recvInto(EventLoop loop, C channel,
            ByteBuffer buf) throws IOException {
        while (true) {
            int got = channel.read(buf);
            if (got != 0) {
                return Math.max(got, 0);
            }
            awaitReadable(loop, channel);
        }
    }

    /**
     * Receives one datagram of up to {@code n} bytes, and its sender (asyncio's
     * {@code loop.sock_recvfrom()}). A longer datagram is truncated to {@code n} bytes, the
     * rest discarded (NIO gives no sign of it).
     *
     * <p>Cancellation: no reader stays registered; no datagram has been taken.
     *
     * @param channel a non-blocking datagram channel, bound
     * @param n the largest datagram to receive whole, {@code >= 1}
     * @return the datagram's bytes and sender
     * @throws IOException if the receive fails (e.g. {@link java.net.PortUnreachableException}
     *     on a connected channel)
     */
    public static Datagram sockRecvfrom(DatagramChannel channel, int n) throws IOException {
        EventLoop loop = EventLoop.requireTask("sockRecvfrom");
        checkChannel("sockRecvfrom", channel);
        if (n < 1) {
            throw new IllegalArgumentException("sockRecvfrom needs n >= 1 bytes, got " + n);
        }
        ByteBuffer buf = ByteBuffer.allocate(n);
        SocketAddress from = recvfromInto(loop, channel, buf);
        return new Datagram(buf.position() == n ? buf.array() : Arrays.copyOf(buf.array(), buf.position()), from);
    }

    /**
     * Receives one datagram into {@code buffer} (asyncio's {@code loop.sock_recvfrom_into()});
     * the buffer's position advances by its length. What does not fit is discarded.
     *
     * <p>Cancellation: no reader stays registered; the buffer is unchanged.
     *
     * @param channel a non-blocking datagram channel, bound
     * @param buffer where to put the datagram
     * @return the sender
     * @throws IOException if the receive fails
     */
    public static SocketAddress sockRecvfromInto(DatagramChannel channel, ByteBuffer buffer) throws IOException {
        EventLoop loop = EventLoop.requireTask("sockRecvfromInto");
        checkChannel("sockRecvfromInto", channel);
        checkBuffer("sockRecvfromInto", buffer);
        return recvfromInto(loop, channel, buffer);
    }

    private static SocketAddress recvfromInto(EventLoop loop, DatagramChannel channel, ByteBuffer buf)
            throws IOException {
        while (true) {
            SocketAddress from = channel.receive(buf);
            if (from != null) {
                return from;
            }
            awaitReadable(loop, channel);
        }
    }

    // ================================================================ sending

    /**
     * Sends every byte between {@code data}'s position and limit (asyncio's
     * {@code loop.sock_sendall()}), suspending while the socket has no room.
     *
     * <p>Cancellation: no writer stays registered; part of the data may have been sent,
     * and unlike in asyncio the caller can tell how much: {@code data}'s position has
     * advanced past exactly the bytes sent.
     *
     * @param channel a non-blocking socket (or any selectable writable channel)
     * @param data the bytes
     * @param <C> the channel type
     * @throws IOException if a write fails (the position shows what was sent before)
     */
    public static <C extends SelectableChannel & WritableByteChannel> void sockSendall(C channel, ByteBuffer data)
            throws IOException {
        EventLoop loop = EventLoop.requireTask("sockSendall");
        checkChannel("sockSendall", channel);
        checkBuffer("sockSendall", data);
        while (data.hasRemaining()) {
            if (channel.write(data) == 0) {
                awaitWritable(loop, channel, null);
            }
        }
    }

    /**
     * Sends all of {@code data} (asyncio's {@code loop.sock_sendall()}).
     *
     * <p>Cancellation: no writer stays registered; a prefix of the data may have been sent.
     *
     * @param channel a non-blocking socket
     * @param data the bytes
     * @param <C> the channel type
     * @throws IOException if a write fails
     */
    public static <C extends SelectableChannel & WritableByteChannel> void sockSendall(C channel, byte[] data)
            throws IOException {
        if (data == null) {
            throw new IllegalArgumentException("sockSendall needs data, got null");
        }
        sockSendall(channel, ByteBuffer.wrap(data));
    }

    /**
     * Sends one datagram to {@code address} (asyncio's {@code loop.sock_sendto()}),
     * suspending while the socket has no room; {@code data}'s position advances to its
     * limit once sent.
     *
     * <p>Cancellation: no writer stays registered; the datagram was not sent (a datagram
     * goes whole or not at all).
     *
     * @param channel a non-blocking datagram channel
     * @param data the datagram
     * @param address the destination; an unresolved host name is resolved off the loop first
     * @return the bytes sent
     * @throws IOException if the send fails
     */
    public static int sockSendto(DatagramChannel channel, ByteBuffer data, SocketAddress address) throws IOException {
        EventLoop loop = EventLoop.requireTask("sockSendto");
        checkChannel("sockSendto", channel);
        checkBuffer("sockSendto", data);
        if (address == null) {
            throw new IllegalArgumentException("sockSendto needs an address, got null");
        }
        SocketAddress to = resolve(address);
        int size = data.remaining();
        while (true) {
            int sent = channel.send(data, to);
            if (sent > 0 || size == 0) {
                return sent;
            }
            awaitWritable(loop, channel, null);
        }
    }

    // ================================================================ connecting, accepting

    /**
     * Connects {@code channel} to {@code address} (asyncio's {@code loop.sock_connect()}),
     * suspending until the connection is made. An unresolved host name is resolved off the
     * loop first (the first address the resolver gives is used).
     *
     * <p>Cancellation: no writer stays registered; the connection attempt may still be in
     * progress in the kernel, so the channel is not usable for another connect: close it.
     *
     * @param channel a non-blocking, unconnected stream socket (TCP or Unix-domain)
     * @param address where to connect
     * @throws ConnectException if the peer refuses; the message names the address
     * @throws IOException if the name cannot be resolved or the connect fails otherwise
     */
    public static void sockConnect(SocketChannel channel, SocketAddress address) throws IOException {
        EventLoop loop = EventLoop.requireTask("sockConnect");
        checkChannel("sockConnect", channel);
        if (address == null) {
            throw new IllegalArgumentException("sockConnect needs an address, got null");
        }
        SocketAddress to = resolve(address);
        try {
            if (!channel.connect(to)) {
                while (!channel.finishConnect()) {
                    awaitWritable(loop, channel, null);
                }
            }
        } catch (IOException e) {
            String msg = "Connect call failed " + describe(to) + ": " + e.getMessage();
            IOException named = e instanceof ConnectException ? new ConnectException(msg) : new IOException(msg);
            named.initCause(e);
            throw named;
        }
    }

    /**
     * Accepts a connection (asyncio's {@code loop.sock_accept()}), suspending until one
     * arrives. The accepted channel is in non-blocking mode; its peer is
     * {@link SocketChannel#getRemoteAddress()} (asyncio returns it beside the socket).
     *
     * <p>Cancellation: no reader stays registered; no connection has been taken from the
     * backlog.
     *
     * @param channel a non-blocking, bound server socket
     * @return the accepted connection, non-blocking
     * @throws IOException if accepting fails
     */
    public static SocketChannel sockAccept(ServerSocketChannel channel) throws IOException {
        EventLoop loop = EventLoop.requireTask("sockAccept");
        checkChannel("sockAccept", channel);
        while (true) {
            SocketChannel accepted = channel.accept();
            if (accepted != null) {
                try {
                    accepted.configureBlocking(false);
                } catch (IOException | RuntimeException e) {
                    SelectorBackend.closeQuietly(accepted);
                    throw e;
                }
                return accepted;
            }
            awaitReadable(loop, channel);
        }
    }

    // ================================================================ sendfile

    /**
     * Sends the whole of {@code file}, from its start, to {@code channel} (asyncio's
     * {@code loop.sock_sendfile(sock, file)}).
     *
     * @param channel a non-blocking, connected stream socket
     * @param file a file open for reading
     * @return the bytes sent
     * @throws IOException if reading the file or writing the socket fails
     * @see #sockSendfile(SocketChannel, FileChannel, long, long)
     */
    public static long sockSendfile(SocketChannel channel, FileChannel file) throws IOException {
        return sockSendfile(channel, file, 0, Long.MAX_VALUE);
    }

    /**
     * Sends {@code count} bytes of {@code file} from {@code offset} (fewer if the file ends
     * first) to {@code channel}, zero-copy ({@link FileChannel#transferTo}, the kernel's
     * {@code sendfile(2)} where it has one), suspending until all is sent (asyncio's
     * {@code loop.sock_sendfile(sock, file, offset, count)}). The file's position is left
     * at {@code offset} plus the bytes sent, as asyncio leaves it.
     *
     * <p>Cancellation: no writer stays registered; the bytes sent so far are gone, and the
     * file's position tells how many.
     *
     * @param channel a non-blocking, connected stream socket
     * @param file a file open for reading
     * @param offset where to start in the file, {@code >= 0}
     * @param count how many bytes to send, {@code > 0}
     * @return the bytes sent
     * @throws IOException if reading the file or writing the socket fails
     * @throws IllegalArgumentException if {@code offset < 0} or {@code count <= 0}
     */
    public static long sockSendfile(SocketChannel channel, FileChannel file, long offset, long count)
            throws IOException {
        EventLoop loop = EventLoop.requireTask("sockSendfile");
        checkChannel("sockSendfile", channel);
        checkSendfile("sockSendfile", file, offset, count);
        return transfer(loop, channel, file, offset, count, null, () -> false);
    }

    /**
     * The sendfile loop, shared with {@link Sendfile}: transfers until {@code count} bytes
     * are sent or the file ends, waiting for writability in between. {@code publish} sees
     * each writability future (so a transport can fail it when its connection is lost);
     * after each wait, {@code abandoned} says whether to stop with an error.
     */
    static long transfer(EventLoop loop, SocketChannel channel, FileChannel file, long offset, long count,
            Consumer<Future<Void>> publish, BooleanSupplier abandoned) throws IOException {
        long sent = 0;
        try {
            while (sent < count) {
                long n = file.transferTo(offset + sent, count - sent, channel);
                if (n > 0) {
                    sent += n;
                    continue;
                }
                if (offset + sent >= file.size()) {
                    break; // the file ended first
                }
                awaitWritable(loop, channel, publish);
                if (abandoned.getAsBoolean()) {
                    throw new IOException("the connection was closed during sendfile, after " + sent + " bytes");
                }
            }
        } finally {
            if (file.isOpen()) {
                file.position(offset + sent);
            }
        }
        return sent;
    }

    static void checkSendfile(String method, FileChannel file, long offset, long count) {
        if (file == null) {
            throw new IllegalArgumentException(method + " needs a file, got null");
        }
        if (offset < 0) {
            throw new IllegalArgumentException(method + " needs offset >= 0, got " + offset);
        }
        if (count <= 0) {
            throw new IllegalArgumentException(method + " needs count > 0, got " + count);
        }
    }

    // ================================================================ waiting

    /** Suspends until {@code channel} is readable; the reader is always removed. */
    private static void awaitReadable(EventLoop loop, SelectableChannel channel) {
        Future<Void> ready = loop.createFuture();
        loop.addReader(channel, () -> wake(ready));
        try {
            ready.await();
        } finally {
            loop.removeReader(channel);
        }
    }

    /**
     * Suspends until {@code channel} is writable (or connected); the writer is always
     * removed. {@code publish}, if given, sees the future before the wait and {@code null}
     * after it.
     */
    static void awaitWritable(EventLoop loop, SelectableChannel channel, Consumer<Future<Void>> publish) {
        Future<Void> ready = loop.createFuture();
        loop.addWriter(channel, () -> wake(ready));
        if (publish != null) {
            publish.accept(ready);
        }
        try {
            ready.await();
        } finally {
            loop.removeWriter(channel);
            if (publish != null) {
                publish.accept(null);
            }
        }
    }

    private static void wake(Future<Void> f) {
        if (!f.done()) {
            f.setResult(null);
        }
    }

    // ================================================================ checks

    private static void checkChannel(String method, SelectableChannel channel) {
        if (channel == null) {
            throw new IllegalArgumentException(method + " needs a channel, got null");
        }
        if (channel.isBlocking()) {
            throw new IllegalArgumentException(method + " needs a non-blocking channel: " + channel
                    + " is in blocking mode; call configureBlocking(false) first");
        }
    }

    private static void checkBuffer(String method, ByteBuffer buffer) {
        if (buffer == null) {
            throw new IllegalArgumentException(method + " needs a buffer, got null");
        }
    }

    /** An unresolved host:port becomes the first address the resolver gives, off the loop. */
    private static SocketAddress resolve(SocketAddress address) throws IOException {
        if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
            return Network.getaddrinfo(inet.getHostString(), inet.getPort()).getFirst();
        }
        return address;
    }

    private static String describe(SocketAddress addr) {
        if (addr instanceof InetSocketAddress a && a.getAddress() != null) {
            return "('" + a.getAddress().getHostAddress() + "', " + a.getPort() + ")";
        }
        return String.valueOf(addr);
    }
}
