package org.asyncio4j.net;

/**
 * A bidirectional stream transport: a TCP or Unix-domain connection (asyncio's
 * {@code asyncio.Transport}). See {@link BaseTransport} for its states,
 * {@link ReadTransport} and {@link WriteTransport} for each side.
 */
public interface Transport extends ReadTransport, WriteTransport {
}
