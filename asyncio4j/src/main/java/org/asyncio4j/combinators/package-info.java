/**
 * Combinators over futures and tasks, cancellation scopes and structured concurrency:
 * asyncio's {@code gather}, {@code wait}, {@code wait_for}, {@code as_completed},
 * {@code shield}, {@code timeout}/{@code timeout_at}, {@code TaskGroup}, the eager task
 * factory and {@code to_thread}, with the semantics of Python 3.11 to 3.13.
 *
 * <p>Most code reaches them through the static methods of {@link org.asyncio4j.AsyncIO};
 * {@link org.asyncio4j.combinators.TaskGroup} and {@link org.asyncio4j.combinators.Timeout}
 * are used directly. asyncio's {@code async with} scopes ({@code timeout},
 * {@code TaskGroup}) are lambdas here, not try-with-resources: their exit must see the
 * body's exception and replace it (a {@code CancelledError} by a {@code TimeoutError}, child
 * failures by an {@link org.asyncio4j.combinators.ExceptionGroup}), which Java's
 * {@code close()} cannot do.
 *
 * <p>Everything here is written against the kernel's public API (futures, tasks,
 * {@code cancel}/{@code cancelling}/{@code uncancel}, loop callbacks) and runs on the loop's
 * thread. Tests of code using them run deterministically in virtual time with
 * {@link org.asyncio4j.testing.VirtualTimeLoop}.
 */
package org.asyncio4j.combinators;
