/**
 * Debugging and monitoring: task dumps as trees of who awaits whom, deadlock reports,
 * the blocked-loop watchdog and the JMX view {@code bin/asyncio4j ps}/{@code pstree} read.
 *
 * <p>Layering (DESIGN §4): this package may import anything below it and nothing imports
 * it. The kernel reaches it only through its instrumentation seam,
 * {@link org.asyncio4j.loop.LoopInstrumentation}, found with {@link java.util.ServiceLoader}.
 */
package org.asyncio4j.debug;
