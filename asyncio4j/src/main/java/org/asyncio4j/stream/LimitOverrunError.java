package org.asyncio4j.stream;

import java.io.IOException;

/**
 * A separator was not found within the reader's buffer limit (asyncio's
 * {@code asyncio.LimitOverrunError}), raised by {@link StreamReader#readuntil(byte[])}. Nothing
 * has been consumed: the bytes stay in the reader, and {@link #consumed()} says how many to
 * skip (for example with {@link StreamReader#readexactly(int)}) to get past them.
 *
 * <p>asyncio's is a plain {@code Exception}; here it is an {@link IOException}, so that
 * {@code throws IOException} covers every error of a stream read.
 */
public final class LimitOverrunError extends IOException {
    private static final long serialVersionUID = 1L;

    /** The number of bytes to be consumed. */
    private final int consumed;

    /**
     * @param message what overran
     * @param consumed the number of bytes to be consumed
     */
    public LimitOverrunError(String message, int consumed) {
        super(message);
        this.consumed = consumed;
    }

    /** @return the number of bytes to be consumed (asyncio's {@code consumed}) */
    public int consumed() {
        return consumed;
    }
}
