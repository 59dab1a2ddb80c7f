package org.asyncio4j.net.tls;

import java.net.SocketException;

/**
 * The connection was aborted by this side (Python's built-in {@code ConnectionAbortedError},
 * an {@code OSError}). asyncio's TLS layer raises it when the handshake takes longer than
 * its timeout: {@code SSL handshake is taking longer than 60.0 seconds: aborting the
 * connection}, and so does asyncio4j's, with the same message.
 *
 * <p>It is a {@link SocketException}, so code that catches {@code IOException} around a
 * connection attempt sees it as the I/O error it is. Why not {@code TimeoutError} or
 * {@link java.net.SocketTimeoutException}: asyncio chose to report a handshake that never
 * finishes as an aborted connection (the socket is closed under the handshake), and this
 * keeps its name and its place in the hierarchy.
 */
public class ConnectionAbortedError extends SocketException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was aborted and why
     */
    public ConnectionAbortedError(String message) {
        super(message);
    }
}
