package org.asyncio4j.net.nio;

import static org.asyncio4j.Errors.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** asyncio's sock_* operations on loopback channels: data paths, errors, and what a cancel leaves. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketOpsTest {
    @TempDir
    Path dir;

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A connected pair of non-blocking loopback sockets, made with sockAccept and sockConnect. */
    record Pair(SocketChannel client, SocketChannel server) implements AutoCloseable {
        static Pair open(int bufferSize) throws Exception {
            EventLoop loop = EventLoop.getRunningLoop();
            try (ServerSocketChannel listener = ServerSocketChannel.open()) {
                if (bufferSize > 0) {
                    listener.setOption(StandardSocketOptions.SO_RCVBUF, bufferSize);
                }
                listener.bind(new InetSocketAddress("127.0.0.1", 0));
                listener.configureBlocking(false);
                Task<SocketChannel> accepting = loop.createTask(() -> SocketOps.sockAccept(listener));
                SocketChannel client = SocketChannel.open();
                client.configureBlocking(false);
                if (bufferSize > 0) {
                    client.setOption(StandardSocketOptions.SO_SNDBUF, bufferSize);
                }
                SocketOps.sockConnect(client, listener.getLocalAddress());
                SocketChannel server = accepting.await();
                assertFalse(server.isBlocking(), "the accepted channel is non-blocking");
                return new Pair(client, server);
            }
        }

        @Override
        public void close() throws Exception {
            client.close();
            server.close();
        }
    }

    /** Reads until {@code n} bytes or EOF arrived. */
    static byte[] recvAll(SocketChannel ch, int n) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        while (out.size() < n) {
            buf.clear();
            int got = SocketOps.sockRecvInto(ch, buf);
            if (got == 0) {
                break;
            }
            out.write(buf.array(), 0, got);
        }
        return out.toByteArray();
    }

    @Test
    void connectAcceptSendallRecvAndEndOfStream() throws Exception {
        AsyncIO.run(() -> {
            try (Pair p = Pair.open(0)) {
                assertEquals(p.server().getRemoteAddress(), p.client().getLocalAddress());
                SocketOps.sockSendall(p.client(), ascii("hello"));
                assertArrayEquals(ascii("hello"), recvAll(p.server(), 5));
                SocketOps.sockSendall(p.server(), ByteBuffer.wrap(ascii("back")));
                assertArrayEquals(ascii("back"), SocketOps.sockRecv(p.client(), 100));
                assertEquals(0, SocketOps.sockRecv(p.client(), 0).length);
                p.client().shutdownOutput();
                assertEquals(0, SocketOps.sockRecv(p.server(), 10).length, "EOF is an empty array");
                assertEquals(0, SocketOps.sockRecvInto(p.server(), ByteBuffer.allocate(10)), "EOF is 0, as in asyncio");
            }
        });
    }

    @Test
    void aCancelledRecvLeavesNoReaderAndTheChannelUsable() throws Exception {
        AsyncIO.run(() -> {
            EventLoop loop = EventLoop.getRunningLoop();
            try (Pair p = Pair.open(0)) {
                Task<byte[]> waiting = loop.createTask(() -> SocketOps.sockRecv(p.server(), 10));
                AsyncIO.sleep(0); // the task ran its first step: nothing to read, so it waits
                assertFalse(waiting.done());
                waiting.cancel();
                assertThrows(CancelledError.class, waiting::await);
                assertFalse(loop.removeReader(p.server()), "no reader was left registered");
                SocketOps.sockSendall(p.client(), ascii("after"));
                assertArrayEquals(ascii("after"), recvAll(p.server(), 5), "the channel is still usable");
            }
        });
    }

    @Test
    void aCancelledSendallLeavesNoWriterAndItsPositionTellsWhatWasSent() throws Exception {
        AsyncIO.run(() -> {
            EventLoop loop = EventLoop.getRunningLoop();
            try (Pair p = Pair.open(32 * 1024)) {
                ByteBuffer big = ByteBuffer.allocate(8 * 1024 * 1024);
                Task<Void> sending = loop.createTask(() -> SocketOps.sockSendall(p.client(), big));
                AsyncIO.sleep(0); // first step: the socket took what it could; the rest waits
                assertFalse(sending.done(), "8 MiB cannot fit in the socket buffers");
                sending.cancel();
                assertThrows(CancelledError.class, sending::await);
                assertFalse(loop.removeWriter(p.client()), "no writer was left registered");
                int sent = big.position();
                assertTrue(sent > 0 && sent < big.capacity(), "sent " + sent);
                assertEquals(sent, recvAll(p.server(), sent).length, "exactly the bytes the position says");
            }
        });
    }

    @Test
    void sendallWaitsForRoomAndDeliversEveryByte() throws Exception {
        AsyncIO.run(() -> {
            EventLoop loop = EventLoop.getRunningLoop();
            try (Pair p = Pair.open(32 * 1024)) {
                byte[] data = new byte[3 * 1024 * 1024];
                new Random(7).nextBytes(data);
                Task<byte[]> reading = loop.createTask(() -> recvAll(p.server(), data.length));
                SocketOps.sockSendall(p.client(), data);
                assertArrayEquals(data, reading.await());
            }
        });
    }

    @Test
    void aRefusedConnectNamesTheAddress() throws IOException {
        AsyncIO.run(() -> {
            SocketAddress closed;
            try (ServerSocketChannel gone = ServerSocketChannel.open()) {
                gone.bind(new InetSocketAddress("127.0.0.1", 0));
                closed = gone.getLocalAddress();
            }
            int port = ((InetSocketAddress) closed).getPort();
            try (SocketChannel ch = SocketChannel.open()) {
                ch.configureBlocking(false);
                assertThrowsWith(ConnectException.class, () -> SocketOps.sockConnect(ch, closed),
                        "Connect call failed", "('127.0.0.1', " + port + ")");
                assertFalse(EventLoop.getRunningLoop().removeWriter(ch), "no writer was left registered");
            }
        });
    }

    @Test
    void connectResolvesAnUnresolvedName() throws IOException {
        AsyncIO.run(() -> {
            try (ServerSocketChannel listener = ServerSocketChannel.open(); SocketChannel ch = SocketChannel.open()) {
                listener.bind(new InetSocketAddress("127.0.0.1", 0));
                listener.configureBlocking(false);
                ch.configureBlocking(false);
                int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
                // an unresolved address goes through getaddrinfo (not "localhost": it may give ::1 first)
                SocketOps.sockConnect(ch, InetSocketAddress.createUnresolved("127.0.0.1", port));
                assertTrue(ch.isConnected());
                SocketOps.sockAccept(listener).close();
            }
        });
    }

    @Test
    void datagramsWithSendtoRecvfromAndRecvfromInto() throws IOException {
        AsyncIO.run(() -> {
            try (DatagramChannel a = DatagramChannel.open(StandardProtocolFamily.INET);
                    DatagramChannel b = DatagramChannel.open(StandardProtocolFamily.INET)) {
                a.bind(new InetSocketAddress("127.0.0.1", 0)).configureBlocking(false);
                b.bind(new InetSocketAddress("127.0.0.1", 0)).configureBlocking(false);
                assertEquals(4, SocketOps.sockSendto(a, ByteBuffer.wrap(ascii("ping")), b.getLocalAddress()));
                Datagram d = SocketOps.sockRecvfrom(b, 100);
                assertArrayEquals(ascii("ping"), d.data());
                assertEquals(a.getLocalAddress(), d.address());
                SocketOps.sockSendto(b, ByteBuffer.wrap(ascii("pong!")), d.address());
                ByteBuffer into = ByteBuffer.allocate(3);
                assertEquals(b.getLocalAddress(), SocketOps.sockRecvfromInto(a, into));
                assertEquals(3, into.position(), "truncated to the buffer");
                assertArrayEquals(ascii("pon"), into.array());
            }
        });
    }

    @Test
    void aCancelledRecvfromLeavesNoReader() throws IOException {
        AsyncIO.run(() -> {
            EventLoop loop = EventLoop.getRunningLoop();
            try (DatagramChannel a = DatagramChannel.open(StandardProtocolFamily.INET)) {
                a.bind(new InetSocketAddress("127.0.0.1", 0)).configureBlocking(false);
                Task<Datagram> waiting = loop.createTask(() -> SocketOps.sockRecvfrom(a, 10));
                AsyncIO.sleep(0);
                waiting.cancel();
                assertThrows(CancelledError.class, waiting::await);
                assertFalse(loop.removeReader(a));
            }
        });
    }

    @Test
    void badArgumentsAreNamed() throws IOException {
        AsyncIO.run(() -> {
            try (SocketChannel blocking = SocketChannel.open(); SocketChannel ch = SocketChannel.open()) {
                assertThrowsWith(IllegalArgumentException.class, () -> SocketOps.sockRecv(blocking, 1),
                        "sockRecv", "blocking mode", "configureBlocking(false)");
                ch.configureBlocking(false);
                assertThrowsWith(IllegalArgumentException.class, () -> SocketOps.sockRecv(ch, -1), "n >= 0", "-1");
                assertThrowsWith(IllegalArgumentException.class, () -> SocketOps.sockConnect(ch, null), "address");
                try (FileChannel f = FileChannel.open(Files.createFile(dir.resolve("f")), StandardOpenOption.READ)) {
                    assertThrowsWith(IllegalArgumentException.class, () -> SocketOps.sockSendfile(ch, f, -1, 1),
                            "offset", "-1");
                    assertThrowsWith(IllegalArgumentException.class, () -> SocketOps.sockSendfile(ch, f, 0, 0),
                            "count", "0");
                }
            }
        });
    }

    @Test
    void outsideATaskTheyFailAtOnce() throws Exception {
        try (SocketChannel ch = SocketChannel.open()) {
            ch.configureBlocking(false);
            assertThrowsWith(IllegalStateException.class, () -> SocketOps.sockRecv(ch, 1), "sockRecv", "inside a task");
        }
    }

    @Test
    void sendfileSendsFiveMegabytesZeroCopy() throws Exception {
        AsyncIO.run(() -> {
            EventLoop loop = EventLoop.getRunningLoop();
            byte[] data = new byte[5 * 1024 * 1024];
            new Random(42).nextBytes(data);
            Path file = Files.write(dir.resolve("five"), data);
            try (Pair p = Pair.open(64 * 1024); FileChannel f = FileChannel.open(file, StandardOpenOption.READ)) {
                Task<byte[]> reading = loop.createTask(() -> recvAll(p.server(), data.length - 100));
                assertEquals(data.length - 100, SocketOps.sockSendfile(p.client(), f, 100, data.length));
                assertEquals(data.length, f.position(), "the position follows what was sent");
                assertArrayEquals(java.util.Arrays.copyOfRange(data, 100, data.length), reading.await());
            }
        });
    }

    @Test
    void aCancelledSendfileLeavesNoWriterAndThePositionTellsWhatWasSent() throws Exception {
        AsyncIO.run(() -> {
            EventLoop loop = EventLoop.getRunningLoop();
            byte[] data = new byte[5 * 1024 * 1024];
            new Random(1).nextBytes(data);
            Path file = Files.write(dir.resolve("five"), data);
            try (Pair p = Pair.open(32 * 1024); FileChannel f = FileChannel.open(file, StandardOpenOption.READ)) {
                Task<Long> sending = loop.createTask(() -> SocketOps.sockSendfile(p.client(), f));
                AsyncIO.sleep(0);
                assertFalse(sending.done(), "5 MiB cannot fit in the socket buffers");
                sending.cancel();
                assertThrows(CancelledError.class, sending::await);
                assertFalse(loop.removeWriter(p.client()), "no writer was left registered");
                long sent = f.position();
                assertTrue(sent > 0 && sent < data.length, "sent " + sent);
                p.client().shutdownOutput();
                assertArrayEquals(java.util.Arrays.copyOf(data, (int) sent), recvAll(p.server(), data.length));
            }
        });
    }
}
