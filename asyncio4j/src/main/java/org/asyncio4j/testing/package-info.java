/**
 * Deterministic tests of asyncio4j code: an event loop on a virtual clock
 * ({@link org.asyncio4j.testing.VirtualTimeLoop}, {@link org.asyncio4j.testing.VirtualClock}).
 *
 * <p>The clock jumps to the next timer whenever the loop has nothing ready, so a test of
 * a one-hour timeout runs in microseconds and every interleaving of timers is the one real
 * time would give, on every run. {@code advance(seconds)} and {@code runUntilIdle()} step
 * through time explicitly. Nothing here is test-framework specific.
 */
package org.asyncio4j.testing;
