package org.asyncio4j.net.tls;

import java.nio.ByteBuffer;
import java.util.List;
import org.asyncio4j.net.BaseProtocol;
import org.asyncio4j.net.Transport;

/**
 * The application's side of a TLS connection (asyncio's {@code _SSLProtocolTransport}): what
 * the application protocol's {@code connectionMade} receives, and what
 * {@code createConnection(..., withSsl(ctx))} and {@code startTls} return. Every call is
 * forwarded to its {@link SSLProtocol}, which holds the state; this object only remembers
 * whether the application closed it.
 *
 * <p>States as {@link org.asyncio4j.net.BaseTransport} draws them: OPEN until {@link #close()}
 * or {@link #abort()} (or the connection is lost); {@code close()} sends
 * {@code close_notify}, waits for the peer's (at most the shutdown timeout), then closes
 * the plain transport, and the protocol's {@code connectionLost(null)} follows. Writes
 * after {@code close()} are dropped (the fifth and later logged), as asyncio's.
 * {@link #canWriteEof()} is false, as asyncio's SSL transport: TLS before 1.3 has no
 * half-close, and asyncio offers none over any version.
 *
 * <p>{@code getExtraInfo}: {@code "ssl_object"} (the {@link javax.net.ssl.SSLEngine}),
 * {@code "peercert"} (the peer's {@link java.security.cert.X509Certificate} or {@code null}),
 * {@code "peercert_chain"}, {@code "cipher"} (the suite's name), {@code "ssl_protocol"},
 * {@code "sslcontext"}, {@code "compression"} ({@code null}), then the plain transport's
 * keys ({@code "peername"}, {@code "sockname"}, {@code "socket"}).
 */
final class SSLProtocolTransport implements Transport {
    private final SSLProtocol ssl;
    /** The application closed or aborted it, or the connection is gone. */
    boolean closed;

    SSLProtocolTransport(SSLProtocol ssl) {
        this.ssl = ssl;
    }

    /** Sends {@code close_notify} and closes after the peer's (asyncio's {@code close()}). Idempotent. */
    @Override
    public void close() {
        ssl.loop().checkThread();
        if (closed) {
            return;
        }
        ssl.startShutdown();
        closed = true;
    }

    @Override
    public boolean isClosing() {
        Transport plain = ssl.plainTransport();
        return closed || plain == null || plain.isClosing();
    }

    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        return ssl.getExtraInfo(name, defaultValue);
    }

    @Override
    public BaseProtocol getProtocol() {
        return ssl.appProtocol();
    }

    @Override
    public void setProtocol(BaseProtocol protocol) {
        ssl.setAppProtocol(protocol);
    }

    @Override
    public void pauseReading() {
        ssl.loop().checkThread();
        if (!closed) {
            ssl.pauseReading();
        }
    }

    @Override
    public void resumeReading() {
        ssl.loop().checkThread();
        if (!closed) {
            ssl.resumeReading();
        }
    }

    @Override
    public boolean isReading() {
        return ssl.isReading();
    }

    @Override
    public void write(ByteBuffer data) {
        ssl.loop().checkThread();
        ssl.write(data);
    }

    @Override
    public void writelines(List<ByteBuffer> data) {
        ssl.loop().checkThread();
        ssl.writeAll(data.toArray(ByteBuffer[]::new));
    }

    /**
     * Not supported over TLS, as in asyncio.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public void writeEof() {
        throw new UnsupportedOperationException("a TLS transport cannot write EOF (asyncio's neither): close() it, "
                + "which sends close_notify");
    }

    @Override
    public boolean canWriteEof() {
        return false;
    }

    @Override
    public void abort() {
        ssl.loop().checkThread();
        ssl.abort(null);
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        ssl.loop().checkThread();
        Transport plain = ssl.plainTransport();
        if (plain != null) {
            plain.setWriteBufferLimits(high, low);
        }
    }

    @Override
    public int getWriteBufferSize() {
        return ssl.getWriteBufferSize();
    }

    @Override
    public int[] getWriteBufferLimits() {
        Transport plain = ssl.plainTransport();
        return plain != null ? plain.getWriteBufferLimits() : new int[] {16 * 1024, 64 * 1024};
    }

    @Override
    public String toString() {
        return "<SSLProtocolTransport " + (closed ? "closed " : "") + ssl + " over " + ssl.plainTransport() + ">";
    }
}
