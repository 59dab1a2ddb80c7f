package org.asyncio4j.combinators;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

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
 * <p>{@link #subgroup} and {@link #split} pick exceptions out of a group, and out of the
 * groups nested in it, by a condition, as Python's methods of the same names do (the Java
 * counterpart of {@code except*}):
 * <pre>{@code
 * } catch (ExceptionGroup eg) {
 *     ExceptionGroup.Split s = eg.split(IOException.class);
 *     if (s.match() != null) retryLater(s.match());
 *     if (s.rest() != null) throw s.rest();
 * }
 * }</pre>
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

    /**
     * The parts of a group that {@link #split} separates; either may be {@code null}.
     *
     * @param match a group of the exceptions that met the condition, or {@code null} if none did
     * @param rest a group of the others, or {@code null} if there are none
     */
    public record Split(ExceptionGroup match, ExceptionGroup rest) {
    }

    /**
     * The exceptions that meet {@code condition}, keeping the nesting (Python's
     * {@code ExceptionGroup.subgroup(condition)}). The condition is tried on this group first
     * (if it matches, the result is this group), then on each exception; a nested group is
     * searched the same way. Groups that lose exceptions are copied with {@link #derive}, with
     * the original's message and stack trace; a group that loses none is returned as it is.
     *
     * @param condition which exceptions to keep
     * @return this group, a new one with the matching exceptions, or {@code null} if none match
     */
    public ExceptionGroup subgroup(Predicate<? super Throwable> condition) {
        return split(condition).match();
    }

    /**
     * {@link #subgroup(Predicate)} for the exceptions of a type (Python's
     * {@code subgroup(SomeError)}).
     *
     * @param type the exception type
     * @return this group, a new one with the exceptions of that type, or {@code null}
     */
    public ExceptionGroup subgroup(Class<? extends Throwable> type) {
        return subgroup(type::isInstance);
    }

    /**
     * Splits the group in the exceptions that meet {@code condition} and the others, keeping
     * the nesting on both sides (Python's {@code ExceptionGroup.split(condition)}). As
     * {@link #subgroup(Predicate)}, a group the condition matches as a whole goes to
     * {@link Split#match()} unchanged, and an unchanged side is this very group.
     *
     * @param condition which exceptions go to {@link Split#match()}
     * @return both parts; a part with no exception is {@code null}
     */
    public Split split(Predicate<? super Throwable> condition) {
        if (condition == null) {
            throw new NullPointerException("condition must not be null");
        }
        if (condition.test(this)) {
            return new Split(this, null);
        }
        List<Throwable> match = new ArrayList<>();
        List<Throwable> rest = new ArrayList<>();
        for (Throwable t : exceptions) {
            if (t instanceof ExceptionGroup g) {
                Split s = g.split(condition);
                if (s.match() != null) {
                    match.add(s.match());
                }
                if (s.rest() != null) {
                    rest.add(s.rest());
                }
            } else if (condition.test(t)) {
                match.add(t);
            } else {
                rest.add(t);
            }
        }
        return new Split(part(match), part(rest));
    }

    /**
     * {@link #split(Predicate)} by exception type (Python's {@code split(SomeError)}).
     *
     * @param type the exception type of {@link Split#match()}
     * @return both parts
     */
    public Split split(Class<? extends Throwable> type) {
        return split(type::isInstance);
    }

    /** A side of a split: null if empty, this group if nothing was taken away, else a copy. */
    private ExceptionGroup part(List<Throwable> kept) {
        if (kept.isEmpty()) {
            return null;
        }
        if (kept.equals(exceptions)) {
            return this;
        }
        ExceptionGroup copy = derive(kept);
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    /**
     * A group with this group's message and other exceptions (Python's
     * {@code derive(excs)}), used by {@link #subgroup} and {@link #split}. A subclass
     * overrides it to keep its own type.
     *
     * @param excs the exceptions of the new group; not empty
     * @return the new group
     */
    public ExceptionGroup derive(List<? extends Throwable> excs) {
        return new ExceptionGroup(message, excs);
    }
}
