/**
 * asyncio4j: Python's asyncio for Java. A single-threaded event loop over a selector,
 * futures, tasks on stackful coroutines, and the rest of what asyncio users rely on,
 * under asyncio's own names; no dependencies outside the JDK.
 *
 * <p>Start with {@link org.asyncio4j.AsyncIO}, asyncio's module-level functions as static
 * methods ({@code import static org.asyncio4j.AsyncIO.*;}).
 *
 * <p>The fast coroutine engine needs {@code jdk.internal.vm} exported to this module: on
 * the module path {@code --add-exports java.base/jdk.internal.vm=org.asyncio4j}, on the
 * class path {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}. Without it, tasks
 * run on virtual threads and one warning names the flag ({@code AsyncIO.coroutineEngine()}
 * says which engine runs).
 */
module org.asyncio4j {
    // debug mode names the monitor a task holds when it suspends (ThreadMXBean); the JMX view of loops
    requires java.management;
    // JFR events: slow callbacks, blocked loops, task starts and finishes
    requires jdk.jfr;
    // bin/asyncio4j ps|pstree attaches to another JVM
    requires jdk.attach;
    // signal handlers (sun.misc.Signal)
    requires jdk.unsupported;

    // the kernel finds the debug layer without importing it (META-INF/services on the class path)
    uses org.asyncio4j.loop.LoopInstrumentation;
    provides org.asyncio4j.loop.LoopInstrumentation with
            org.asyncio4j.debug.BlockedLoopWatchdog, org.asyncio4j.debug.LoopMBeans, org.asyncio4j.debug.TaskEvents;

    exports org.asyncio4j;
    exports org.asyncio4j.combinators;
    exports org.asyncio4j.debug;
    exports org.asyncio4j.future;
    exports org.asyncio4j.loop;
    exports org.asyncio4j.net;
    // SocketOps, Sendfile, Datagram and the transports' classes are API (loop.sock_* and sendfile)
    exports org.asyncio4j.net.nio;
    exports org.asyncio4j.net.tls;
    exports org.asyncio4j.process;
    exports org.asyncio4j.queue;
    exports org.asyncio4j.stream;
    exports org.asyncio4j.sync;
    exports org.asyncio4j.testing;
}
