package org.asyncio4j.net.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.asyncio4j.future.Future;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.net.BaseProtocol;
import org.asyncio4j.net.BaseTransport;
import org.asyncio4j.net.BufferedProtocol;
import org.asyncio4j.net.Protocol;
import org.asyncio4j.net.Transport;

/**
 * Sends a file over a transport (asyncio's {@code loop.sendfile(transport, file, offset,
 * count, fallback=True)}).
 *
 * <p>Implementation overview. Two paths, as in asyncio:
 * <ul>
 *   <li><b>native</b>, for a {@link SocketTransport}: reading is paused; the transport is
 *       put in sendfile mode ({@link SocketTransport#sendfileListener}: its writes are
 *       refused and it tells us when its write buffer is empty and when the connection is
 *       lost); once the buffer is empty the file goes straight from the page cache to the
 *       socket with {@link FileChannel#transferTo} ({@link SocketOps#transfer}); then the
 *       mode ends and reading resumes if it was on.
 *   <li><b>fallback</b>, for any other {@link Transport} (TLS, a user's own): a stand-in
 *       protocol ({@link FallbackProtocol}, asyncio's {@code _SendfileFallbackProtocol})
 *       takes the transport's callbacks for the duration, reading is paused, and the file
 *       is read in chunks off the loop thread and written with {@code transport.write},
 *       waiting whenever the transport has paused writing. The original protocol gets
 *       {@code connectionLost} if the connection ends meanwhile, and afterwards any
 *       pause/resume it missed, so its view of flow control stays right.
 * </ul>
 */
public final class Sendfile {
    /** Bytes read from the file per write on the fallback path (the default high-water mark). */
    static final int CHUNK = 64 * 1024;

    private Sendfile() {
    }

    /**
     * Sends the whole file, from its start (asyncio's {@code loop.sendfile(transport, file)}).
     *
     * @param transport an open stream transport
     * @param file a file open for reading
     * @return the bytes sent
     * @throws IOException if reading the file or writing the socket fails, or the
     *     connection is lost meanwhile
     * @see #sendfile(Transport, FileChannel, long, long)
     */
    public static long sendfile(Transport transport, FileChannel file) throws IOException {
        return sendfile(transport, file, 0, Long.MAX_VALUE);
    }

    /**
     * Sends {@code count} bytes of {@code file} from {@code offset} (fewer if the file ends
     * first) over {@code transport}, suspending until they are sent (asyncio's
     * {@code loop.sendfile()}). On a TCP or Unix-domain transport of this package the
     * transfer is zero-copy ({@code sendfile(2)}) and starts once the transport's write
     * buffer is empty; on any other transport the file is read in chunks and written with
     * {@code write()}, honouring {@code pauseWriting}. Meanwhile the transport does not
     * read, and the transport's {@code write()} throws {@link IllegalStateException}
     * ({@code unable to write; sendfile is in progress}) on the zero-copy path. The file's
     * position is left at {@code offset} plus the bytes sent.
     *
     * <p>Cancellation: the transport is given back as it was (its reading resumes if it was
     * reading, writes are accepted again); the bytes sent so far are gone, and the file's
     * position tells how many. On the fallback path they may still sit in the transport's
     * write buffer, and go out from there.
     *
     * @param transport an open stream transport
     * @param file a file open for reading
     * @param offset where to start in the file, {@code >= 0}
     * @param count how many bytes to send, {@code > 0}
     * @return the bytes sent (on the fallback path: handed to {@code write()})
     * @throws IOException if reading the file or writing the socket fails, or the
     *     connection is lost meanwhile
     * @throws IllegalStateException if the transport is closing (asyncio's
     *     {@code RuntimeError('Transport is closing')}), or called outside a task
     * @throws IllegalArgumentException if {@code offset < 0} or {@code count <= 0}
     */
    public static long sendfile(Transport transport, FileChannel file, long offset, long count) throws IOException {
        EventLoop loop = EventLoop.requireTask("sendfile");
        if (transport == null) {
            throw new IllegalArgumentException("sendfile needs a transport, got null");
        }
        SocketOps.checkSendfile("sendfile", file, offset, count);
        if (transport.isClosing()) {
            throw new IllegalStateException("Transport is closing: " + transport);
        }
        if (transport instanceof SocketTransport st) {
            return zeroCopy(loop, st, file, offset, count);
        }
        return fallback(loop, transport, file, offset, count);
    }

