package org.asyncio4j.stream;

import java.nio.ByteBuffer;

/**
 * The growable byte buffer behind a {@link StreamReader} (asyncio's {@code bytearray}
 * {@code _buffer}): bytes are appended at the end and consumed from the front.
 *
 * <p>Implementation overview. The live bytes are {@code bytes[start, end)}. Consuming
 * only advances {@code start}, so a read never moves the bytes left behind it; when the
 * buffer empties, both indexes go back to 0 for free. Room is made lazily, on append:
 * the live bytes are moved to the front when that leaves at least half the array free
 * (so each move of {@code k} bytes buys room for at least {@code k} more, and appending
 * stays amortised O(1) per byte), otherwise the array doubles. An array grown far beyond
 * what the reader's limit needs is dropped once it is empty ({@link #StreamBuffer(int)}).
 * {@link #consumedTotal()} counts every byte ever consumed, so a separator search can
 * remember where it stopped as an absolute position that survives consumption.
 * Invariants: {@code 0 <= start <= end <= bytes.length}; {@code start == end} implies
 * {@code start == 0}.
 */
final class StreamBuffer {
    private static final byte[] NONE = {};
    private static final int MIN_CAPACITY = 4096;
    /** The largest array the JDK reliably allocates. */
    private static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;

    /** An empty array bigger than this is released rather than kept for reuse. */
    private final int keepCapacity;
    private byte[] bytes = NONE;
    /** The first live byte. */
    private int start;
    /** One past the last live byte. */
    private int end;
    /** Bytes consumed since the buffer was made. */
    private long consumed;

    /**
     * @param keepCapacity an empty array larger than this is released
     */
    StreamBuffer(int keepCapacity) {
        this.keepCapacity = keepCapacity;
    }

    /** @return the number of live bytes */
    int size() {
        return end - start;
    }

    /** @return bytes consumed since the buffer was made: the absolute position of the first live byte */
    long consumedTotal() {
        return consumed;
    }

    /** @return the array's length (for tests and {@code toString}) */
    int capacity() {
        return bytes.length;
    }

    // ---------------------------------------------------------------- appending

    /** Appends the bytes between {@code src}'s position and limit, advancing its position. */
    void append(ByteBuffer src) {
        int n = src.remaining();
        ensureRoom(n);
        src.get(bytes, end, n);
        end += n;
    }

    /** Appends {@code src[off, off + len)}. */
    void append(byte[] src, int off, int len) {
        ensureRoom(len);
        System.arraycopy(src, off, bytes, end, len);
        end += len;
    }

    private void ensureRoom(int n) {
        if (bytes.length - end >= n) {
            return;
        }
        int live = end - start;
        long need = (long) live + n;
        if (need > MAX_CAPACITY) {
            throw new OutOfMemoryError("a StreamReader buffer cannot hold more than " + MAX_CAPACITY
                    + " bytes; it holds " + live + " and " + n + " more arrived");
        }
        if (need <= bytes.length / 2) {
            System.arraycopy(bytes, start, bytes, 0, live);
        } else {
            long cap = Math.max(MIN_CAPACITY, bytes.length);
            while (cap < 2 * need) {
                cap *= 2;
            }
            byte[] grown = new byte[(int) Math.min(cap, MAX_CAPACITY)];
            System.arraycopy(bytes, start, grown, 0, live);
            bytes = grown;
        }
        start = 0;
        end = live;
    }

    // ---------------------------------------------------------------- consuming

    /** Removes and returns the first {@code n} live bytes; {@code n <= size()}. */
    byte[] take(int n) {
        byte[] out = new byte[n];
        System.arraycopy(bytes, start, out, 0, n);
        skip(n);
        return out;
    }

    /** Removes as many bytes as fit into {@code dst} and puts them there; returns how many. */
    int takeInto(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), size());
        dst.put(bytes, start, n);
        skip(n);
        return n;
    }

    /** Drops the first {@code n} live bytes; {@code n <= size()}. */
    void skip(int n) {
        start += n;
        consumed += n;
        if (start == end) {
            start = 0;
            end = 0;
            if (bytes.length > keepCapacity) {
                bytes = NONE;
            }
        }
    }

    /** Drops every live byte. */
    void clear() {
        skip(size());
    }

    // ---------------------------------------------------------------- searching

    /**
     * @param sep the bytes to find; not empty
     * @param from where to start, relative to the first live byte
     * @return the first index {@code >= from} (relative) where {@code sep} starts, or -1
     */
    int indexOf(byte[] sep, int from) {
        byte[] b = bytes;
        byte first = sep[0];
        int last = end - sep.length;
        for (int i = start + from; i <= last; i++) {
            if (b[i] != first) {
                continue;
            }
            int j = 1;
            while (j < sep.length && b[i + j] == sep[j]) {
                j++;
            }
            if (j == sep.length) {
                return i - start;
            }
        }
        return -1;
    }

    /** @return whether the live bytes at relative index {@code at} begin with {@code sep} */
    boolean startsWith(byte[] sep, int at) {
        if (at < 0 || at + sep.length > size()) {
            return false;
        }
        for (int j = 0; j < sep.length; j++) {
            if (bytes[start + at + j] != sep[j]) {
                return false;
            }
        }
        return true;
    }
}
