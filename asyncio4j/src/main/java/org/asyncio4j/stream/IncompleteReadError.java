package org.asyncio4j.stream;

import java.io.EOFException;

/**
 * The stream ended before a read could be satisfied (asyncio's
 * {@code asyncio.IncompleteReadError}, an {@code EOFError}; here an {@link EOFException},
 * so an {@code IOException}). Raised by {@link StreamReader#readexactly(int)} and
 * {@link StreamReader#readuntil(byte[])}; the bytes that were there are in {@link #partial()}
 * and have been consumed from the reader.
 */
public final class IncompleteReadError extends EOFException {
    private static final long serialVersionUID = 1L;

    /** The bytes read before the end; never null. */
    private final transient byte[] partial;
    /** The bytes that were asked for, or -1 when unknown (asyncio's {@code None}). */
    private final int expected;

    /**
     * @param partial the bytes read before the end of the stream
     * @param expected the number of bytes asked for, or -1 when unknown (readuntil)
     */
    public IncompleteReadError(byte[] partial, int expected) {
        super(partial.length + " bytes read on a total of " + (expected < 0 ? "undefined" : Integer.toString(expected))
                + " expected bytes");
        this.partial = partial;
        this.expected = expected;
    }

    /** @return the bytes read before the stream ended (asyncio's {@code partial}); the array itself, not a copy */
    public byte[] partial() {
        return partial;
    }

    /**
     * @return the number of bytes asked for (asyncio's {@code expected}), or -1 when unknown
     *     (asyncio's {@code None}, as from {@code readuntil})
     */
    public int expected() {
        return expected;
    }
}
