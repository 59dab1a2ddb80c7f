package org.asyncio4j.stream;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.Errors;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.Task;
import org.asyncio4j.net.BaseProtocol;
import org.asyncio4j.net.ReadTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** StreamReader on its own, fed by hand: asyncio's read semantics, limits, errors and cancellation. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamReaderTest {
    static byte[] b(String s) {
        return s.getBytes(US_ASCII);
    }

    static String s(byte[] b) {
        return new String(b, US_ASCII);
    }

    /** Lets a task that was just created run to its first suspension. */
    static void settle() {
        AsyncIO.sleep(0);
        AsyncIO.sleep(0);
    }

    // ---------------------------------------------------------------- read

    @Test
    void readReturnsWhatIsBufferedUpToN() throws IOException {
        AsyncIO.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("hello world"));
            assertEquals("hello", s(r.read(5)));
            assertEquals(" world", s(r.read(100)));
            assertEquals(0, r.buffered());
        });
    }

    @Test
    void readZeroReturnsEmptyAtOnceAndMinusOneReadsToEof() throws IOException {
        AsyncIO.run(() -> {
            StreamReader r = new StreamReader(4);
            assertEquals(0, r.read(0).length);
            Task<byte[]> all = AsyncIO.createTask(() -> r.read(-1));
            settle();
            r.feedData(b("abcdefghij"));
            settle();
            r.feedData(b("klm"));
            r.feedEof();
            assertEquals("abcdefghijklm", s(all.await()));
            assertTrue(r.atEof());
            assertEquals(0, r.read(10).length, "read at EOF returns empty");
        });
    }

    @Test
    void readWaitsForDataThenEmptyAtEof() {
        AsyncIO.run(() -> {
            StreamReader r = new StreamReader();
            Task<byte[]> t = AsyncIO.createTask(() -> r.read(10));
            settle();
            assertFalse(t.done());
            r.feedData(b("xy"));
            assertEquals("xy", s(t.await()));
            Task<byte[]> t2 = AsyncIO.createTask(() -> r.read(10));
            settle();
            r.feedEof();
            assertEquals(0, t2.await().length);
            assertTrue(r.atEof());
        });
    }

    @Test
    void readIntoFillsTheBufferAndReturnsMinusOneAtEof() throws IOException {
        AsyncIO.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("0123456789"));
            ByteBuffer dst = ByteBuffer.allocate(4);
            assertEquals(4, r.readInto(dst));
            assertEquals("0123", new String(dst.array(), US_ASCII));
            assertEquals(0, r.readInto(dst), "no room: nothing read");
            dst.clear();
            assertEquals(4, r.readInto(dst));
            dst.clear();
            assertEquals(2, r.readInto(dst));
            r.feedEof();
            dst.clear();
            assertEquals(-1, r.readInto(dst));
        });
    }

    @Test
    void largeStreamsCompactAndGrowWithoutLosingBytes() throws IOException {
        AsyncIO.run(() -> {
            StreamReader r = new StreamReader(1 << 20);
            byte[] all = new byte[3_000_000];
            for (int i = 0; i < all.length; i++) {
                all[i] = (byte) (i * 31 + (i >> 9));
            }
            int fed = 0;
            int got = 0;
            byte[] out = new byte[all.length];
            int step = 0;
            while (got < all.length) {
                int n = Math.min(all.length - fed, 1 + (step * 7919) % 70_000);
                r.feedData(java.util.Arrays.copyOfRange(all, fed, fed + n));
                fed += n;
                byte[] chunk = r.read(1 + (step * 104_729) % 50_000);
                System.arraycopy(chunk, 0, out, got, chunk.length);
                got += chunk.length;
                step++;
            }
            assertArrayEquals(all, out);
        });
    }

    // ---------------------------------------------------------------- readexactly

    @Test
    void readexactlyWaitsForAllTheBytes() throws IOException {
        AsyncIO.run(() -> {
            StreamReader r = new StreamReader(2);
            Task<byte[]> t = AsyncIO.createTask(() -> r.readexactly(7));
            for (String part : List.of("ab", "cd", "ef", "gh")) {
                settle();
                assertFalse(t.done());
                r.feedData(b(part));
            }
            assertEquals("abcdefg", s(t.await()));
            assertEquals("h", s(r.read(5)));
        });
    }

    @Test
    void readexactlyAtEofRaisesIncompleteReadErrorWithThePartialBytes() {
        AsyncIO.run(() -> {
            StreamReader r = new StreamReader();
            Task<byte[]> t = AsyncIO.createTask(() -> r.readexactly(10));
            settle();
            r.feedData(b("abc"));
            settle();
            r.feedEof();
            IncompleteReadError e = assertThrows(IncompleteReadError.class, t::await);
            assertEquals("abc", s(e.partial()));
            assertEquals(10, e.expected());
            assertEquals("3 bytes read on a total of 10 expected bytes", e.getMessage());
            assertTrue(r.atEof(), "the partial bytes were consumed");
        });
    }

    @Test
    void readexactlyRefusesANegativeSize() {
        AsyncIO.run(() -> {
            Errors.assertError(IllegalArgumentException.class, Errors.caught(() -> new StreamReader().readexactly(-1)),
                    "less than zero", "-1");
        });
    }

    // ---------------------------------------------------------------- readline, readuntil

    @Test
    void readlineSplitsLinesAndReturnsTheRestThenEmptyAtEof() throws IOException {
        AsyncIO.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("one\ntwo\nthr"));
            assertEquals("one\n", s(r.readline()));
            assertEquals("two\n", s(r.readline()));
            Task<byte[]> t = AsyncIO.createTask(r::readline);
            settle();
            r.feedData(b("ee\nfo"));
            assertEquals("three\n", s(t.await()));
            r.feedEof();
            assertEquals("fo", s(r.readline()));
            assertEquals(0, r.readline().length);
        });
    }

    @Test
    void readuntilFindsASeparatorSplitAcrossFeeds() throws IOException {
        AsyncIO.run(() -> {
            StreamReader r = new StreamReader();
            Task<byte[]> t = AsyncIO.createTask(() -> r.readuntil(b("\r\n\r\n")));
            for (String part : List.of("GET / HTTP/1.0\r", "\nHost: x\r", "\n\r", "\nbody")) {
                settle();
                r.feedData(b(part));
            }
            assertEquals("GET / HTTP/1.0\r\nHost: x\r\n\r\n", s(t.await()));
            assertEquals("body", s(r.read(10)));
        });
    }

    @Test
    void readuntilWithSeveralSeparatorsReturnsTheShortestChunk() throws IOException {
        AsyncIO.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("abc\r\ndef\nghi|jkl"));
            List<byte[]> seps = List.of(b("\r\n"), b("\n"), b("|"));
            assertEquals("abc\r\n", s(r.readuntil(seps)), "\\r\\n ends before \\n alone could");
            assertEquals("def\n", s(r.readuntil(seps)));
            assertEquals("ghi|", s(r.readuntil(seps)));
            r.feedEof();
            IncompleteReadError e = assertThrows(IncompleteReadError.class, () -> r.readuntil(seps));
            assertEquals("jkl", s(e.partial()));
            assertEquals(-1, e.expected());
            assertTrue(e.getMessage().contains("undefined"), e.getMessage());
        });
    }

    @Test
    void readuntilAtEofRaisesIncompleteReadErrorWithEverythingLeft() {
        AsyncIO.run(() -> {
            StreamReader r = new StreamReader();
            Task<byte[]> t = AsyncIO.createTask(() -> r.readuntil(b("END")));
            settle();
            r.feedData(b("no end in E"));
            settle();
            r.feedData(b("N"));
            settle();
            r.feedEof();
            IncompleteReadError e = assertThrows(IncompleteReadError.class, t::await);
            assertEquals("no end in EN", s(e.partial()));
            assertTrue(r.atEof());
        });
    }

    @Test
    void readuntilRefusesBadSeparators() {
        AsyncIO.run(() -> {
            StreamReader r = new StreamReader();
            Errors.assertError(IllegalArgumentException.class, Errors.caught(() -> r.readuntil(new byte[0])),
                    "at least one byte");
            Errors.assertError(IllegalArgumentException.class, Errors.caught(() -> r.readuntil(List.of())),
                    "at least one separator");
        });
    }

    @Test
    void readuntilBeyondTheLimitRaisesLimitOverrunErrorAndConsumesNothing() throws IOException {
        AsyncIO.run(() -> {
            StreamReader r = new StreamReader(8);
            r.feedData(b("0123456789abcdef!rest"));
            LimitOverrunError notFound = assertThrows(LimitOverrunError.class, () -> r.readuntil(b("#")));
            assertEquals(21, notFound.consumed());
            assertEquals(21, r.buffered(), "nothing consumed");
            LimitOverrunError found = assertThrows(LimitOverrunError.class, () -> r.readuntil(b("!")));
            assertEquals(16, found.consumed(), "where the separator starts");
            assertTrue(found.getMessage().contains("limit of 8 bytes"), found.getMessage());
            assertEquals(16, r.readexactly(found.consumed()).length);
            assertEquals("!", s(r.readuntil(b("!"))));
        });
    }

    @Test
    void aLineLongerThanTheLimitRaisesIllegalArgumentAndTheReaderStaysUsable() throws IOException {
        AsyncIO.run(() -> {
            StreamReader r = new StreamReader(8);
            // the separator is buffered: the long line is dropped through it
            r.feedData(b("this line is far too long\nshort\n"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::readline);
            assertTrue(e.getCause() instanceof LimitOverrunError, String.valueOf(e.getCause()));
            assertEquals("short\n", s(r.readline()));
            // no separator yet: the whole buffer is dropped; the tail reads as the next line
            Task<byte[]> t = AsyncIO.createTask(r::readline);
            settle();
            r.feedData(b("0123456789012345678"));
            assertThrows(IllegalArgumentException.class, t::await);
            assertEquals(0, r.buffered());
            r.feedData(b("tail\nok\n"));
            assertEquals("tail\n", s(r.readline()));
            assertEquals("ok\n", s(r.readline()));
        });
    }

    @Test
    void linesIteratesUntilEof() {
        AsyncIO.run(() -> {
            StreamReader r = new StreamReader();
            Task<List<String>> t = AsyncIO.createTask(() -> {
                List<String> got = new ArrayList<>();
                for (byte[] line : r.lines()) {
                    got.add(s(line));
                }
                return got;
            });
            r.feedData(b("a\nb"));
            settle();
            r.feedData(b("\nc"));
            settle();
            r.feedEof();
            assertEquals(List.of("a\n", "b\n", "c"), t.await());
        });
    }

    // ---------------------------------------------------------------- errors and misuse

    @Test
    void anExceptionIsRaisedByEveryReadEvenWithBytesBuffered() {
        AsyncIO.run(() -> {
            StreamReader r = new StreamReader();
            Task<byte[]> waiting = AsyncIO.createTask(() -> r.readexactly(4));
            settle();
            SocketException reset = new SocketException("Connection reset");
            r.setException(reset);
            assertSame(reset, assertThrows(SocketException.class, waiting::await), "the very exception");
            assertSame(reset, r.exception());
            assertSame(reset, assertThrows(SocketException.class, () -> r.read(1)));
            assertSame(reset, assertThrows(SocketException.class, r::readline));
        });
    }

    @Test
    void onlyOneTaskMayWaitForData() {
        AsyncIO.run(() -> {
            StreamReader r = new StreamReader();
            Task<byte[]> first = AsyncIO.createTask(() -> r.read(1));
            settle();
            Errors.assertError(IllegalStateException.class, Errors.caught(() -> r.read(1)),
                    "read() called while another task is already waiting for incoming data");
            r.feedData(b("x"));
            assertEquals("x", s(first.await()));
        });
    }

    @Test
    void readingOutsideATaskFailsAtOnce() {
        StreamReader r = new StreamReader();
        r.feedData(b("abc"));
        Errors.assertError(IllegalStateException.class, Errors.caught(() -> r.read(1)), "StreamReader.read()",
                "AsyncIO.run");
        assertEquals(3, r.buffered(), "nothing consumed");
    }

    @Test
    void feedDataAfterFeedEofIsRefused() {
        StreamReader r = new StreamReader();
        r.feedEof();
        Errors.assertError(IllegalStateException.class, Errors.caught(() -> r.feedData(b("late"))), "after feedEof()");
        Errors.assertError(IllegalArgumentException.class, Errors.caught(() -> new StreamReader(0)), "limit", "0");
    }

    // ---------------------------------------------------------------- cancellation

    @Test
    void aCancelledReadLeavesTheBufferedBytesForTheNextRead() throws IOException {
        AsyncIO.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("abc"));
            Task<byte[]> t = AsyncIO.createTask(() -> r.readexactly(5));
            settle();
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            assertEquals("abc", s(r.readexactly(3)));
            Task<byte[]> line = AsyncIO.createTask(r::readline);
            settle();
            r.feedData(b("de"));
            line.cancel(); // woken by the data but cancelled before it resumed
            assertThrows(CancelledError.class, line::await);
            r.feedData(b("\n"));
            assertEquals("de\n", s(r.readline()));
        });
    }

    // ---------------------------------------------------------------- back-pressure

    /** A read transport that only records pause and resume. */
    static final class FakeTransport implements ReadTransport {
        boolean reading = true;
        final List<String> calls = new ArrayList<>();

        @Override
        public void pauseReading() {
            calls.add("pause");
            reading = false;
        }

        @Override
        public void resumeReading() {
            calls.add("resume");
            reading = true;
        }

        @Override
        public boolean isReading() {
            return reading;
        }

        @Override
        public void close() {
        }

        @Override
        public boolean isClosing() {
            return false;
        }

        @Override
        public Object getExtraInfo(String name, Object defaultValue) {
            return defaultValue;
        }

        @Override
        public BaseProtocol getProtocol() {
            return null;
        }

        @Override
        public void setProtocol(BaseProtocol protocol) {
        }
    }

    @Test
    void readingPausesAboveTwiceTheLimitAndResumesAtTheLimit() throws IOException {
        AsyncIO.run(() -> {
            StreamReader r = new StreamReader(10);
            FakeTransport t = new FakeTransport();
            r.setTransport(t);
            r.feedData(new byte[20]);
            assertTrue(t.isReading(), "20 bytes is not above 2 x 10");
            r.feedData(new byte[1]);
            assertFalse(t.isReading(), "21 bytes is");
            r.feedData(new byte[5]);
            assertEquals(List.of("pause"), t.calls, "paused once");
            r.readexactly(15);
            assertFalse(t.isReading(), "11 bytes left: still above the limit");
            r.readexactly(1);
            assertTrue(t.isReading(), "10 bytes left: at the limit");
            assertEquals(List.of("pause", "resume"), t.calls);
        });
    }

    @Test
    void aReadThatNeedsMoreThanIsBufferedResumesAPausedTransport() {
        AsyncIO.run(() -> {
            StreamReader r = new StreamReader(4);
            FakeTransport t = new FakeTransport();
            r.setTransport(t);
            r.feedData(new byte[9]);
            assertFalse(t.isReading());
            Task<byte[]> big = AsyncIO.createTask(() -> r.readexactly(30));
            settle();
            assertTrue(t.isReading(), "readexactly(30) can only finish if the transport reads on");
            r.feedData(new byte[21]);
            assertEquals(30, big.await().length);
            assertEquals(List.of("pause", "resume", "pause", "resume"), t.calls);
        });
    }

    @Test
    void toStringShowsTheState() throws IOException {
        StreamReader r = new StreamReader(10);
        r.feedData(b("abc"));
        r.feedEof();
        assertEquals("<StreamReader 3 bytes eof limit=10>", r.toString());
    }
}