    private static long zeroCopy(EventLoop loop, SocketTransport transport, FileChannel file, long offset, long count)
            throws IOException {
        boolean resumeReading = transport.isReading();
        transport.pauseReading();
        // the future sendfile awaits now: the buffer draining, or the socket being writable
        @SuppressWarnings("unchecked")
        Future<Void>[] waiting = new Future[1];
        transport.sendfileListener(() -> {
            Future<Void> f = waiting[0];
            if (f != null && !f.done()) {
                f.setResult(null);
            }
        });
        try {
            while (transport.getWriteBufferSize() > 0 && !transport.isClosing()) {
                waiting[0] = loop.createFuture();
                try {
                    waiting[0].await();
                } finally {
                    waiting[0] = null;
                }
            }
            if (transport.isClosing()) {
                throw new IOException("the connection was closed before sendfile could start: " + transport);
            }
            return SocketOps.transfer(loop, transport.channel(), file, offset, count, f -> waiting[0] = f,
                    transport::isClosing);
        } finally {
            transport.sendfileListener(null);
            if (resumeReading) {
                transport.resumeReading();
            }
        }
    }

    /** The chunked path; package-private so that tests can run it on a socket transport too. */
    static long fallback(EventLoop loop, Transport transport, FileChannel file, long offset, long count)
            throws IOException {
        FallbackProtocol proxy = new FallbackProtocol(loop, transport);
        long sent = 0;
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, count));
        try {
            while (sent < count) {
                buf.clear().limit((int) Math.min(buf.capacity(), count - sent));
                long at = offset + sent;
                int n = loop.runInExecutor(null, () -> file.read(buf, at)).await();
                if (n <= 0) {
                    break; // the file ended first
                }
                proxy.drain();
                buf.flip();
                transport.write(buf);
                sent += n;
            }
        } finally {
            if (file.isOpen()) {
                file.position(offset + sent);
            }
            proxy.restore();
        }
        return sent;
    }

    /**
     * Stands in for the transport's protocol during a fallback sendfile (asyncio's
     * {@code _SendfileFallbackProtocol}): tracks the transport's pause/resume, forwards
     * data and loss to the original protocol, and on {@link #restore} gives the transport
     * back with the original protocol told of any flow-control change it missed.
     */
    private static final class FallbackProtocol implements Protocol {
        private static final int NONE = 0;
        private static final int PAUSED = 1;
        private static final int RESUMED = 2;

        private final EventLoop loop;
        private final Transport transport;
        private final BaseProtocol original;
        private final boolean resumeReading;
        /** The first and the last pause/resume the transport sent while we stood in. */
        private int first = NONE;
        private int last = NONE;
        private boolean lost;
        private Throwable lostWith;
        /** What {@link #drain} awaits, or {@code null}. */
        private Future<Void> waiter;

        FallbackProtocol(EventLoop loop, Transport transport) {
            this.loop = loop;
            this.transport = transport;
            this.original = transport.getProtocol();
            this.resumeReading = transport.isReading();
            transport.pauseReading();
            transport.setProtocol(this);
        }

        /**
         * Suspends while the transport is paused. Before the first pause or resume we see,
         * a buffer above the high-water mark means the transport paused before we stood in.
         */
        void drain() throws IOException {
            while (!lost && (last == PAUSED || last == NONE
                    && transport.getWriteBufferSize() > transport.getWriteBufferLimits()[1])) {
                waiter = loop.createFuture();
                try {
                    waiter.await();
                } finally {
                    waiter = null;
                }
            }
            if (lost) {
                IOException e = new IOException("the connection was lost during sendfile");
                if (lostWith != null) {
                    e.initCause(lostWith);
                }
                throw e;
            }
        }

        void restore() {
            transport.setProtocol(original);
            if (lost) {
                return;
            }
            if (resumeReading) {
                transport.resumeReading();
            }
            if (first == NONE) {
                return;
            }
            boolean pausedBefore = first == RESUMED;
            boolean pausedNow = last == PAUSED;
            if (pausedBefore && !pausedNow) {
                original.resumeWriting();
            } else if (!pausedBefore && pausedNow) {
                original.pauseWriting();
            }
        }

        private void event(int e) {
            if (first == NONE) {
                first = e;
            }
            last = e;
            wake();
        }

        private void wake() {
            if (waiter != null && !waiter.done()) {
                waiter.setResult(null);
            }
        }

        @Override
        public void pauseWriting() {
            event(PAUSED);
        }

        @Override
        public void resumeWriting() {
            event(RESUMED);
        }

        @Override
        public void connectionMade(BaseTransport t) {
            throw new IllegalStateException("sendfile: connectionMade on a connection already made");
        }

        @Override
        public void connectionLost(Throwable exc) {
            lost = true;
            lostWith = exc;
            wake();
            original.connectionLost(exc);
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            // reading is paused, but a transport may deliver what it had already read
            if (original instanceof Protocol p) {
                p.dataReceived(data);
            } else if (original instanceof BufferedProtocol b) {
                while (data.hasRemaining()) {
                    ByteBuffer into = b.getBuffer(data.remaining());
                    int n = Math.min(into.remaining(), data.remaining());
                    into.put(data.slice(data.position(), n));
                    data.position(data.position() + n);
                    b.bufferUpdated(n);
                }
            }
        }

        @Override
        public boolean eofReceived() {
            if (original instanceof Protocol p) {
                return p.eofReceived();
            }
            return original instanceof BufferedProtocol b && b.eofReceived();
        }
    }
}
