package org.asyncio4j.stream;

import java.io.IOException;
import java.nio.file.Path;
import org.asyncio4j.net.Connection;
import org.asyncio4j.net.ConnectionOptions;
import org.asyncio4j.net.Network;
import org.asyncio4j.net.Server;
import org.asyncio4j.net.ServerOptions;
import org.asyncio4j.net.Transport;

/**
 * The stream entry points (asyncio's {@code asyncio.open_connection},
 * {@code asyncio.start_server}, {@code asyncio.open_unix_connection},
 * {@code asyncio.start_unix_server}); {@code AsyncIO} offers the same methods.
 *
 * <pre>{@code
 * Server server = Streams.startServer((reader, writer) -> {     // a task per connection
 *     byte[] data;
 *     while ((data = reader.read(65536)).length > 0) {
 *         writer.write(data);
 *         writer.drain();
 *     }
 *     writer.close();
 * }, "127.0.0.1", 0);
 *
 * StreamPair conn = Streams.openConnection("127.0.0.1", port);
 * conn.writer().write("hello\n".getBytes(US_ASCII));
 * byte[] echoed = conn.reader().readline();
 * }</pre>
 *
 * <p>Every method here suspends (they connect or resolve names), so each must run inside
 * a task. {@code limit} is the {@link StreamReader}'s buffer limit (asyncio's
 * {@code limit=}, 64 KiB by default). The options are those of the transports'
 * {@link Network} methods (asyncio's other keyword arguments).
 *
 * <p>Implementation overview: each entry point makes a {@link StreamReader} and a
 * {@link StreamReaderProtocol} per connection and hands the protocol to {@link Network}; a
 * client then makes the {@link StreamWriter}, a server connection's protocol makes it in
 * {@code connectionMade} and runs the handler.
 */
public final class Streams {
    private Streams() {
    }

    // ================================================================ clients

