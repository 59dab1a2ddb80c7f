package org.asyncio4j.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.asyncio4j.future.ParkingLot;
import org.asyncio4j.future.Sneaky;
import org.asyncio4j.net.ReadTransport;

/**
 * The reading half of a stream connection (asyncio's {@code asyncio.StreamReader}): bytes
 * fed by the connection's {@link StreamReaderProtocol} are buffered here, and tasks read
 * them by size, by line or up to a separator.
 *
 * <pre>{@code
 * StreamPair conn = Streams.openConnection("example.com", 80);
 * conn.writer().write("GET / HTTP/1.0\r\n\r\n".getBytes(US_ASCII));
 * for (byte[] line : conn.reader().lines()) {      // readline() until EOF
 *     System.out.print(new String(line, US_ASCII));
 * }
 * }</pre>
 *
 * <p>Readers are not usually made by hand: {@link Streams#openConnection} and
 * {@link Streams#startServer} make them. Tests may make one and drive it with
 * {@link #feedData(byte[])} and {@link #feedEof()}.
 *
 * <h2>States</h2>
 * <pre>
 *   OPEN ──feedEof()──▶ EOF: the buffered bytes are still read, then reads return empty / raise IncompleteReadError
 *     │                  (atEof() once the buffer is empty too)
 *     └──setException(e)──▶ FAILED: every read raises e, even with bytes buffered
 *
 *   the transport:  READING ──buffer above 2 × limit──▶ PAUSED ──buffer at or below limit,
 *                                                               or a read must wait for more──▶ READING
 * </pre>
 *
 * <h2>The limit and back-pressure</h2>
 * {@code limit} (64 KiB by default, asyncio's) bounds two things. A separator must be found
 * within it ({@link #readuntil(byte[])} raises {@link LimitOverrunError}, {@link #readline()}
 * raises {@link IllegalArgumentException}, asyncio's {@code ValueError}). And the buffer is
 * kept near it: once more than {@code 2 × limit} bytes are buffered the transport stops
 * reading ({@code pauseReading()}), so TCP holds the peer back; reading resumes when reads
 * bring the buffer back to {@code limit} or below, or when a read needs more bytes than the
 * buffer holds (so {@code readexactly(n)} with {@code n > 2 × limit} still completes).
 *
 * <h2>One reader at a time</h2>
 * As in asyncio, only one task may wait for data at a time: a second task that would have
 * to wait while another waits gets an {@link IllegalStateException}. Reads that find their
 * bytes buffered never wait and are always allowed.
 *
 * <h2>Cancellation</h2>
 * Every read is cancel-safe in asyncio's sense: a read cancelled while it waits consumes
 * nothing, so the bytes already buffered (and those that arrive later) are returned by the
 * next read. Reads consume only after their last suspension.
 *
 * <p>Not thread-safe: use it on its loop's thread, like everything of an event loop.
 *
 * <p>Implementation overview. The bytes live in a {@link StreamBuffer} (consumed from the
 * front without moving the rest, compacted lazily on append), so a {@code read(65536)} that
 * takes the whole buffer costs one copy out and no compaction. The single waiting task parks
 * in a {@link ParkingLot}; {@link #feedData}, {@link #feedEof} and {@link #setException}
 * wake it, and it re-checks the state when it resumes (so a wake-up whose bytes another
 * task took meanwhile just waits again). {@link #readuntil(List)} remembers how far it
 * searched as an absolute stream position, so each byte is scanned about once however the
 * data trickles in. Invariants: {@code paused} is true exactly when this reader paused the
 * transport and has not resumed it; at most one task is parked or waking in {@code waiter}.
 */
public final class StreamReader {
    /** asyncio's {@code _DEFAULT_LIMIT}: 64 KiB. */
    public static final int DEFAULT_LIMIT = 64 * 1024;
    private static final byte[] EMPTY = {};
    private static final byte[] NEWLINE = {'\n'};
    private static final List<byte[]> NEWLINE_ONLY = List.of(NEWLINE);

    private final int limit;
    private final StreamBuffer buffer;
    /** The one task waiting for data, if any. */
    private final ParkingLot waiter = new ParkingLot();
    private boolean eof;
    private Throwable exception;
    private ReadTransport transport;
    /** This reader paused the transport's reading and has not resumed it. */
    private boolean paused;

    /** A reader with the default limit, 64 KiB (asyncio's {@code StreamReader()}). */
    public StreamReader() {
        this(DEFAULT_LIMIT);
    }

