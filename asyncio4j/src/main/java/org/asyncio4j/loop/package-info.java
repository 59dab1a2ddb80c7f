/**
 * The event loop (asyncio's {@code asyncio.AbstractEventLoop} and its selector
 * implementation): {@link org.asyncio4j.loop.EventLoop} runs callbacks
 * ({@link org.asyncio4j.loop.Handle}), timers ({@link org.asyncio4j.loop.TimerHandle}) and
 * I/O readiness callbacks on one thread, and is the only place that crosses threads
 * ({@code callSoonThreadsafe}, {@code runInExecutor}). Errors nobody can receive go to its
 * exception handler as an {@link org.asyncio4j.loop.ExceptionContext}.
 *
 * <p>The seams for tools: {@link org.asyncio4j.loop.Clock} (virtual time, see
 * {@link org.asyncio4j.testing}), {@link org.asyncio4j.loop.TaskFactory} (asyncio's task
 * factory), {@link org.asyncio4j.loop.WakeUpHook} (schedule fuzzing),
 * {@link org.asyncio4j.loop.IoDriver} (the I/O multiplexer, today NIO's selector), and for
 * the debugging layer, which the kernel never imports,
 * {@link org.asyncio4j.loop.LoopInstrumentation} (told when loops run and close, found with
 * {@link java.util.ServiceLoader}) and {@link org.asyncio4j.loop.TaskObserver} (told when
 * tasks start and finish, while one is installed).
 */
package org.asyncio4j.loop;
