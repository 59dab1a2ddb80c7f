package org.asyncio4j.combinators;

import java.util.Set;

/**
 * What {@link Wait#wait wait} returns: the futures that are done and those still pending
 * (asyncio's {@code (done, pending)} tuple). Both sets are unmodifiable, keep the order in
 * which the futures were given, and together hold each given future once.
 *
 * <pre>{@code
 * WaitResult<Task<String>> r = AsyncIO.wait(tasks, 5.0, AsyncIO.FIRST_COMPLETED);
 * for (Task<String> t : r.done()) { ... t.result() ... }
 * r.pending().forEach(Task::cancel);
 * }</pre>
 *
 * @param done the futures that were done when {@code wait} returned
 * @param pending the futures that were not
 * @param <F> the future type
 */
public record WaitResult<F>(Set<F> done, Set<F> pending) {
    /** Copies both sets into unmodifiable ones. */
    public WaitResult {
        done = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(done));
        pending = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(pending));
    }
}