    /**
     * Suspending: opens a TCP connection with asyncio's defaults (asyncio's
     * {@code open_connection(host, port)}).
     *
     * <p>Cancellation: the connection attempt is abandoned and its socket closed.
     *
     * @param host a name or an IP literal
     * @param port 0 to 65535
     * @return the connection's reader and writer
     * @throws IOException if the name cannot be resolved or no address accepts
     * @throws IllegalStateException if called outside a task
     */
    public static StreamPair openConnection(String host, int port) throws IOException {
        return openConnection(host, port, ConnectionOptions.DEFAULTS, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * Suspending: {@link #openConnection(String, int)} with options (local address,
     * {@code TCP_NODELAY}, connect timeout).
     *
     * @param host a name or an IP literal
     * @param port 0 to 65535
     * @param options the connection options
     * @return the connection's reader and writer
     * @throws IOException if the name cannot be resolved or no address accepts
     */
    public static StreamPair openConnection(String host, int port, ConnectionOptions options) throws IOException {
        return openConnection(host, port, options, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * Suspending: {@link #openConnection(String, int)} with options and the reader's limit
     * (asyncio's {@code open_connection(host, port, limit=, **kwds)}).
     *
     * <p>Cancellation: the connection attempt is abandoned and its socket closed.
     *
     * @param host a name or an IP literal
     * @param port 0 to 65535
     * @param options the connection options
     * @param limit the reader's buffer limit in bytes
     * @return the connection's reader and writer
     * @throws IOException if the name cannot be resolved or no address accepts
     * @throws IllegalArgumentException if {@code limit <= 0}, the host is null or the port out of range
     * @throws IllegalStateException if called outside a task
     */
    public static StreamPair openConnection(String host, int port, ConnectionOptions options, int limit)
            throws IOException {
        StreamReader reader = new StreamReader(limit);
        StreamReaderProtocol protocol = new StreamReaderProtocol(reader);
        Connection<Transport, StreamReaderProtocol> c = Network.createConnection(() -> protocol, host, port, options);
        return new StreamPair(reader, new StreamWriter(c.transport(), protocol, reader));
    }

    /**
     * Suspending: connects to a Unix-domain socket (asyncio's {@code open_unix_connection(path)}).
     *
     * <p>Cancellation: the connection attempt is abandoned and its socket closed.
     *
     * @param path the socket file
     * @return the connection's reader and writer
     * @throws IOException if nothing listens there
     */
    public static StreamPair openUnixConnection(Path path) throws IOException {
        return openUnixConnection(path, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * Suspending: {@link #openUnixConnection(Path)} with the reader's limit.
     *
     * @param path the socket file
     * @param limit the reader's buffer limit in bytes
     * @return the connection's reader and writer
     * @throws IOException if nothing listens there
     * @throws IllegalArgumentException if {@code limit <= 0} or the path is null
     */
    public static StreamPair openUnixConnection(Path path, int limit) throws IOException {
        StreamReader reader = new StreamReader(limit);
        StreamReaderProtocol protocol = new StreamReaderProtocol(reader);
        Connection<Transport, StreamReaderProtocol> c = Network.createUnixConnection(() -> protocol, path);
        return new StreamPair(reader, new StreamWriter(c.transport(), protocol, reader));
    }

    // ================================================================ servers

    /**
     * Suspending: listens on {@code host}:{@code port} and runs {@code clientConnected} as a
     * new task for each connection (asyncio's {@code start_server(client_connected_cb, host,
     * port)} with a coroutine function). A handler that fails is reported to the loop's
     * exception handler and its connection closed; the server goes on.
     *
     * @param clientConnected the per-connection handler; may suspend
     * @param host a name or an IP literal, or {@code null} for every interface
     * @param port 0 to 65535; 0 picks a free port
     * @return the server, accepting
     * @throws IOException if the name cannot be resolved or the address cannot be bound
     * @throws IllegalStateException if called outside a task
     */
    public static Server startServer(ClientConnected clientConnected, String host, int port) throws IOException {
        return startServer(clientConnected, host, port, ServerOptions.DEFAULTS, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * Suspending: {@link #startServer(ClientConnected, String, int)} with options (backlog,
     * reuse, start serving).
     *
     * @param clientConnected the per-connection handler; may suspend
     * @param host a name or an IP literal, or {@code null}
     * @param port 0 to 65535
     * @param options the server options
     * @return the server
     * @throws IOException if the name cannot be resolved or the address cannot be bound
     */
    public static Server startServer(ClientConnected clientConnected, String host, int port, ServerOptions options)
            throws IOException {
        return startServer(clientConnected, host, port, options, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * Suspending: {@link #startServer(ClientConnected, String, int)} with options and each
     * reader's limit (asyncio's {@code start_server(cb, host, port, limit=, **kwds)}).
     *
     * @param clientConnected the per-connection handler, run as a task; may suspend
     * @param host a name or an IP literal, or {@code null}
     * @param port 0 to 65535
     * @param options the server options
     * @param limit each reader's buffer limit in bytes
     * @return the server
     * @throws IOException if the name cannot be resolved or the address cannot be bound
     * @throws IllegalArgumentException if {@code limit <= 0} or the port is out of range
     * @throws NullPointerException if {@code clientConnected} is null
     */
    public static Server startServer(ClientConnected clientConnected, String host, int port, ServerOptions options,
            int limit) throws IOException {
        checkServer(clientConnected, limit);
        return Network.createServer(() -> new StreamReaderProtocol(new StreamReader(limit), clientConnected), host,
                port, options);
    }

    /**
     * Suspending: like {@link #startServer(ClientConnected, String, int)}, but calls
     * {@code clientConnected} inside the connection's {@code connectionMade} instead of
     * starting a task (asyncio's {@code start_server} with a plain function). The callback
     * must not suspend; it typically starts tasks of its own. If it throws, the error is
     * reported and that connection closed.
     *
     * @param clientConnected the per-connection callback; must not suspend
     * @param host a name or an IP literal, or {@code null}
     * @param port 0 to 65535
     * @return the server, accepting
     * @throws IOException if the name cannot be resolved or the address cannot be bound
     */
    public static Server startServerCallback(ClientConnected clientConnected, String host, int port)
            throws IOException {
        return startServerCallback(clientConnected, host, port, ServerOptions.DEFAULTS, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * Suspending: {@link #startServerCallback(ClientConnected, String, int)} with options and
     * each reader's limit.
     *
     * @param clientConnected the per-connection callback; must not suspend
     * @param host a name or an IP literal, or {@code null}
     * @param port 0 to 65535
     * @param options the server options
     * @param limit each reader's buffer limit in bytes
     * @return the server
     * @throws IOException if the name cannot be resolved or the address cannot be bound
     */
    public static Server startServerCallback(ClientConnected clientConnected, String host, int port,
            ServerOptions options, int limit) throws IOException {
        checkServer(clientConnected, limit);
        return Network.createServer(() -> StreamReaderProtocol.withCallback(new StreamReader(limit), clientConnected),
                host, port, options);
    }

    /**
     * Suspending: listens on a Unix-domain socket and runs {@code clientConnected} as a new
     * task per connection (asyncio's {@code start_unix_server(client_connected_cb, path)}).
     * The socket file is removed when the server closes.
     *
     * @param clientConnected the per-connection handler; may suspend
     * @param path the socket file; must not exist
     * @return the server, accepting
     * @throws IOException if the path exists or cannot be bound
     */
    public static Server startUnixServer(ClientConnected clientConnected, Path path) throws IOException {
        return startUnixServer(clientConnected, path, ServerOptions.DEFAULTS, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * Suspending: {@link #startUnixServer(ClientConnected, Path)} with options and each
     * reader's limit.
     *
     * @param clientConnected the per-connection handler; may suspend
     * @param path the socket file; must not exist
     * @param options backlog and start serving
     * @param limit each reader's buffer limit in bytes
     * @return the server
     * @throws IOException if the path exists or cannot be bound
     */
    public static Server startUnixServer(ClientConnected clientConnected, Path path, ServerOptions options, int limit)
            throws IOException {
        checkServer(clientConnected, limit);
        return Network.createUnixServer(() -> new StreamReaderProtocol(new StreamReader(limit), clientConnected), path,
                options);
    }

    private static void checkServer(ClientConnected clientConnected, int limit) {
        if (clientConnected == null) {
            throw new NullPointerException("clientConnected handler must not be null");
        }
        if (limit <= 0) {
            throw new IllegalArgumentException("StreamReader limit must be > 0 bytes, got " + limit);
        }
    }
}
