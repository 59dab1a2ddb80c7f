package org.asyncio4j.loop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.asyncio4j.Errors.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * addReader / addWriter / removeReader / removeWriter on a {@link Pipe} and on loopback
 * sockets (ephemeral ports). Readiness is level-triggered, as with asyncio's selector loop.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IoReadinessTest {
    private Pipe pipe;

    @BeforeEach
    void openPipe() throws IOException {
        pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        pipe.sink().configureBlocking(false);
    }

    @AfterEach
    void closePipe() throws IOException {
        pipe.source().close();
        pipe.sink().close();
    }

    private static void write(java.nio.channels.WritableByteChannel ch, String s) {
        try {
            ByteBuffer b = ByteBuffer.wrap(s.getBytes(UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads what is available now (non-blocking), or null at end of stream. */
    private static String readAvailable(java.nio.channels.ReadableByteChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(1024);
            int n = ch.read(b);
            return n < 0 ? null : new String(b.array(), 0, b.position(), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lets the loop run a few iterations, polling for I/O each time it has nothing else to do. */
    private static void spin(int iterations) {
        for (int i = 0; i < iterations; i++) {
            AsyncIO.sleep(0);
        }
    }

    @Test
    void aReaderIsCalledWhenThePipeHasDataAndNotBefore() {
        AsyncIO.run(() -> {
            EventLoop loop = AsyncIO.getRunningLoop();
            Future<String> got = loop.createFuture();
            int[] calls = new int[1];
            loop.addReader(pipe.source(), () -> {
                calls[0]++;
                got.setResult(readAvailable(pipe.source()));
                loop.removeReader(pipe.source());
            });
            spin(20);
            assertEquals(0, calls[0], "the reader ran before any data was written");
            write(pipe.sink(), "hello");
            assertEquals("hello", got.await());
            assertEquals(1, calls[0]);
        });
    }

    @Test
    void readinessIsLevelTriggeredUntilTheDataIsConsumed() {
        AsyncIO.run(() -> {
            EventLoop loop = AsyncIO.getRunningLoop();
            Future<Void> thirdCall = loop.createFuture();
            int[] calls = new int[1];
            loop.addReader(pipe.source(), () -> {
                if (++calls[0] == 3) {
                    assertEquals("x", readAvailable(pipe.source()));
                    thirdCall.setResult(null);
                }
            });
            write(pipe.sink(), "x");
            thirdCall.await();
            spin(20);
            assertEquals(3, calls[0], "the reader was called again after the data was consumed");
            assertTrue(loop.removeReader(pipe.source()));
        });
    }

    @Test
    void removeReaderStopsTheCallbacksAndSaysWhetherOneWasRegistered() {
        AsyncIO.run(() -> {
            EventLoop loop = AsyncIO.getRunningLoop();
            int[] calls = new int[1];
            assertFalse(loop.removeReader(pipe.source()), "nothing registered yet");
            loop.addReader(pipe.source(), () -> calls[0]++);
            assertTrue(loop.removeReader(pipe.source()));
            assertFalse(loop.removeReader(pipe.source()));
            write(pipe.sink(), "ignored");
            spin(20);
            assertEquals(0, calls[0]);
        });
    }

    @Test
    void addingASecondReaderReplacesTheFirst() {
        AsyncIO.run(() -> {
            EventLoop loop = AsyncIO.getRunningLoop();
            List<String> calls = new ArrayList<>();
            Future<Void> done = loop.createFuture();
            Handle first = loop.addReader(pipe.source(), () -> calls.add("first"));
            loop.addReader(pipe.source(), () -> {
                calls.add("second");
                readAvailable(pipe.source());
                loop.removeReader(pipe.source());
                done.setResult(null);
            });
            assertTrue(first.cancelled(), "the replaced reader's handle is cancelled");
            write(pipe.sink(), "data");
            done.await();
            assertEquals(List.of("second"), calls);
        });
    }

    @Test
    void aWriterIsCalledWhileTheChannelIsWritableUntilRemoved() {
        AsyncIO.run(() -> {
            EventLoop loop = AsyncIO.getRunningLoop();
            Future<Void> called = loop.createFuture();
            int[] calls = new int[1];
            loop.addWriter(pipe.sink(), () -> {
                calls[0]++;
                write(pipe.sink(), "from the writer");
                assertTrue(loop.removeWriter(pipe.sink()));
                called.setResult(null);
            });
            called.await();
            spin(20);
            assertEquals(1, calls[0], "a removed writer was called again");
            assertFalse(loop.removeWriter(pipe.sink()));
            assertEquals("from the writer", readAvailable(pipe.source()));
        });
    }

    @Test
    void readerAndWriterOfOneSocketAreIndependentAndAConversationWorksOverLoopback() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open();
                SocketChannel client = SocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            server.configureBlocking(false);
            client.configureBlocking(false);
            AsyncIO.run(() -> {
                EventLoop loop = AsyncIO.getRunningLoop();
                // accept through a reader on the server channel
                Future<SocketChannel> accepted = loop.createFuture();
                loop.addReader(server, () -> {
                    try {
                        SocketChannel c = server.accept();
                        if (c != null) {
                            loop.removeReader(server);
                            accepted.setResult(c);
                        }
                    } catch (IOException e) {
                        accepted.setException(e);
                    }
                });
                // connect through a writer (OP_CONNECT while the connection is pending)
                Future<Void> connected = loop.createFuture();
                if (client.connect(server.getLocalAddress())) {
                    connected.setResult(null);
                } else {
                    loop.addWriter(client, () -> {
                        try {
                            if (client.finishConnect()) {
                                loop.removeWriter(client);
                                connected.setResult(null);
                            }
                        } catch (IOException e) {
                            loop.removeWriter(client);
                            connected.setException(e);
                        }
                    });
                }
                connected.await();
                try (SocketChannel peer = accepted.await()) {
                    peer.configureBlocking(false);
                    // the server echoes in upper case what it reads
                    loop.addReader(peer, () -> {
                        String s = readAvailable(peer);
                        if (s != null && !s.isEmpty()) {
                            write(peer, s.toUpperCase());
                        }
                    });
                    Future<String> reply = loop.createFuture();
                    StringBuilder got = new StringBuilder();
                    loop.addReader(client, () -> {
                        got.append(readAvailable(client));
                        if (got.length() >= 4) {
                            reply.setResult(got.toString());
                        }
                    });
                    // a writer on the same (now connected) channel: write interest, reader kept
                    Future<Void> wrote = loop.createFuture();
                    loop.addWriter(client, () -> {
                        write(client, "ping");
                        loop.removeWriter(client);
                        wrote.setResult(null);
                    });
                    wrote.await();
                    assertEquals("PING", reply.await());
                    assertTrue(loop.removeReader(client));
                    assertFalse(loop.removeWriter(client), "the writer was already removed");
                    assertTrue(loop.removeReader(peer));
                }
            });
        }
    }

    /** Writes a byte into the pipe and watches for it: element 0 becomes true when the reader is called (once). */
    private boolean[] readerOfOneByte(EventLoop loop) {
        boolean[] readable = new boolean[1];
        loop.addReader(pipe.source(), () -> {
            readable[0] = true;
            loop.removeReader(pipe.source());
        });
        write(pipe.sink(), "x");
        return readable;
    }

    /** A loop that always has callbacks ready still polls for I/O now and then. */
    @Test
    void aBusyLoopStillSeesIoReadiness() {
        AsyncIO.run(() -> {
            EventLoop loop = AsyncIO.getRunningLoop();
            boolean[] readable = readerOfOneByte(loop);
            long start = loop.iterations();
            while (!readable[0]) {
                AsyncIO.sleep(0); // the loop never runs out of ready callbacks
                assertTrue(loop.iterations() - start < 1000, "a busy loop did not poll for I/O in 1000 iterations");
            }
        });
    }

    /**
     * After {@code pollSoon()} the next iteration polls for I/O although callbacks are
     * ready; without it a fresh loop whose task never stops being ready polls only at its
     * sixteenth iteration.
     */
    @Test
    void pollSoonMakesABusyLoopPollAtTheNextIteration() {
        AsyncIO.run(() -> {
            EventLoop loop = AsyncIO.getRunningLoop();
            boolean[] readable = readerOfOneByte(loop);
            AsyncIO.sleep(0);
            assertFalse(readable[0], "a busy loop polled before its sixteenth iteration unasked");
            loop.pollSoon();
            AsyncIO.sleep(0); // the next iteration polls, then runs this step and the reader's callback
            AsyncIO.sleep(0);
            assertTrue(readable[0], "pollSoon() did not make the next iteration poll for I/O");
        });
    }

    @Test
    void aChannelInBlockingModeIsRejectedWithAClearMessage() throws IOException {
        try (EventLoop loop = new EventLoop(); SocketChannel blocking = SocketChannel.open()) {
            pipe.source().configureBlocking(true);
            assertThrowsWith(IllegalArgumentException.class, () -> loop.addReader(pipe.source(), () -> { }),
                    "blocking mode", "configureBlocking(false)");
            assertThrowsWith(IllegalArgumentException.class, () -> loop.addWriter(blocking, () -> { }),
                    "blocking mode", "configureBlocking(false)");
        }
    }

    @Test
    void aChannelThatCannotDoTheOperationIsRejectedWithAClearMessage() throws IOException {
        try (EventLoop loop = new EventLoop(); ServerSocketChannel server = ServerSocketChannel.open()) {
            server.configureBlocking(false);
            assertThrowsWith(IllegalArgumentException.class, () -> loop.addReader(pipe.sink(), () -> { }), "cannot be read");
            assertThrowsWith(IllegalArgumentException.class, () -> loop.addWriter(pipe.source(), () -> { }), "cannot be written");
            assertThrowsWith(IllegalArgumentException.class, () -> loop.addWriter(server, () -> { }), "cannot be written");
        }
    }

    @Test
    void aClosedChannelIsRejectedWithAClearMessage() throws IOException {
        try (EventLoop loop = new EventLoop()) {
            pipe.source().close();
            assertThrowsWith(IllegalStateException.class, () -> loop.addReader(pipe.source(), () -> { }), "closed");
        }
    }

    @Test
    void aClosedLoopRefusesNewReaders() {
        EventLoop loop = new EventLoop();
        loop.close();
        assertThrowsWith(IllegalStateException.class, () -> loop.addReader(pipe.source(), () -> { }), "closed");
    }

    @Test
    void closingARegisteredChannelLetsTheLoopGoOn() throws IOException {
        AsyncIO.run(() -> {
            EventLoop loop = AsyncIO.getRunningLoop();
            loop.addReader(pipe.source(), () -> { });
            pipe.source().close();
            spin(20);
            assertFalse(loop.removeReader(pipe.source()), "a closed channel has no registration left");
        });
    }
}
