package org.asyncio4j.stream;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.Errors;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import org.asyncio4j.net.Server;
import org.asyncio4j.sync.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** StreamWriter on loopback: flow control through drain(), half-close, closing, and a peer that resets. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamWriterTest {
    static final byte[] CHUNK = new byte[256 * 1024];

    static {
        for (int i = 0; i < CHUNK.length; i++) {
            CHUNK[i] = (byte) (i * 13 + (i >> 10));
        }
    }

    static byte[] b(String s) {
        return s.getBytes(US_ASCII);
    }

    /** Writes chunks without draining until the transport's buffer is above its high-water mark. */
    static long fillUntilPaused(StreamWriter writer, CRC32 crc) {
        long written = 0;
        int high = writer.transport().getWriteBufferLimits()[1];
        while (writer.transport().getWriteBufferSize() <= high) {
            writer.write(CHUNK);
            crc.update(CHUNK);
            written += CHUNK.length;
        }
        return written;
    }

    static void settle() {
        for (int i = 0; i < 4; i++) {
            AsyncIO.sleep(0);
        }
    }

    @Test
    void drainWaitsWhileTheTransportIsPausedAndEveryByteArrives() throws IOException {
        AsyncIO.run(() -> {
            Event gate = new Event();
            Future<long[]> received = AsyncIO.getRunningLoop().createFuture();
            ClientConnected slowReader = (reader, writer) -> {
                gate.await();
                CRC32 crc = new CRC32();
                long n = 0;
                ByteBuffer buf = ByteBuffer.allocate(65536);
                while (reader.readInto(buf.clear()) >= 0) {
                    crc.update(buf.flip());
                    n += buf.limit();
                }
                received.setResult(new long[] {n, crc.getValue()});
                writer.close();
            };
            try (Server server = Streams.startServer(slowReader, "127.0.0.1", 0)) {
                int port = ((InetSocketAddress) server.sockets().getFirst().getLocalAddress()).getPort();
                StreamPair conn = Streams.openConnection("127.0.0.1", port);
                CRC32 crc = new CRC32();
                long written = fillUntilPaused(conn.writer(), crc);
                Task<Void> drain = AsyncIO.createTask(() -> conn.writer().drain());
                settle();
                assertFalse(drain.done(), "drain waits while paused");
                gate.set();
                drain.await();
                assertTrue(conn.writer().transport().getWriteBufferSize()
                        <= conn.writer().transport().getWriteBufferLimits()[0], "drained to the low-water mark");
                conn.writer().drain(); // not paused: returns at once
                conn.writer().writeEof();
                long[] got = received.await();
                assertEquals(written, got[0]);
                assertEquals(crc.getValue(), got[1]);
                conn.writer().close();
                conn.writer().waitClosed();
            }
        });
    }

    @Test
    void thePeerResettingDuringDrainRaisesAnIOException() throws IOException {
        AsyncIO.run(() -> {
            Future<StreamWriter> serverSide = AsyncIO.getRunningLoop().createFuture();
            ClientConnected neverReads = (reader, writer) -> serverSide.setResult(writer);
            try (Server server = Streams.startServer(neverReads, "127.0.0.1", 0)) {
                int port = ((InetSocketAddress) server.sockets().getFirst().getLocalAddress()).getPort();
                StreamPair conn = Streams.openConnection("127.0.0.1", port);
                fillUntilPaused(conn.writer(), new CRC32());
                Task<Void> drain = AsyncIO.createTask(() -> conn.writer().drain());
                settle();
                assertFalse(drain.done());
                StreamWriter peer = serverSide.await();
                ((SocketChannel) peer.getExtraInfo("socket")).setOption(StandardSocketOptions.SO_LINGER, 0);
                peer.transport().abort(); // with unread data and no linger: a reset
                IOException e = assertThrows(IOException.class, drain::await);
                assertFalse(String.valueOf(e.getMessage()).startsWith("Connection lost"),
                        "the peer's error itself, not a later 'connection lost': " + e);
                assertThrows(IOException.class, () -> conn.writer().drain(), "and every drain after it");
                assertThrows(IOException.class, () -> conn.writer().waitClosed(), "waitClosed raises the error too");
                assertTrue(conn.writer().isClosing());
            }
        });
    }

    @Test
    void writeAfterWriteEofIsRefusedWhileReadingGoesOn() throws IOException {
        AsyncIO.run(() -> {
            ClientConnected answerAfterEof = (reader, writer) -> {
                byte[] all = reader.read(); // until the client's EOF
                writer.write(b("got " + all.length + "\n")); // half-open: this side still writes
                writer.close();
            };
            try (Server server = Streams.startServer(answerAfterEof, "127.0.0.1", 0)) {
                int port = ((InetSocketAddress) server.sockets().getFirst().getLocalAddress()).getPort();
                StreamPair conn = Streams.openConnection("127.0.0.1", port);
                assertTrue(conn.writer().canWriteEof());
                conn.writer().writelines(List.of(b("abc"), b("de")));
                conn.writer().writelines(ByteBuffer.wrap(b("fgh")));
                conn.writer().writeEof();
                Errors.assertError(IllegalStateException.class, Errors.caught(() -> conn.writer().write(b("late"))),
                        "after writeEof()");
                assertEquals("got 8\n", new String(conn.reader().readline(), US_ASCII));
                assertEquals(0, conn.reader().readline().length);
                // both sides sent EOF, but the transport stays half-open until closed (asyncio)
                assertFalse(conn.writer().isClosing());
                conn.writer().close();
                conn.writer().waitClosed();
            }
        });
    }

    @Test
    void afterCloseWaitClosedReturnsAndDrainRaisesConnectionLost() throws IOException {
        AsyncIO.run(() -> {
            try (Server server = Streams.startServer(StreamsTest.LINE_ECHO, "127.0.0.1", 0)) {
                int port = ((InetSocketAddress) server.sockets().getFirst().getLocalAddress()).getPort();
                StreamPair conn = Streams.openConnection("127.0.0.1", port);
                StreamWriter w = conn.writer();
                assertEquals(conn.writer().transport().getExtraInfo("peername"), w.getExtraInfo("peername"));
                assertNotNull(w.getExtraInfo("sockname"));
                assertEquals("dflt", w.getExtraInfo("no such key", "dflt"));
                assertTrue(w.toString().startsWith("<StreamWriter transport="), w.toString());
                assertFalse(w.isClosing());
                w.close();
                assertTrue(w.isClosing());
                w.waitClosed();
                w.waitClosed(); // returns at once
                Errors.assertError(SocketException.class, Errors.caught(w::drain), "Connection lost");
                assertTrue(conn.reader().atEof(), "a clean close feeds EOF to the reader");
            }
        });
    }

    @Test
    void aCancelledWaitClosedLeavesTheConnectionAlone() throws IOException {
        AsyncIO.run(() -> {
            try (Server server = Streams.startServer(StreamsTest.LINE_ECHO, "127.0.0.1", 0)) {
                int port = ((InetSocketAddress) server.sockets().getFirst().getLocalAddress()).getPort();
                StreamPair conn = Streams.openConnection("127.0.0.1", port);
                Task<Void> waiting = AsyncIO.createTask(() -> conn.writer().waitClosed());
                settle();
                waiting.cancel();
                assertThrows(CancelledError.class, waiting::await);
                conn.writer().write(b("still open\n"));
                assertEquals("still open\n", new String(conn.reader().readline(), US_ASCII));
                conn.writer().close();
                conn.writer().waitClosed();
            }
        });
    }

    @Test
    void drainOutsideATaskFailsAtOnce() throws IOException {
        AsyncIO.run(() -> {
            try (Server server = Streams.startServer(StreamsTest.LINE_ECHO, "127.0.0.1", 0)) {
                int port = ((InetSocketAddress) server.sockets().getFirst().getLocalAddress()).getPort();
                StreamPair conn = Streams.openConnection("127.0.0.1", port);
                Future<Throwable> fromCallback = AsyncIO.getRunningLoop().createFuture();
                AsyncIO.getRunningLoop().callSoon(() -> fromCallback.setResult(Errors.caught(conn.writer()::drain)));
                Errors.assertError(IllegalStateException.class, fromCallback.await(), "StreamWriter.drain()");
                conn.writer().close();
            }
        });
    }
}
