package org.asyncio4j.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.asyncio4j.AsyncIO.openConnection;
import static org.asyncio4j.AsyncIO.run;

import java.io.IOException;
import java.util.Arrays;
import org.asyncio4j.stream.StreamPair;

/**
 * A TCP echo client on streams: connects to {@link EchoServer}, sends a few lines, prints
 * each echo and closes.
 *
 * <pre>
 *   java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED \
 *        -cp examples/target/asyncio4j-examples.jar org.asyncio4j.examples.EchoClient [port] [message...]
 * </pre>
 *
 * The asyncio program it mirrors:
 *
 * <pre>{@code
 * async def main(port=8888, messages=("hello", "world")):
 *     reader, writer = await asyncio.open_connection("127.0.0.1", port)
 *     for message in messages:
 *         writer.write(message.encode() + b"\n")
 *         await writer.drain()
 *         line = await reader.readline()
 *         print("echo:", line.decode().rstrip())
 *     writer.close()
 *     await writer.wait_closed()
 *
 * asyncio.run(main())
 * }</pre>
 */
public final class EchoClient {
    private EchoClient() {
    }

    /**
     * @param args optional port (default 8888), then the messages (default: hello, world)
     */
    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8888;
        String[] messages = args.length > 1 ? Arrays.copyOfRange(args, 1, args.length)
                : new String[] {"hello", "world"};
        run(() -> {
            StreamPair conn = openConnection("127.0.0.1", port);   // reader, writer = ...
            converse(conn, messages);
        });
    }

    /** Sends each message as a line, prints its echo, then closes (the body of main above). */
    static void converse(StreamPair conn, String[] messages) throws IOException {
        for (String message : messages) {
            conn.writer().write((message + "\n").getBytes(UTF_8));
            conn.writer().drain();
            byte[] line = conn.reader().readline();
            System.out.println("echo: " + new String(line, UTF_8).stripTrailing());
        }
        conn.writer().close();
        conn.writer().waitClosed();
    }
}
