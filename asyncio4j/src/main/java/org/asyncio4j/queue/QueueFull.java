package org.asyncio4j.queue;

/**
 * Raised by {@link Queue#putNowait(Object)} when the queue holds {@code maxsize} items
 * (asyncio's {@code asyncio.QueueFull}). An {@link IllegalStateException}, like
 * {@code java.util.Queue.add()} on a full queue.
 */
public class QueueFull extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was attempted on which queue
     */
    public QueueFull(String message) {
        super(message);
    }
}