    /**
     * A reader with the given limit (asyncio's {@code StreamReader(limit=)}).
     *
     * @param limit the buffer limit in bytes; see the class comment
     * @throws IllegalArgumentException if {@code limit <= 0}
     */
    public StreamReader(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("StreamReader limit must be > 0 bytes, got " + limit);
        }
        this.limit = limit;
        // keep the array across messages unless it grew far beyond what the limit needs
        this.buffer = new StreamBuffer((int) Math.min(Integer.MAX_VALUE, Math.max(1L << 20, 4L * limit)));
    }

    // ================================================================ feeding (the protocol's side)

    /**
     * Tells the reader which transport feeds it, so it can pause and resume its reading
     * (asyncio's {@code set_transport()}); {@link StreamReaderProtocol} calls it.
     *
     * @param transport the transport
     * @throws IllegalStateException if the reader already has a transport
     */
    public void setTransport(ReadTransport transport) {
        if (this.transport != null) {
            throw new IllegalStateException("StreamReader already has a transport (" + this.transport
                    + "); cannot set " + transport);
        }
        this.transport = transport;
    }

    /**
     * Swaps the transport after a TLS upgrade (asyncio's {@code StreamWriter.start_tls()}
     * swaps the protocol's). Reading of the new transport is paused if this reader had paused
     * the old one.
     */
    void replaceTransport(ReadTransport newTransport) {
        transport = newTransport;
        if (paused && newTransport != null) {
            newTransport.pauseReading();
        }
    }

    /**
     * Appends bytes to the buffer and wakes a waiting read (asyncio's {@code feed_data()}).
     * Pauses the transport's reading once more than {@code 2 × limit} bytes are buffered.
     *
     * @param data the bytes; copied
     * @throws IllegalStateException after {@link #feedEof()}
     */
    public void feedData(byte[] data) {
        checkNotEof(data.length);
        if (data.length == 0) {
            return;
        }
        buffer.append(data, 0, data.length);
        fed();
    }

    /**
     * Appends the bytes between {@code data}'s position and limit, advancing its position
     * (the form the protocol uses: the transport's buffer is valid only during
     * {@code dataReceived}, so the bytes are copied once, straight into the reader's buffer).
     *
     * @param data the bytes; copied
     * @throws IllegalStateException after {@link #feedEof()}
     */
    public void feedData(ByteBuffer data) {
        checkNotEof(data.remaining());
        if (!data.hasRemaining()) {
            return;
        }
        buffer.append(data);
        fed();
    }

    private void checkNotEof(int n) {
        if (eof) {
            throw new IllegalStateException("feedData() of " + n + " bytes after feedEof() on " + this);
        }
    }

    private void fed() {
        wakeUp();
        if (transport != null && !paused && buffer.size() > 2L * limit) {
            transport.pauseReading();
            paused = true;
        }
    }

    /** Marks the end of the stream and wakes a waiting read (asyncio's {@code feed_eof()}). Idempotent. */
    public void feedEof() {
        eof = true;
        wakeUp();
    }

    /**
     * Makes every read raise {@code exc} from now on, and wakes a waiting read to raise it
     * (asyncio's {@code set_exception()}). The protocol calls it when the connection is lost
     * with an error.
     *
     * @param exc the error; raised as it is, never wrapped
     */
    public void setException(Throwable exc) {
        if (exc == null) {
            throw new NullPointerException("setException needs an exception, got null");
        }
        exception = exc;
        wakeUp();
    }

    /** @return the error set by {@link #setException}, or {@code null} (asyncio's {@code exception()}) */
    public Throwable exception() {
        return exception;
    }

    /** @return whether the stream ended and every byte was read (asyncio's {@code at_eof()}) */
    public boolean atEof() {
        return eof && buffer.size() == 0;
    }

    /** @return the buffer limit in bytes */
    public int limit() {
        return limit;
    }

    /** @return the number of bytes buffered and not yet read */
    public int buffered() {
        return buffer.size();
    }

    private void wakeUp() {
        waiter.unparkAll();
    }

    // ================================================================ reading

    /**
     * Suspending: reads up to {@code n} bytes (asyncio's {@code read(n)}). Returns what is
     * buffered, up to {@code n}, waiting only if nothing is; an empty array means EOF.
     * {@code n = -1} (any negative) reads until EOF; {@code n = 0} returns an empty array
     * at once.
     *
     * <p>Cancellation: nothing is consumed; every byte stays for the next read. With
     * {@code n < 0}, the bytes gathered before the cancellation are lost (as in asyncio).
     *
     * @param n the most bytes to return, or -1 for everything until EOF
     * @return the bytes; empty only at EOF (or for {@code n = 0})
     * @throws IOException (or any error) set by {@link #setException}, e.g. the connection's error
     * @throws IllegalStateException if called outside a task, or while another task waits for data
     */
    public byte[] read(int n) throws IOException {
        waiter.checkCanPark("StreamReader.read()");
        throwIfFailed();
        if (n == 0) {
            return EMPTY;
        }
        if (n < 0) {
            return readAll();
        }
        while (buffer.size() == 0 && !eof) {
            waitForData("read");
        }
        byte[] data = buffer.take(Math.min(n, buffer.size()));
        maybeResumeTransport();
        return data;
    }

    /**
     * Suspending: reads until EOF (asyncio's {@code read()}, {@code read(-1)}).
     *
     * <p>Cancellation: as {@link #read(int)} with a negative size.
     *
     * @return every byte until EOF
     * @throws IOException (or any error) set by {@link #setException}
     */
    public byte[] read() throws IOException {
        return read(-1);
    }

    private byte[] readAll() throws IOException {
        List<byte[]> blocks = new ArrayList<>();
        long total = 0;
        while (true) {
            byte[] block = read(limit);
            if (block.length == 0) {
                break;
            }
            blocks.add(block);
            total += block.length;
        }
        if (blocks.size() == 1) {
            return blocks.getFirst();
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new OutOfMemoryError("read(-1): the stream holds " + total + " bytes, more than a byte[] can");
        }
        byte[] all = new byte[(int) total];
        int at = 0;
        for (byte[] b : blocks) {
            System.arraycopy(b, 0, all, at, b.length);
            at += b.length;
        }
        return all;
    }

    /**
     * Suspending: {@link #read(int)} into a buffer, which saves the copy into a new array:
     * puts up to {@code dst.remaining()} bytes into {@code dst}, waiting only if none is
     * buffered (Java's {@code ReadableByteChannel.read}).
     *
     * <p>Cancellation: nothing is consumed and {@code dst} is unchanged.
     *
     * @param dst where to put the bytes, from its position
     * @return how many bytes were put, -1 at EOF, 0 if {@code dst} has no room
     * @throws IOException (or any error) set by {@link #setException}
     * @throws IllegalStateException if called outside a task, or while another task waits for data
     */
    public int readInto(ByteBuffer dst) throws IOException {
        waiter.checkCanPark("StreamReader.readInto()");
        throwIfFailed();
        if (!dst.hasRemaining()) {
            return 0;
        }
        while (buffer.size() == 0 && !eof) {
            waitForData("readInto");
        }
        if (buffer.size() == 0) {
            return -1;
        }
        int n = buffer.takeInto(dst);
        maybeResumeTransport();
        return n;
    }

    /**
     * Suspending: reads exactly {@code n} bytes (asyncio's {@code readexactly(n)}). May
     * exceed the limit: the transport keeps reading until {@code n} bytes are there.
     *
     * <p>Cancellation: nothing is consumed; the bytes already buffered stay readable.
     *
     * @param n how many bytes; 0 returns an empty array at once
     * @return exactly {@code n} bytes
     * @throws IncompleteReadError if the stream ends first; its {@code partial()} holds the
     *     bytes that were there (consumed) and {@code expected()} is {@code n}
     * @throws IOException (or any error) set by {@link #setException}
     * @throws IllegalArgumentException if {@code n < 0}
     * @throws IllegalStateException if called outside a task, or while another task waits for data
     */
    public byte[] readexactly(int n) throws IOException {
        if (n < 0) {
            throw new IllegalArgumentException("readexactly size can not be less than zero, got " + n);
        }
        waiter.checkCanPark("StreamReader.readexactly()");
        throwIfFailed();
        if (n == 0) {
            return EMPTY;
        }
        while (buffer.size() < n) {
            if (eof) {
                byte[] partial = buffer.take(buffer.size());
                maybeResumeTransport();
                throw new IncompleteReadError(partial, n);
            }
            waitForData("readexactly");
        }
        byte[] data = buffer.take(n);
        maybeResumeTransport();
        return data;
    }

    /**
     * Suspending: reads one line, up to and including {@code '\n'} (asyncio's
     * {@code readline()}). At EOF returns what is left without a newline, and then an empty
     * array.
     *
     * <p>A line longer than the limit raises {@link IllegalArgumentException} (asyncio's
     * {@code ValueError}, caused by the {@link LimitOverrunError}) and is dropped: through its
     * newline if that is buffered, else the whole buffer (the rest of the line, arriving
     * later, is then read as the next line). The reader stays usable.
     *
     * <p>Cancellation: nothing is consumed; the bytes already buffered stay readable.
     *
     * @return the line with its {@code '\n'}, the unterminated rest at EOF, or empty at EOF
     * @throws IllegalArgumentException if the line is longer than the limit
     * @throws IOException (or any error) set by {@link #setException}
     * @throws IllegalStateException if called outside a task, or while another task waits for data
     */
    public byte[] readline() throws IOException {
        try {
            return readuntil(NEWLINE_ONLY, "readline");
        } catch (IncompleteReadError e) {
            return e.partial();
        } catch (LimitOverrunError e) {
            if (buffer.startsWith(NEWLINE, e.consumed())) {
                buffer.skip(e.consumed() + NEWLINE.length);
            } else {
                buffer.clear();
            }
            maybeResumeTransport();
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Suspending: reads up to and including the first {@code '\n'} (asyncio's
     * {@code readuntil()} with its default separator); see {@link #readuntil(List)}.
     *
     * @return the bytes, ending with the separator
     * @throws IncompleteReadError if the stream ends first (with everything that was left)
     * @throws LimitOverrunError if no separator is found within the limit (nothing consumed)
     * @throws IOException (or any error) set by {@link #setException}
     */
    public byte[] readuntil() throws IOException {
        return readuntil(NEWLINE_ONLY, "readuntil");
    }

    /**
     * Suspending: reads up to and including {@code separator} (asyncio's
     * {@code readuntil(separator)}); see {@link #readuntil(List)}.
     *
     * @param separator the bytes that end the chunk; at least one byte
     * @return the bytes, ending with the separator
     * @throws IncompleteReadError if the stream ends first (with everything that was left)
     * @throws LimitOverrunError if no separator is found within the limit (nothing consumed)
     * @throws IOException (or any error) set by {@link #setException}
     * @throws IllegalArgumentException if the separator is empty
     */
    public byte[] readuntil(byte[] separator) throws IOException {
        if (separator == null) {
            throw new IllegalArgumentException("readuntil needs a separator, got null");
        }
        return readuntil(List.of(separator), "readuntil");
    }

    /**
     * Suspending: reads up to and including the first of several separators (asyncio 3.13's
     * {@code readuntil(separator)} with a tuple): the shortest chunk that ends with any of
     * them is returned, so of two separators found at the same place, the longer one wins
     * only if it ends first.
     *
     * <p>On success the chunk and its separator are consumed. If the stream ends before a
     * separator, everything left is consumed and carried by the {@link IncompleteReadError}
     * (its {@code expected()} is -1, asyncio's {@code None}). If no separator is found within
     * the limit, {@link LimitOverrunError} is raised and nothing is consumed; its
     * {@code consumed()} is how far the search got (or where the separator starts, when it
     * was found beyond the limit).
     *
     * <p>Cancellation: nothing is consumed; the bytes already buffered stay readable.
     *
     * @param separators the separators, each at least one byte; not empty
     * @return the bytes, ending with the separator that matched
     * @throws IncompleteReadError if the stream ends first (with everything that was left)
     * @throws LimitOverrunError if no separator is found within the limit (nothing consumed)
     * @throws IOException (or any error) set by {@link #setException}
     * @throws IllegalArgumentException if the list is empty, or a separator is null or empty
     * @throws IllegalStateException if called outside a task, or while another task waits for data
     */
    public byte[] readuntil(List<byte[]> separators) throws IOException {
        return readuntil(separators, "readuntil");
    }

    private byte[] readuntil(List<byte[]> separators, String method) throws IOException {
        byte[][] seps = checkSeparators(separators);
        waiter.checkCanPark("StreamReader." + method + "()");
        int minLen = seps[0].length;
        int maxLen = seps[seps.length - 1].length;
        throwIfFailed();
        // where the search goes on from, as an absolute stream position
        long searchFrom = buffer.consumedTotal();
        int matchStart;
        int matchEnd;
        while (true) {
            int buflen = buffer.size();
            int offset = (int) Math.max(0, searchFrom - buffer.consumedTotal());
            if (buflen - offset >= minLen) {
                matchStart = -1;
                matchEnd = -1;
                for (byte[] sep : seps) {
                    int at = buffer.indexOf(sep, offset);
                    if (at >= 0 && (matchEnd < 0 || at + sep.length < matchEnd)) {
                        matchStart = at;
                        matchEnd = at + sep.length;
                    }
                }
                if (matchEnd >= 0) {
                    break;
                }
                offset = Math.max(0, buflen + 1 - maxLen);
                searchFrom = buffer.consumedTotal() + offset;
                if (offset > limit) {
                    throw new LimitOverrunError("separator is not found in the first " + offset
                            + " bytes, which exceeds the limit of " + limit + " bytes", offset);
                }
            }
            if (eof) {
                byte[] chunk = buffer.take(buffer.size());
                maybeResumeTransport();
                throw new IncompleteReadError(chunk, -1);
            }
            waitForData(method);
        }
        if (matchStart > limit) {
            throw new LimitOverrunError("separator is found at byte " + matchStart
                    + ", but the chunk before it is longer than the limit of " + limit + " bytes", matchStart);
        }
        byte[] chunk = buffer.take(matchEnd);
        maybeResumeTransport();
        return chunk;
    }

    private static byte[][] checkSeparators(List<byte[]> separators) {
        if (separators == null || separators.isEmpty()) {
            throw new IllegalArgumentException("readuntil needs at least one separator, got " + separators);
        }
        byte[][] seps = separators.toArray(new byte[0][]);
        for (byte[] s : seps) {
            if (s == null || s.length == 0) {
                throw new IllegalArgumentException("each readuntil separator must be at least one byte, got "
                        + (s == null ? "null" : "an empty one"));
            }
        }
        if (seps.length > 1) {
            Arrays.sort(seps, Comparator.comparingInt(s -> s.length));
        }
        return seps;
    }

    /**
     * The lines of the stream, for a plain {@code for} loop inside a task (asyncio's
     * {@code async for line in reader}): each step calls {@link #readline()}, and the loop
     * ends at EOF (when it returns an empty array).
     *
     * <pre>{@code
     * for (byte[] line : reader.lines()) {
     *     handle(line);
     * }
     * }</pre>
     *
     * <p>The iterator's {@code hasNext()} is where it waits. Errors of {@code readline()}
     * propagate out of the loop unchanged (an {@link IOException} undeclared).
     *
     * <p>Cancellation: as {@link #readline()}: the line being waited for is not consumed. A
     * line is taken in {@code hasNext()}; an iterator abandoned after {@code hasNext()}
     * returned true drops that line.
     *
     * @return an iterable whose every iterator reads lines with {@link #readline()}
     */
    public Iterable<byte[]> lines() {
        return () -> new Iterator<byte[]>() {
            private byte[] next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next == null && !done) {
                    byte[] line;
                    try {
                        line = readline();
                    } catch (IOException e) {
                        throw Sneaky.rethrow(e);
                    }
                    if (line.length == 0) {
                        done = true;
                    } else {
                        next = line;
                    }
                }
                return next != null;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the stream is at EOF");
                }
                byte[] line = next;
                next = null;
                return line;
            }
        };
    }

    // ================================================================ waiting and back-pressure

    private void throwIfFailed() {
        Throwable e = exception;
        if (e != null) {
            throw Sneaky.rethrow(e);
        }
    }

    /**
     * Parks until data, EOF or an error arrives (asyncio's {@code _wait_for_data}); resumes
     * the transport first if this reader paused it, or the wait could never end.
     */
    private void waitForData(String method) {
        if (!waiter.isIdle()) {
            throw new IllegalStateException(method + "() called while another task is already waiting for incoming "
                    + "data on " + this);
        }
        if (paused) {
            paused = false;
            transport.resumeReading();
        }
        waiter.park(); // a cancellation propagates from here: nothing was consumed
        throwIfFailed();
    }

    /** Resumes the transport's reading once the buffer is back to the limit (asyncio's {@code _maybe_resume_transport}). */
    private void maybeResumeTransport() {
        if (paused && buffer.size() <= limit) {
            paused = false;
            transport.resumeReading();
        }
    }

    /** @return {@code <StreamReader N bytes eof limit=L waiter exception=E transport=T paused>}, as asyncio's repr */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<StreamReader");
        if (buffer.size() > 0) {
            sb.append(' ').append(buffer.size()).append(" bytes");
        }
        if (eof) {
            sb.append(" eof");
        }
        if (limit != DEFAULT_LIMIT) {
            sb.append(" limit=").append(limit);
        }
        if (!waiter.isIdle()) {
            sb.append(" waiter");
        }
        if (exception != null) {
            sb.append(" exception=").append(exception);
        }
        if (transport != null) {
            sb.append(" transport=").append(transport);
        }
        if (paused) {
            sb.append(" paused");
        }
        return sb.append('>').toString();
    }
}
