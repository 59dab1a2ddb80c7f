package org.asyncio4j.loop;

import java.util.Map;
import org.asyncio4j.future.Future;

/**
 * What the loop tells its exception handler about an error that could not propagate to
 * any caller (asyncio's exception-handler {@code context} dict, typed).
 *
 * @param message what happened, never {@code null}
 * @param exception the error, or {@code null}
 * @param future the future or task involved, or {@code null}
 * @param handle the callback involved, or {@code null}
 * @param source any other object involved (a transport, a protocol, a channel), or
 *     {@code null}
 * @param extra further entries under asyncio's key names ({@code "transport"},
 *     {@code "protocol"}, {@code "socket"}, ...), never {@code null}
 */
public record ExceptionContext(String message, Throwable exception, Future<?> future, Handle handle, Object source,
        Map<String, Object> extra) {
    /** Checks the message; copies {@code extra}. */
    public ExceptionContext {
        if (message == null) {
            throw new NullPointerException("message must not be null");
        }
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    /**
     * A context without extra entries.
     *
     * @param message what happened
     * @param exception the error, or {@code null}
     * @param future the future or task involved, or {@code null}
     * @param handle the callback involved, or {@code null}
     * @param source any other object involved, or {@code null}
     */
    public ExceptionContext(String message, Throwable exception, Future<?> future, Handle handle, Object source) {
        this(message, exception, future, handle, source, Map.of());
    }

    /**
     * @param message what happened
     * @param exception the error, or {@code null}
     * @return a context with only a message and an exception
     */
    public static ExceptionContext of(String message, Throwable exception) {
        return new ExceptionContext(message, exception, null, null, null);
    }
}
