package org.asyncio4j.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.loop.EventLoop;

/** Helpers shared by the networking tests: ports, programs on the PATH, settling the loop, message and registration checks. */
final class NetChecks {
    private NetChecks() {
    }

    /** @return the port of the server's first listening socket */
    static int port(Server server) throws IOException {
        return ((InetSocketAddress) server.sockets().getFirst().getLocalAddress()).getPort();
    }

    /** @return the executable {@code program} in a folder of the {@code PATH}, or null when there is none */
    static Path onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Lets the loop run a few times through a select, so that NIO really closes the channels
     * closed so far (a registered channel is closed at the next select) and callbacks
     * already scheduled run. No event is guessed at: this only drains what is queued.
     */
    static void settle() {
        for (int i = 0; i < 5; i++) {
            AsyncIO.sleep(0.001);
        }
    }

    /** Asserts that {@code e}'s message contains every one of {@code parts}. */
    static void assertMessageNames(Throwable e, Object... parts) {
        String msg = String.valueOf(e.getMessage());
        for (Object p : parts) {
            assertTrue(msg.contains(String.valueOf(p)), "message of " + e + " should name " + p);
        }
    }

    /** Asserts the loop watches {@code transport}'s open socket neither for reading nor for writing. */
    static void assertNothingRegistered(Transport transport) {
        SelectableChannel ch = (SelectableChannel) transport.getExtraInfo("socket");
        assertTrue(ch.isOpen(), "the check is only meaningful on an open channel");
        EventLoop loop = EventLoop.getRunningLoop();
        assertFalse(loop.removeReader(ch), "a reader is still registered for " + transport);
        assertFalse(loop.removeWriter(ch), "a writer is still registered for " + transport);
    }

    /** Connects to the server, checks one echo round trip on it, and closes the connection. */
    static void assertEchoes(int port, String text) throws IOException {
        var conn = Network.createConnection(Recorder::new, "127.0.0.1", port);
        conn.transport().write(ascii(text));
        assertArrayEquals(ascii(text), conn.protocol().received(text.length()));
        conn.transport().close();
        conn.protocol().lost.await();
    }

    /** @return whether this host can bind the IPv6 loopback address */
    static boolean hasIpv6Loopback() {
        try (ServerSocketChannel ch = ServerSocketChannel.open()) {
            ch.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
