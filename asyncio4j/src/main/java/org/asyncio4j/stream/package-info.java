/**
 * Streams: asyncio's high-level networking ({@code asyncio.open_connection},
 * {@code asyncio.start_server}, {@code StreamReader}, {@code StreamWriter}), built on the
 * transports and protocols of {@link org.asyncio4j.net} and the kernel, and nothing else.
 *
 * <pre>{@code
 * AsyncIO.run(() -> {
 *     Server server = Streams.startServer((reader, writer) -> {
 *         for (byte[] line : reader.lines()) {   // until EOF
 *             writer.write(line);
 *             writer.drain();
 *         }
 *         writer.close();
 *     }, "127.0.0.1", 8888);
 *
 *     StreamPair conn = Streams.openConnection("127.0.0.1", 8888);
 *     conn.writer().write("ping\n".getBytes(US_ASCII));
 *     System.out.println(new String(conn.reader().readline(), US_ASCII));
 *     conn.writer().close();
 *     conn.writer().waitClosed();
 *     server.close();
 * });
 * }</pre>
 *
 * <h2>The pieces</h2>
 * <ul>
 *   <li>{@link org.asyncio4j.stream.StreamReader}: buffered reads by size, line or separator,
 *       with a limit that bounds lines and drives back-pressure on the transport;
 *   <li>{@link org.asyncio4j.stream.StreamWriter}: writes that never suspend, and
 *       {@code drain()} for flow control;
 *   <li>{@link org.asyncio4j.stream.StreamReaderProtocol}: the protocol between a transport
 *       and the two;
 *   <li>{@link org.asyncio4j.stream.Streams}: the entry points, returning a
 *       {@link org.asyncio4j.stream.StreamPair} or a {@link org.asyncio4j.net.Server};
 *   <li>{@link org.asyncio4j.stream.IncompleteReadError} and
 *       {@link org.asyncio4j.stream.LimitOverrunError}: asyncio's two stream errors, both
 *       {@code IOException}s here.
 * </ul>
 *
 * <h2>Cancellation</h2>
 * Every suspending method is cancel-safe: a cancelled read consumes nothing (the buffered
 * bytes are returned by the next read), a cancelled {@code drain()} leaves the data
 * buffered in the transport (it is still sent), a cancelled {@code waitClosed()} or
 * connection attempt leaves nothing behind.
 */
package org.asyncio4j.stream;
