package org.asyncio4j.net.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.Future;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.net.DatagramOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The send queue of {@link DatagramSocketTransport}: loopback UDP never runs out of send
 * buffer, so these tests hand the transport a sender that refuses until a test opens it,
 * and watch queueing, flow control and closing with datagrams queued.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DatagramSocketTransportTest {
    /** Refuses every datagram (no room) while {@code closed}; then sends through the channel. */
    static final class Gate implements DatagramSocketTransport.Sender {
        boolean closed = true;
        int refused;
        /** Completed at the second refusal: the transport retried on writability. */
        final Future<Void> retried = EventLoop.getRunningLoop().createFuture();

        @Override
        public int send(DatagramChannel ch, ByteBuffer data, SocketAddress addr, boolean connected)
                throws java.io.IOException {
            if (closed) {
                if (++refused == 2) {
                    retried.setResult(null);
                }
                return 0;
            }
            return DatagramSocketTransport.CHANNEL.send(ch, data, addr, connected);
        }
    }

    /** A transport with a gated sender, connected to {@code peer}, after connectionMade. */
    static DatagramSocketTransport gated(DatagramRecorder protocol, SocketAddress peer, Gate gate) throws Exception {
        EventLoop loop = EventLoop.getRunningLoop();
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        ch.configureBlocking(false);
        ch.connect(peer);
        Future<Void> made = loop.createFuture();
        var t = new DatagramSocketTransport(loop, ch, protocol, 65536, made, gate);
        made.await();
        return t;
    }

    static ByteBuffer numbered(int i, int size) {
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(0, i);
        return b;
    }

    @Test
    void queuedDatagramsGoOutInOrderWithPauseAndResumeAtTheMarks() throws Exception {
        AsyncIO.run(() -> {
            var server = DatagramEndpointTest.echoServer();
            Gate gate = new Gate();
            DatagramRecorder p = new DatagramRecorder();
            var t = gated(p, DatagramEndpointTest.sockname(server.transport()), gate);
            int size = 8192;
            int n = 0;
            while (!p.events.contains("pause")) {
                ByteBuffer b = numbered(n++, size);
                t.sendto(b, null);
                assertFalse(b.hasRemaining(), "the datagram is consumed (copied) at once");
            }
            // the high-water mark counts bytes plus 8 per datagram, as asyncio does
            assertEquals(n * (size + DatagramSocketTransport.HEADER_SIZE), t.getWriteBufferSize());
            assertTrue(t.getWriteBufferSize() > 64 * 1024);
            assertTrue((n - 1) * (size + DatagramSocketTransport.HEADER_SIZE) <= 64 * 1024, "paused at the first crossing");
            assertEquals(List.of("made", "pause"), p.events);
            gate.closed = false;
            for (int i = 0; i < n; i++) {
                var echoed = p.datagram();
                assertEquals(i, ByteBuffer.wrap(echoed.data()).getInt(), "in order");
            }
            assertEquals(0, t.getWriteBufferSize());
            assertEquals(List.of("made", "pause", "resume"), p.events.subList(0, 3));
            t.close();
            server.transport().close();
            assertNull(p.lost.await());
        });
    }

    @Test
    void closeWithDatagramsQueuedSendsThemThenLosesTheConnection() throws Exception {
        AsyncIO.run(() -> {
            var server = DatagramEndpointTest.echoServer();
            Gate gate = new Gate();
            DatagramRecorder p = new DatagramRecorder();
            var t = gated(p, DatagramEndpointTest.sockname(server.transport()), gate);
            t.sendto(numbered(1, 4), null);
            t.sendto(numbered(2, 4), null);
            assertEquals(2 * (4 + DatagramSocketTransport.HEADER_SIZE), t.getWriteBufferSize());
            t.close();
            assertTrue(t.isClosing());
            t.sendto(numbered(3, 4), null); // dropped: the transport is closing
            assertFalse(p.lost.done());
            gate.retried.await(); // the writer runs and is refused again
            assertFalse(p.lost.done(), "connectionLost waits for the queue");
            gate.closed = false;
            assertNull(p.lost.await());
            DatagramRecorder s = server.protocol();
            while (s.received.size() < 2) {
                s.datagram();
            }
            assertEquals(1, ByteBuffer.wrap(s.received.get(0).data()).getInt());
            assertEquals(2, ByteBuffer.wrap(s.received.get(1).data()).getInt());
            assertEquals(List.of("made", "lost"), p.events);
            assertEquals(2, s.received.size(), "the datagram sent after close() was dropped");
            server.transport().close();
            server.protocol().lost.await();
        });
    }

    @Test
    void abortDropsQueuedDatagrams() throws Exception {
        AsyncIO.run(() -> {
            var server = DatagramEndpointTest.echoServer();
            Gate gate = new Gate();
            DatagramRecorder p = new DatagramRecorder();
            var t = gated(p, DatagramEndpointTest.sockname(server.transport()), gate);
            t.sendto(numbered(1, 4), null);
            t.abort();
            assertEquals(0, t.getWriteBufferSize());
            assertNull(p.lost.await());
            gate.closed = false;
            assertFalse(EventLoop.getRunningLoop().removeWriter(
                    (DatagramChannel) t.getExtraInfo("socket")), "no writer is left");
            assertArrayEquals(new String[] {"made", "lost"}, p.events.toArray());
            server.transport().close();
            server.protocol().lost.await();
        });
    }

    @Test
    void theOptionsNameTheReceiveSize() {
        org.asyncio4j.Errors.assertThrowsWith(IllegalArgumentException.class,
                () -> DatagramOptions.DEFAULTS.withReceiveSize(0), "receiveSize", "0");
        assertEquals(65536, DatagramOptions.DEFAULTS.receiveSize());
    }
}
