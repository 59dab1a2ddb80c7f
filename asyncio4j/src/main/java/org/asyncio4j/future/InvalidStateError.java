package org.asyncio4j.future;

/**
 * An operation on a {@link Future} that its current state does not allow, such as
 * setting the result of a future that is already done or reading the result of one
 * that is still pending (asyncio's {@code asyncio.InvalidStateError}).
 */
public class InvalidStateError extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was attempted and the state that refused it
     */
    public InvalidStateError(String message) {
        super(message);
    }
}
