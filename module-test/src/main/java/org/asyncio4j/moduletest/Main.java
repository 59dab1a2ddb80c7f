package org.asyncio4j.moduletest;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.net.Server;
import org.asyncio4j.stream.StreamPair;

/**
 * Runs asyncio4j from a named module: a loop, a TCP echo over loopback (the network backend
 * is loaded reflectively inside the library's module) and a {@code toThread} call; prints
 * one line, {@code engine=<name> module=<library's module> echo=<reply> thread=<answer>}.
 */
public final class Main {
    private Main() {
    }

    /**
     * @param args ignored
     * @throws IOException if the loopback echo fails
     */
    public static void main(String[] args) throws IOException {
        String line = AsyncIO.run(() -> {
            Server server = AsyncIO.startServer((reader, writer) -> {
                writer.write(reader.readline());
                writer.drain();
                writer.close();
            }, "127.0.0.1", 0);
            int port = ((java.net.InetSocketAddress) server.sockets().get(0).getLocalAddress()).getPort();
            StreamPair conn = AsyncIO.openConnection("127.0.0.1", port);
            conn.writer().write("ping\n".getBytes(UTF_8));
            String echo = new String(conn.reader().readline(), UTF_8).strip();
            conn.writer().close();
            conn.writer().waitClosed();
            server.close();
            server.waitClosed();
            String fromThread = AsyncIO.toThread(() -> "ok");
            return "engine=" + AsyncIO.coroutineEngine() + " module=" + AsyncIO.class.getModule().getName()
                    + " echo=" + echo + " thread=" + fromThread;
        });
        System.out.println(line);
    }
}
