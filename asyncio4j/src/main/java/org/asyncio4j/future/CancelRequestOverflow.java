package org.asyncio4j.future;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * The cancellation requests of a task beyond the 65,535 that its own 16-bit count holds
 * (see {@link Task#cancelling()}): a task keeps its count in two spare bytes of its object,
 * so that a task is 64 bytes, and the rare task with more outstanding requests than that
 * keeps the excess here, so the count stays exact.
 *
 * <p>Invariant: a task has an entry exactly while its own count is at its maximum and it
 * has requests beyond it; the entry holds how many (at least 1). Keys are weak, so a task
 * that finishes with an entry leaves nothing behind; the map is shared by the loops of all
 * threads, hence synchronized (a task only touches it past 65,535 requests).
 */
final class CancelRequestOverflow {
    private static final Map<Task<?>, Integer> EXCESS = new WeakHashMap<>();
    /** The most the excess counts, so that the whole count still fits an {@code int}. */
    private static final int MAX_EXCESS = Integer.MAX_VALUE - Character.MAX_VALUE;

    private CancelRequestOverflow() {
    }

    /** Counts one more request beyond the task's own maximum (up to {@link #MAX_EXCESS}). */
    static synchronized void increment(Task<?> task) {
        EXCESS.merge(task, 1, (a, b) -> a == MAX_EXCESS ? a : a + b);
    }

    /**
     * Takes back one request beyond the task's own maximum, if it has any.
     *
     * @return whether there was one to take back
     */
    static synchronized boolean decrement(Task<?> task) {
        Integer n = EXCESS.get(task);
        if (n == null) {
            return false;
        }
        if (n == 1) {
            EXCESS.remove(task);
        } else {
            EXCESS.put(task, n - 1);
        }
        return true;
    }

    /** @return the requests beyond the task's own maximum, 0 if none */
    static synchronized int excess(Task<?> task) {
        return EXCESS.getOrDefault(task, 0);
    }
}
