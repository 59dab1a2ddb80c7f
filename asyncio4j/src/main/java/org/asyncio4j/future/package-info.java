/**
 * The kernel's awaitables and what they carry (asyncio's {@code Future}, {@code Task},
 * coroutines and {@code contextvars}): {@link org.asyncio4j.future.Future} and
 * {@link org.asyncio4j.future.Task}, the coroutine bodies
 * ({@link org.asyncio4j.future.Coroutine}, {@link org.asyncio4j.future.VoidCoroutine}, and
 * {@link org.asyncio4j.future.CheckedCallable} / {@link org.asyncio4j.future.CheckedRunnable}
 * where a call declares the body's checked exception),
 * {@link org.asyncio4j.future.ContextVar} and {@link org.asyncio4j.future.Context} (with
 * {@link org.asyncio4j.future.ContextBound}, the base of callbacks that run in one), the
 * errors ({@link org.asyncio4j.future.CancelledError}, which extends {@code Error} so that
 * {@code catch (Exception e)} does not swallow a cancellation,
 * {@link org.asyncio4j.future.InvalidStateError}, {@link org.asyncio4j.future.TimeoutError}),
 * and {@link org.asyncio4j.future.ParkingLot}, the one waiting primitive under every
 * synchronizer and queue.
 *
 * <p>Note: {@code Future} here is not {@code java.util.concurrent.Future}; convert with
 * {@code future.toCompletableFuture()} and {@code AsyncIO.wrapFuture(completableFuture)}.
 */
package org.asyncio4j.future;
