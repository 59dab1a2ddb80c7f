/**
 * asyncio4j: Python's asyncio for Java. {@link org.asyncio4j.AsyncIO} holds asyncio's
 * module-level functions as static methods ({@code run}, {@code sleep}, {@code createTask},
 * {@code gather}, {@code wait}, {@code waitFor}, {@code timeout}, {@code toThread},
 * {@code openConnection}, {@code startServer}, ...), and {@link org.asyncio4j.Runner} is
 * {@code asyncio.Runner}.
 *
 * <pre>{@code
 * import static org.asyncio4j.AsyncIO.*;
 *
 * run(() -> {
 *     Task<String> a = createTask(() -> { sleep(1); return "a"; });
 *     Task<String> b = createTask(() -> { sleep(1); return "b"; });
 *     System.out.println(gather(a, b).await());   // [a, b] after one second
 * });
 * }</pre>
 *
 * <p>The other packages: {@link org.asyncio4j.loop} (the event loop, handles, timers),
 * {@link org.asyncio4j.future} (futures, tasks, coroutines, context variables, the errors),
 * {@link org.asyncio4j.combinators} ({@code gather}, {@code wait}, {@code timeout},
 * {@code TaskGroup}, ...), {@link org.asyncio4j.sync} (locks, events, conditions,
 * semaphores, barriers), {@link org.asyncio4j.queue} (queues), {@link org.asyncio4j.net}
 * (transports and protocols), {@link org.asyncio4j.stream} (stream readers and writers),
 * {@link org.asyncio4j.net.tls} (TLS), {@link org.asyncio4j.net.nio} (the socket
 * operations {@code sock_*} and {@code sendfile}) and {@link org.asyncio4j.testing}
 * (virtual time and schedule fuzzing).
 *
 * <p>Names that clash with the JDK's: {@code Future} here is
 * {@link org.asyncio4j.future.Future}, not {@code java.util.concurrent.Future};
 * {@code Queue}, {@code Lock}, {@code Condition} and {@code Semaphore} are asyncio's too.
 * Write {@code AsyncIO.wait(...)} qualified ({@code Object.wait} shadows a static import),
 * and {@code event.await()} for asyncio's {@code event.wait()}.
 */
package org.asyncio4j;
