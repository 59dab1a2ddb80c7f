package org.asyncio4j.combinators;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Several exceptions raised together, in the order they happened (Python's built-in
 * {@code ExceptionGroup}, and its base {@code BaseExceptionGroup}: Java needs only one
 * class). {@link TaskGroup} raises it with the failures of its tasks and of its body.
 *
 * <pre>{@code
 * try {
 *     TaskGroup.run(tg -> { tg.createTask(a); tg.createTask(b); });
 * } catch (ExceptionGroup eg) {
 *     for (Throwable t : eg.getExceptions()) {
 *         if (t instanceof IOException io) { ... }
 *     }
 * }
 * }</pre>
 *
 * <p>Each exception is also attached with {@link #addSuppressed}, so a stack trace shows
 * them all and code that only knows {@link Throwable#getSuppressed()} still finds them.
 * The group has no cause (Python raises it {@code from None}). Its message is the
 * message given plus the count, as Python prints it: {@code "unhandled errors in a
 * TaskGroup (2 sub-exceptions)"}.
 *
 * <p>Unchecked, like every exception that crosses an await in asyncio4j.
 */
public class ExceptionGroup extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The bare message, without the count. */
    private final String message;
    /** The exceptions, unmodifiable. */
    private final List<Throwable> exceptions;

    /**
     * A group of {@code exceptions} (Python's {@code ExceptionGroup(message, exceptions)}).
     *
     * @param message what the exceptions have in common
     * @param exceptions the exceptions, in order; not empty, no {@code null}
     * @throws IllegalArgumentException if {@code exceptions} is empty
     * @throws NullPointerException if {@code message} or {@code exceptions} or one of them
     *     is {@code null}
     */
    @SuppressWarnings("this-escape") // addSuppressed is final in Throwable
    public ExceptionGroup(String message, List<? extends Throwable> exceptions) {
        super(describe(message, exceptions));
        List<Throwable> copy = new ArrayList<>(exceptions.size());
        for (Throwable t : exceptions) {
            if (t == null) {
                throw new NullPointerException("an ExceptionGroup cannot contain null");
            }
            copy.add(t);
        }
        this.message = message;
        this.exceptions = Collections.unmodifiableList(copy);
        for (Throwable t : copy) {
            if (t != this) {
                addSuppressed(t);
            }
        }
    }

    private static String describe(String message, List<? extends Throwable> exceptions) {
        if (message == null) {
            throw new NullPointerException("message must not be null");
        }
        if (exceptions == null) {
            throw new NullPointerException("exceptions must not be null");
        }
        int n = exceptions.size();
        if (n == 0) {
            throw new IllegalArgumentException("an ExceptionGroup needs at least one exception, got none");
        }
        return message + " (" + n + " sub-exception" + (n == 1 ? "" : "s") + ")";
    }

    /** @return the exceptions of the group, in order, unmodifiable (Python's {@code exceptions}) */
    public List<Throwable> getExceptions() {
        return exceptions;
    }

    /** @return the message without the count (Python's {@code message} attribute) */
    public String message() {
        return message;
    }
}
