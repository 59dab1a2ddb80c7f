package org.asyncio4j.queue;

import java.util.NoSuchElementException;

/**
 * Raised by {@link Queue#getNowait()} when the queue is empty (asyncio's
 * {@code asyncio.QueueEmpty}). A {@link NoSuchElementException}, like
 * {@code java.util.Queue.remove()} on an empty queue.
 */
public class QueueEmpty extends NoSuchElementException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was attempted on which queue
     */
    public QueueEmpty(String message) {
        super(message);
    }
}
