package org.asyncio4j.future;

import java.lang.System.Logger.Level;

/**
 * Makes {@link Strand}s: the machinery that lets a task's coroutine suspend without
 * blocking the loop thread.
 *
 * <p>Two engines exist (DESIGN §2):
 * <ul>
 *   <li>{@code continuation}: {@code jdk.internal.vm.Continuation}, the JDK's own
 *       one-shot delimited continuations (the machinery under virtual threads). A suspend
 *       and resume cost about a hundred nanoseconds and a parked coroutine a few hundred
 *       bytes. Needs {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED} (or
 *       {@code =org.asyncio4j} on the module path).
 *   <li>{@code virtual-thread}: one virtual thread per task, handing a baton back and
 *       forth with the loop thread through {@link java.util.concurrent.locks.LockSupport}.
 *       Public API only; about ten times slower per switch.
 * </ul>
 * The continuation engine is chosen whenever {@code jdk.internal.vm} is exported to this
 * library; otherwise the virtual-thread engine is used and one warning names the flag.
 * The system property {@code asyncio4j.engine} ({@code continuation} or
 * {@code virtual-thread}) overrides the choice. The engine class is loaded reflectively
 * so that the continuation engine is never linked when the package is not exported.
 */
abstract class CoroutineEngine {
    /** The engine of this JVM, chosen once. */
    static final CoroutineEngine INSTANCE = select();

    /** @return the engine's name, as the {@code asyncio4j.engine} property spells it */
    abstract String name();

    /**
     * Makes a strand that will run {@code task}'s body ({@link Task#body()}, which catches
     * everything itself) at its first {@link Strand#resume()}.
     *
     * @param task the task whose coroutine the strand runs
     */
    abstract Strand newStrand(Task<?> task);

    /**
     * The task whose coroutine runs on the calling thread, when the engine can tell without
     * asking the running loop (a {@code ThreadLocal} lookup per await).
     *
     * @return the task, or {@code null}: none, or the engine cannot tell
     */
    abstract Task<?> currentTask();

    private static CoroutineEngine select() {
        String wanted = System.getProperty("asyncio4j.engine", "");
        boolean exported = Object.class.getModule().isExported("jdk.internal.vm", CoroutineEngine.class.getModule());
        switch (wanted) {
            case "virtual-thread":
                return new VirtualThreadEngine();
            case "continuation":
                if (!exported) {
                    throw new IllegalStateException("asyncio4j.engine=continuation needs the JVM flag "
                            + exportFlag() + " (the package jdk.internal.vm is not exported to asyncio4j)");
                }
                return continuationEngine();
            case "":
                if (exported) {
                    return continuationEngine();
                }
                System.getLogger("org.asyncio4j").log(Level.WARNING,
                        "asyncio4j: jdk.internal.vm is not exported to asyncio4j, so tasks run on the slower "
                                + "virtual-thread engine; add the JVM flag " + exportFlag()
                                + " for the continuation engine");
                return new VirtualThreadEngine();
            default:
                throw new IllegalArgumentException("unknown asyncio4j.engine '" + wanted
                        + "': use 'continuation' or 'virtual-thread'");
        }
    }

    private static String exportFlag() {
        Module self = CoroutineEngine.class.getModule();
        return "--add-exports java.base/jdk.internal.vm=" + (self.isNamed() ? self.getName() : "ALL-UNNAMED");
    }

    private static CoroutineEngine continuationEngine() {
        try {
            return (CoroutineEngine) Class.forName("org.asyncio4j.future.ContinuationEngine")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot start the continuation engine", e);
        }
    }
}
