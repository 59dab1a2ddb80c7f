package org.asyncio4j.stream;

/**
 * What a stream server does with each connection (asyncio's {@code client_connected_cb}):
 * given the connection's reader and writer.
 *
 * <pre>{@code
 * Server server = Streams.startServer((reader, writer) -> {
 *     for (byte[] line : reader.lines()) {
 *         writer.write(line);
 *         writer.drain();
 *     }
 *     writer.close();
 * }, "127.0.0.1", 8888);
 * }</pre>
 *
 * asyncio accepts a coroutine function (run as a new task per connection) or a plain
 * callback (called inside {@code connection_made}); Java cannot tell the two apart from the
 * lambda, so the server entry point chooses: {@link Streams#startServer} runs it as a task
 * per connection, where it may suspend; {@link Streams#startServerCallback} calls it inline,
 * where it must not suspend (it may start tasks of its own).
 */
@FunctionalInterface
public interface ClientConnected {
    /**
     * Handles one connection. Returning does not close it (as in asyncio): close the writer.
     * An exception is reported to the loop's exception handler and closes the connection;
     * the server goes on.
     *
     * @param reader the connection's reader
     * @param writer the connection's writer
     * @throws Exception anything; reported as {@code "Unhandled exception in client_connected_cb"}
     */
    void handle(StreamReader reader, StreamWriter writer) throws Exception;
}
