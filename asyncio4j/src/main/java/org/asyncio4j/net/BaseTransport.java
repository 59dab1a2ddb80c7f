package org.asyncio4j.net;

/**
 * What every transport offers (asyncio's {@code asyncio.BaseTransport}). A transport is
 * bound to its loop: call it on the loop's thread only.
 *
 * <pre>
 *   OPEN ──close()──▶ CLOSING (flushing the write buffer) ──flushed──▶ CLOSED
 *     │                                                                  ▲
 *     ├──abort() / fatal error / peer gone ──────────────────────────────┘
 *     └──EOF from the peer (protocol does not stay half-open) ─▶ CLOSING
 * </pre>
 *
 * Reaching CLOSED calls the protocol's {@code connectionLost} once, at a later loop
 * iteration, and closes the socket.
 */
public interface BaseTransport extends AutoCloseable {
    /**
     * Closes the transport (asyncio's {@code close()}): stops reading at once, sends what is
     * buffered, then closes and calls {@code connectionLost(null)}. Idempotent.
     */
    @Override
    void close();

    /** @return whether the transport is closing or closed (asyncio's {@code is_closing()}) */
    boolean isClosing();

    /**
     * Information about the connection (asyncio's {@code get_extra_info}). Keys as in asyncio:
     * {@code "peername"}, {@code "sockname"} (socket addresses), {@code "socket"} (the
     * channel); TLS adds {@code "ssl_object"}, {@code "peercert"}, {@code "cipher"}.
     *
     * @param name the key
     * @return the value, or {@code null} when there is none
     */
    default Object getExtraInfo(String name) {
        return getExtraInfo(name, null);
    }

    /**
     * Like {@link #getExtraInfo(String)} with a default.
     *
     * @param name the key
     * @param defaultValue returned when there is no value
     * @return the value, or {@code defaultValue}
     */
    Object getExtraInfo(String name, Object defaultValue);

    /** @return the protocol the transport calls (asyncio's {@code get_protocol()}) */
    BaseProtocol getProtocol();

    /**
     * Switches the protocol the transport calls from now on (asyncio's {@code set_protocol()}).
     *
     * @param protocol the new protocol
     */
    void setProtocol(BaseProtocol protocol);
}
