package org.asyncio4j.examples;

import static org.asyncio4j.AsyncIO.run;
import static org.asyncio4j.AsyncIO.startServer;

import java.io.IOException;
import org.asyncio4j.net.Server;
import org.asyncio4j.stream.StreamReader;
import org.asyncio4j.stream.StreamWriter;

/**
 * A TCP echo server on streams: every line a client sends comes back to it, until the
 * client closes. Serves until stopped (Ctrl-C). Try it with {@link EchoClient}, or
 * {@code nc 127.0.0.1 8888}.
 *
 * <pre>
 *   java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED \
 *        -cp examples/target/asyncio4j-examples.jar org.asyncio4j.examples.EchoServer [port]
 * </pre>
 *
 * The asyncio program it mirrors:
 *
 * <pre>{@code
 * async def handle(reader, writer):
 *     async for line in reader:
 *         writer.write(line)
 *         await writer.drain()
 *     writer.close()
 *     await writer.wait_closed()
 *
 * async def main(port=8888):
 *     server = await asyncio.start_server(handle, "127.0.0.1", port)
 *     print("serving on", server.sockets[0].getsockname())
 *     async with server:
 *         await server.serve_forever()
 *
 * asyncio.run(main())
 * }</pre>
 */
public final class EchoServer {
    private EchoServer() {
    }

    /** Serves one connection: a task of its own, so it may suspend as long as it likes. */
    static void handle(StreamReader reader, StreamWriter writer) throws Exception {
        for (byte[] line : reader.lines()) {       // async for line in reader (ends at EOF)
            writer.write(line);
            writer.drain();                        // wait while the client reads slowly
        }
        writer.close();
        writer.waitClosed();
    }

    /**
     * @param args optional port (default 8888)
     */
    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8888;
        run(() -> {
            Server server = startServer(EchoServer::handle, "127.0.0.1", port);
            System.out.println("serving on " + server.sockets().get(0).getLocalAddress());
            try (server) {
                server.serveForever();
            }
        });
    }
}
