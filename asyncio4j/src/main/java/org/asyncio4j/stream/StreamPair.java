package org.asyncio4j.stream;

/**
 * A connection's reader and writer: what {@link Streams#openConnection} returns (asyncio
 * returns them as a tuple, {@code reader, writer = await asyncio.open_connection(...)}).
 *
 * <pre>{@code
 * var conn = Streams.openConnection("127.0.0.1", 8888);
 * conn.writer().write(request);
 * byte[] reply = conn.reader().readline();
 * conn.writer().close();
 * }</pre>
 *
 * @param reader the reading half
 * @param writer the writing half
 */
public record StreamPair(StreamReader reader, StreamWriter writer) {
}
