package org.asyncio4j.net.nio;

import static org.asyncio4j.Errors.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.net.BaseTransport;
import org.asyncio4j.net.Connection;
import org.asyncio4j.net.Network;
import org.asyncio4j.net.Protocol;
import org.asyncio4j.net.Server;
import org.asyncio4j.net.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** loop.sendfile over TCP transports on loopback: the zero-copy path, the fallback, and cancellation. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SendfileTest {
    @TempDir
    Path dir;

    /** Collects what arrives; {@link #received(int)} waits for a count; may start with reading paused. */
    static final class Sink implements Protocol {
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        final List<String> events = new ArrayList<>();
        final Future<Transport> made = EventLoop.getRunningLoop().createFuture();
        final boolean startPaused;
        Transport transport;
        private Future<Void> waiting;
        private int want;

        Sink(boolean startPaused) {
            this.startPaused = startPaused;
        }

        @Override
        public void connectionMade(BaseTransport t) {
            transport = (Transport) t;
            if (startPaused) {
                transport.pauseReading();
            }
            made.setResult(transport);
        }

        @Override
        public void dataReceived(ByteBuffer buf) {
            byte[] b = new byte[buf.remaining()];
            buf.get(b);
            data.writeBytes(b);
            if (waiting != null && data.size() >= want) {
                waiting.setResult(null);
                waiting = null;
            }
        }

        @Override
        public void pauseWriting() {
            events.add("pause");
        }

        @Override
        public void resumeWriting() {
            events.add("resume");
        }

        @Override
        public void connectionLost(Throwable exc) {
            events.add("lost");
        }

        byte[] received(int n) {
            if (data.size() < n) {
                want = n;
                waiting = EventLoop.getRunningLoop().createFuture();
                waiting.await();
            }
            return data.toByteArray();
        }
    }

    record Link(Server server, Sink serverSide, Connection<Transport, Sink> client) implements AutoCloseable {
        /** A server whose protocol is {@code serverSide}, and a client connected to it. */
        static Link open(boolean serverPaused) throws IOException {
            Future<Sink> accepted = EventLoop.getRunningLoop().createFuture();
            Server server = Network.createServer(() -> {
                Sink s = new Sink(serverPaused);
                accepted.setResult(s);
                return s;
            }, "127.0.0.1", 0);
            int port = ((InetSocketAddress) server.sockets().getFirst().getLocalAddress()).getPort();
            var client = Network.createConnection(() -> new Sink(false), "127.0.0.1", port);
            Sink serverSide = accepted.await();
            serverSide.made.await();
            return new Link(server, serverSide, client);
        }

        /** Small kernel buffers on both sides: a peer that does not read holds a sender back soon. */
        void shrinkBuffers() throws IOException {
            ((SocketChannel) client.transport().getExtraInfo("socket")).setOption(StandardSocketOptions.SO_SNDBUF,
                    32 * 1024);
            ((SocketChannel) serverSide.transport.getExtraInfo("socket")).setOption(StandardSocketOptions.SO_RCVBUF,
                    32 * 1024);
        }

        @Override
        public void close() {
            client.transport().close();
            server.close();
        }
    }

    Path randomFile(String name, int size, long seed) throws IOException {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return Files.write(dir.resolve(name), data);
    }

    @Test
    void aTransportSendsFiveMegabytesZeroCopyAndIsUsableAfter() throws IOException {
        AsyncIO.run(() -> {
            Path file = randomFile("five", 5 * 1024 * 1024, 42);
            byte[] data = Files.readAllBytes(file);
            try (Link link = Link.open(false); FileChannel f = FileChannel.open(file, StandardOpenOption.READ)) {
                Transport t = link.client().transport();
                t.write("head:".getBytes(StandardCharsets.US_ASCII)); // may still be buffered: sendfile waits for it
                assertEquals(data.length, AsyncIO.sendfile(t, f, 0, data.length));
                assertEquals(data.length, f.position());
                assertTrue(t.isReading(), "reading resumed");
                t.write(":tail".getBytes(StandardCharsets.US_ASCII));
                byte[] got = link.serverSide().received(data.length + 10);
                assertArrayEquals("head:".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(got, 5));
                assertArrayEquals(data, Arrays.copyOfRange(got, 5, 5 + data.length));
                assertArrayEquals(":tail".getBytes(StandardCharsets.US_ASCII), Arrays.copyOfRange(got, 5 + data.length,
                        got.length));
            }
        });
    }

    @Test
    void writesAreRefusedWhileTheZeroCopyTransferRuns() throws IOException {
        AsyncIO.run(() -> {
            EventLoop loop = EventLoop.getRunningLoop();
            Path file = randomFile("five", 5 * 1024 * 1024, 3);
            try (Link link = Link.open(true); FileChannel f = FileChannel.open(file, StandardOpenOption.READ)) {
                Transport t = link.client().transport();
                link.shrinkBuffers();
                Task<Long> sending = loop.createTask(() -> Sendfile.sendfile(t, f, 0, 5 * 1024 * 1024));
                AsyncIO.sleep(0);
                assertFalse(sending.done(), "the peer does not read, so the transfer waits");
                assertFalse(t.isReading(), "reading is paused during sendfile");
                assertThrowsWith(IllegalStateException.class, () -> t.write(new byte[1]), "sendfile is in progress");
                link.serverSide().transport.resumeReading();
                assertEquals(5 * 1024 * 1024, sending.await());
                assertEquals(5 * 1024 * 1024, link.serverSide().received(5 * 1024 * 1024).length);
            }
        });
    }

    @Test
    void aCancelledSendfileGivesTheTransportBackWithNoWriterLeft() throws IOException {
        AsyncIO.run(() -> {
            EventLoop loop = EventLoop.getRunningLoop();
            int size = 5 * 1024 * 1024;
            Path file = randomFile("five", size, 5);
            byte[] data = Files.readAllBytes(file);
            try (Link link = Link.open(true); FileChannel f = FileChannel.open(file, StandardOpenOption.READ)) {
                Transport t = link.client().transport();
                link.shrinkBuffers();
                Task<Long> sending = loop.createTask(() -> Sendfile.sendfile(t, f));
                AsyncIO.sleep(0);
                assertFalse(sending.done());
                sending.cancel();
                assertThrows(CancelledError.class, sending::await);
                SocketChannel ch = (SocketChannel) t.getExtraInfo("socket");
                assertFalse(loop.removeWriter(ch), "no writer was left registered");
                assertTrue(t.isReading(), "reading resumed");
                long sent = f.position();
                assertTrue(sent > 0 && sent < size, "sent " + sent);
                t.write("!".getBytes(StandardCharsets.US_ASCII)); // writes are accepted again
                link.serverSide().transport.resumeReading();
                byte[] got = link.serverSide().received((int) sent + 1);
                assertEquals(sent + 1, got.length);
                assertArrayEquals(Arrays.copyOf(data, (int) sent), Arrays.copyOf(got, (int) sent));
                assertEquals('!', got[(int) sent]);
            }
        });
    }

    @Test
    void theFallbackWritesChunksHonouringFlowControl() throws IOException {
        AsyncIO.run(() -> {
            EventLoop loop = EventLoop.getRunningLoop();
            int size = 3 * 1024 * 1024;
            Path file = randomFile("three", size, 9);
            byte[] data = Files.readAllBytes(file);
            try (Link link = Link.open(true); FileChannel f = FileChannel.open(file, StandardOpenOption.READ)) {
                Transport t = link.client().transport();
                Sink clientSide = link.client().protocol();
                link.shrinkBuffers(); // so that the transport's own buffer fills
                Task<Long> sending = loop.createTask(() -> Sendfile.fallback(loop, t, f, 10, size));
                // the peer reads nothing, so the transport fills up and the fallback waits paused
                while (t.getWriteBufferSize() <= t.getWriteBufferLimits()[1] && !sending.done()) {
                    AsyncIO.sleep(0);
                }
                assertFalse(sending.done(), "3 MiB cannot fit in 32 KiB socket buffers");
                assertTrue(t.getProtocol() != clientSide, "a stand-in protocol takes the callbacks meanwhile");
                assertTrue(t.getWriteBufferSize() < 2 * Sendfile.CHUNK + t.getWriteBufferLimits()[1],
                        "it stops writing at the high-water mark: " + t.getWriteBufferSize());
                link.serverSide().transport.resumeReading();
                assertEquals(size - 10, sending.await(), "the file ended first");
                assertEquals(size, f.position());
                assertTrue(t.getProtocol() == clientSide, "the protocol is given back");
                assertTrue(t.isReading());
                assertArrayEquals(Arrays.copyOfRange(data, 10, size), link.serverSide().received(size - 10));
                assertFalse(clientSide.events.contains("lost"));
            }
        });
    }

    @Test
    void aClosingTransportIsRefused() throws IOException {
        AsyncIO.run(() -> {
            Path file = randomFile("small", 10, 1);
            try (Link link = Link.open(false); FileChannel f = FileChannel.open(file, StandardOpenOption.READ)) {
                Transport t = link.client().transport();
                t.close();
                assertThrowsWith(IllegalStateException.class, () -> Sendfile.sendfile(t, f), "Transport is closing");
            }
        });
    }

    @Test
    void anAbortDuringTheTransferEndsItWithAnIOException() throws IOException {
        AsyncIO.run(() -> {
            EventLoop loop = EventLoop.getRunningLoop();
            Path file = randomFile("five", 5 * 1024 * 1024, 11);
            try (Link link = Link.open(true); FileChannel f = FileChannel.open(file, StandardOpenOption.READ)) {
                Transport t = link.client().transport();
                link.shrinkBuffers();
                Task<Long> sending = loop.createTask(() -> Sendfile.sendfile(t, f));
                AsyncIO.sleep(0);
                assertFalse(sending.done());
                t.abort();
                Throwable e = org.asyncio4j.Errors.caught(sending::await);
                assertInstanceOf(IOException.class, e);
            }
        });
    }
}
