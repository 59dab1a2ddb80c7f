/**
 * Debugging and monitoring: task dumps as trees of who awaits whom, streamed a piece at a
 * time ({@link org.asyncio4j.debug.TaskDump}), deadlock reports, the blocked-loop watchdog,
 * the JMX view {@code bin/asyncio4j ps}/{@code pstree} read
 * ({@link org.asyncio4j.debug.EventLoopMXBean}), and the JFR events
 * {@code org.asyncio4j.BlockedLoop} and, disabled by default, {@code org.asyncio4j.TaskStart}
 * and {@code org.asyncio4j.TaskFinish} ({@link org.asyncio4j.debug.TaskEvents}).
 *
 * <p>Layering (DESIGN §4): this package may import anything below it and nothing imports
 * it. The kernel reaches it only through its instrumentation seams:
 * {@link org.asyncio4j.loop.LoopInstrumentation}, found with {@link java.util.ServiceLoader},
 * and {@link org.asyncio4j.loop.TaskObserver}, which {@code TaskEvents} installs while a JFR
 * recording runs.
 */
package org.asyncio4j.debug;
