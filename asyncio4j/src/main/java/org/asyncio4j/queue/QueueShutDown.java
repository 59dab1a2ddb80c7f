package org.asyncio4j.queue;

/**
 * Raised when putting into a queue that was shut down, or getting from one that was shut
 * down and is empty (asyncio's {@code asyncio.QueueShutDown}, Python 3.13). See
 * {@link Queue#shutdown(boolean)}. An {@link IllegalStateException}: the queue's state no
 * longer allows the operation.
 */
public class QueueShutDown extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was attempted on which queue
     */
    public QueueShutDown(String message) {
        super(message);
    }
}
