package org.asyncio4j.net;

/**
 * The callbacks every protocol has (asyncio's {@code asyncio.BaseProtocol}). A transport
 * calls them on its loop's thread, in the context it was made in, in this order:
 *
 * <pre>
 *   connectionMade ──▶ (dataReceived | bufferUpdated | datagramReceived)* ──▶ eofReceived? ──▶ connectionLost
 *                      pauseWriting / resumeWriting, alternating, at any point between made and lost
 * </pre>
 *
 * {@link #connectionMade} is called exactly once and {@link #connectionLost} exactly once
 * after it, whatever happens; nothing is called after {@code connectionLost}. A callback
 * that throws is reported to the loop's exception handler (with the transport and the
 * protocol) and the connection is closed with that error; the loop and other connections
 * go on.
 */
public interface BaseProtocol {
    /**
     * The connection is made (asyncio's {@code connection_made}). Keep the transport to
     * write to it.
     *
     * @param transport the transport of this connection
     */
    default void connectionMade(BaseTransport transport) {
    }

    /**
     * The connection is lost or closed (asyncio's {@code connection_lost}).
     *
     * @param exc the error that ended it, or {@code null} for a regular close or EOF
     */
    default void connectionLost(Throwable exc) {
    }

    /**
     * The transport's write buffer went over its high-water mark (asyncio's
     * {@code pause_writing}): stop writing until {@link #resumeWriting()}. Writes made
     * meanwhile are still buffered; this is advice, not a refusal.
     */
    default void pauseWriting() {
    }

    /** The write buffer drained to its low-water mark (asyncio's {@code resume_writing}). */
    default void resumeWriting() {
    }
}
