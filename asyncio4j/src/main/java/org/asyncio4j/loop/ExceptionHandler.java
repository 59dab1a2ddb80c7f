package org.asyncio4j.loop;

/**
 * Receives the errors a loop cannot propagate: callbacks that throw, exceptions nobody
 * retrieved, failures during shutdown (asyncio's {@code loop.set_exception_handler}).
 */
@FunctionalInterface
public interface ExceptionHandler {
    /**
     * @param loop the loop that caught the error
     * @param context what happened
     */
    void handle(EventLoop loop, ExceptionContext context);
}
