/**
 * JUnit 5 support for asyncio4j: {@link org.asyncio4j.junit.AsyncIOTest} runs a test method
 * as the main task of a fresh event loop, in virtual time by default, and fails it when it
 * leaves tasks pending, callbacks or timers scheduled, or errors with the loop's exception
 * handler; it times tests out in the loop's time, reports a loop blocked for real with its
 * stack, and explores task interleavings under seeded schedule fuzzing
 * ({@code @AsyncIOTest(seeds = 100)}, replayed with {@code @AsyncIOTest(seed = S)}).
 *
 * <p>A separate artifact, {@code org.asyncio4j:asyncio4j-junit}, so that the library itself
 * keeps no runtime dependencies.
 */
package org.asyncio4j.junit;
