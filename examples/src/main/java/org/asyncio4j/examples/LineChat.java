package org.asyncio4j.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.asyncio4j.AsyncIO.createTask;
import static org.asyncio4j.AsyncIO.gather;
import static org.asyncio4j.AsyncIO.getRunningLoop;
import static org.asyncio4j.AsyncIO.openConnection;
import static org.asyncio4j.AsyncIO.run;
import static org.asyncio4j.AsyncIO.sleep;
import static org.asyncio4j.AsyncIO.startServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.asyncio4j.future.Task;
import org.asyncio4j.net.Server;
import org.asyncio4j.stream.StreamPair;
import org.asyncio4j.stream.StreamReader;
import org.asyncio4j.stream.StreamWriter;

/**
 * A line chat: each client sends its name, then lines; the server broadcasts every line,
 * as {@code name: text}, to all the other clients, and announces who joins and leaves.
 *
 * <pre>
 *   java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED \
 *        -cp examples/target/asyncio4j-examples.jar org.asyncio4j.examples.LineChat          # scripted demo
 *   java ... org.asyncio4j.examples.LineChat serve [port]     # serve until Ctrl-C (default 8889); nc 127.0.0.1 8889
 * </pre>
 *
 * Without arguments it runs a scripted demo in one loop and then exits: the server on a
 * free port and three clients (alice, bob, carol) that join, talk and leave on a schedule,
 * each printing what it receives.
 *
 * <p>The asyncio program it mirrors:
 *
 * <pre>{@code
 * clients = set()
 *
 * def broadcast(message, sender=None):
 *     for w in clients:
 *         if w is not sender:
 *             w.write(message)        # no drain: one slow client must not stall the rest
 *
 * async def handle(reader, writer):
 *     name = (await reader.readline()).decode().strip()
 *     broadcast(f"* {name} joined\n".encode())
 *     clients.add(writer)
 *     try:
 *         async for line in reader:
 *             broadcast(f"{name}: {line.decode().strip()}\n".encode(), writer)
 *     finally:
 *         clients.discard(writer)
 *         broadcast(f"* {name} left\n".encode())
 *         writer.close()
 *
 * async def main(port=8889):
 *     server = await asyncio.start_server(handle, "127.0.0.1", port)
 *     await server.serve_forever()
 * }</pre>
 */
public final class LineChat {
    private LineChat() {
    }

    /** The chat room: the writers of every client that has said its name. */
    static final class Room {
        private final Set<StreamWriter> clients = new LinkedHashSet<>();

        /** Writes to everyone but the sender; does not drain (a slow reader must not stall the room). */
        void broadcast(String message, StreamWriter sender) {
            byte[] bytes = message.getBytes(UTF_8);
            for (StreamWriter w : clients) {
                if (w != sender && !w.isClosing()) {
                    w.write(bytes);
                }
            }
        }

        /** Serves one client, in a task of its own. */
        void handle(StreamReader reader, StreamWriter writer) throws Exception {
            String name = new String(reader.readline(), UTF_8).strip();
            if (name.isEmpty()) {
                writer.close();
                return;
            }
            broadcast("* " + name + " joined\n", null);
            clients.add(writer);
            try {
                for (byte[] line : reader.lines()) {
                    broadcast(name + ": " + new String(line, UTF_8).strip() + "\n", writer);
                }
            } finally {
                clients.remove(writer);
                broadcast("* " + name + " left\n", null);
                writer.close();
            }
        }
    }

    /**
     * @param args nothing for the demo, or {@code serve [port]}
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("serve")) {
            int port = args.length > 1 ? Integer.parseInt(args[1]) : 8889;
            run(() -> {
                Room room = new Room();
                try (Server server = startServer(room::handle, "127.0.0.1", port)) {
                    System.out.println("chat on 127.0.0.1:" + port + "; connect with nc, send your name, then lines");
                    server.serveForever();
                }
            });
            return;
        }
        run(LineChat::demo);
    }

    /** One line of a client's script: at {@code at} seconds from the start, say {@code text}. */
    record Say(double at, String text) {
    }

    private static void demo() throws Exception {
        Room room = new Room();
        Server server = startServer(room::handle, "127.0.0.1", 0);
        int port = ((InetSocketAddress) server.sockets().get(0).getLocalAddress()).getPort();
        System.out.println("chat server on 127.0.0.1:" + port + "; three scripted clients join, talk and leave");
        double t0 = getRunningLoop().time();
        Task<Void> alice = createTask(() -> client(port, t0, "alice", 0.0, 1.0,
                List.of(new Say(0.3, "hi all"), new Say(0.6, "bye soon"))));
        Task<Void> bob = createTask(() -> client(port, t0, "bob", 0.1, 0.9,
                List.of(new Say(0.4, "hello alice"))));
        Task<Void> carol = createTask(() -> client(port, t0, "carol", 0.2, 0.8,
                List.of(new Say(0.5, "hey, carol here"))));
        gather(alice, bob, carol).await();
        server.close();
        server.waitClosed();
        System.out.println("everyone left; server closed");
    }

    /** A scripted client: joins at {@code joinAt}, says its lines, leaves at {@code leaveAt}. */
    private static void client(int port, double t0, String name, double joinAt, double leaveAt, List<Say> script)
            throws Exception {
        sleepUntil(t0 + joinAt);
        StreamPair conn = openConnection("127.0.0.1", port);
        conn.writer().write((name + "\n").getBytes(UTF_8));
        Task<Void> listener = createTask(() -> {                 // prints what this client receives
            for (byte[] line : conn.reader().lines()) {
                System.out.printf("  [%-5s sees] %s%n", name, new String(line, UTF_8).strip());
            }
        });
        for (Say say : script) {
            sleepUntil(t0 + say.at());
            System.out.printf("  %-5s says: %s%n", name, say.text());
            conn.writer().write((say.text() + "\n").getBytes(UTF_8));
            conn.writer().drain();
        }
        sleepUntil(t0 + leaveAt);
        conn.writer().writeEof();        // "I'm done": the server says goodbye and closes its side
        listener.await();                // ... which ends this client's reading at EOF
        conn.writer().close();
        conn.writer().waitClosed();
    }

    private static void sleepUntil(double when) {
        sleep(Math.max(0, when - getRunningLoop().time()));
    }
}
