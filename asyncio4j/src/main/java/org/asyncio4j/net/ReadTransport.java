package org.asyncio4j.net;

/** The reading side of a transport (asyncio's {@code asyncio.ReadTransport}). */
public interface ReadTransport extends BaseTransport {
    /**
     * Stops delivering data until {@link #resumeReading()} (asyncio's {@code pause_reading()}):
     * the socket is no longer read, so the peer is held back by TCP flow control. Does
     * nothing if already paused or closing.
     */
    void pauseReading();

    /** Delivers data again (asyncio's {@code resume_reading()}). Does nothing if not paused. */
    void resumeReading();

    /** @return whether data is being delivered (asyncio's {@code is_reading()}) */
    boolean isReading();
}
