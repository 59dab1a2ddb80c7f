package org.asyncio4j.net;

/**
 * A transport and its protocol: what {@code createConnection} and friends return (asyncio
 * returns the pair as a tuple, {@code transport, protocol = await loop.create_connection(...)}).
 *
 * @param transport the connection's transport
 * @param protocol the protocol the factory made for it
 * @param <T> the transport type
 * @param <P> the protocol type
 */
public record Connection<T extends BaseTransport, P extends BaseProtocol>(T transport, P protocol) {
}
