package org.asyncio4j.examples;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.asyncio4j.AsyncIO.run;
import static org.asyncio4j.AsyncIO.startServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Locale;
import org.asyncio4j.net.Server;
import org.asyncio4j.stream.StreamReader;
import org.asyncio4j.stream.StreamWriter;

/**
 * A minimal HTTP/1.1 server on streams: for every request it reads the request line and
 * the headers up to the blank line (and skips a body announced by {@code Content-Length}),
 * then answers {@code Hello, World!} with a {@code Content-Length}, keeping the connection
 * alive unless the client asks to close it (or speaks HTTP/1.0). Listens on 127.0.0.1 only;
 * serves until stopped (Ctrl-C). {@code bench/run http_hello} drives it with wrk.
 *
 * <pre>
 *   java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED \
 *        -cp examples/target/asyncio4j-examples.jar org.asyncio4j.examples.HttpHello [port]
 *   curl http://127.0.0.1:8080/
 * </pre>
 *
 * The asyncio program it mirrors:
 *
 * <pre>{@code
 * RESPONSE = (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
 *             b"Content-Length: 13\r\n\r\nHello, World!")
 *
 * async def handle(reader, writer):
 *     while request_line := await reader.readline():
 *         keep_alive = request_line.rstrip().endswith(b"HTTP/1.1")
 *         length = 0
 *         while (header := await reader.readline()) not in (b"\r\n", b"\n", b""):
 *             name, _, value = header.decode("latin-1").partition(":")
 *             name, value = name.strip().lower(), value.strip().lower()
 *             if name == "connection":
 *                 keep_alive = value != "close" if keep_alive else value == "keep-alive"
 *             elif name == "content-length":
 *                 length = int(value)
 *         await reader.readexactly(length)
 *         writer.write(RESPONSE)
 *         await writer.drain()
 *         if not keep_alive:
 *             break
 *     writer.close()
 *
 * async def main(port=8080):
 *     server = await asyncio.start_server(handle, "127.0.0.1", port)
 *     await server.serve_forever()
 * }</pre>
 */
public final class HttpHello {
    private HttpHello() {
    }

    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Length: 13\r\n"
            + "\r\n"
            + "Hello, World!").getBytes(US_ASCII);

    private static final byte[] CLOSE_RESPONSE = ("HTTP/1.1 200 OK\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Length: 13\r\n"
            + "Connection: close\r\n"
            + "\r\n"
            + "Hello, World!").getBytes(US_ASCII);

    /** Serves one connection, request after request, in a task of its own. */
    static void handle(StreamReader reader, StreamWriter writer) throws Exception {
        try {
            byte[] requestLine;
            while ((requestLine = reader.readline()).length > 0) {     // empty at EOF
                boolean keepAlive = new String(requestLine, US_ASCII).strip().endsWith("HTTP/1.1");
                int length = 0;
                while (true) {
                    byte[] header = reader.readline();
                    if (header.length == 0 || isBlank(header)) {
                        break;
                    }
                    String h = new String(header, US_ASCII);
                    int colon = h.indexOf(':');
                    if (colon < 0) {
                        continue;
                    }
                    String name = h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                    String value = h.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
                    if (name.equals("connection")) {
                        keepAlive = keepAlive ? !value.equals("close") : value.equals("keep-alive");
                    } else if (name.equals("content-length")) {
                        length = Integer.parseInt(value);
                    }
                }
                if (length > 0) {
                    reader.readexactly(length);                      // a body we do not need
                }
                writer.write(keepAlive ? RESPONSE : CLOSE_RESPONSE);
                writer.drain();
                if (!keepAlive) {
                    break;
                }
            }
        } finally {
            writer.close();
        }
    }

    private static boolean isBlank(byte[] line) {
        return line.length == 1 && line[0] == '\n' || line.length == 2 && line[0] == '\r' && line[1] == '\n';
    }

    /**
     * @param args optional port (default 8080)
     */
    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        run(() -> {
            Server server = startServer(HttpHello::handle, "127.0.0.1", port);
            int bound = ((InetSocketAddress) server.sockets().get(0).getLocalAddress()).getPort();
            System.out.println("serving http://127.0.0.1:" + bound + "/");
            try (server) {
                server.serveForever();
            }
        });
    }
}
