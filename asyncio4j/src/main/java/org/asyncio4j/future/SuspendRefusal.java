package org.asyncio4j.future;

import java.util.Optional;

/**
 * Why a coroutine cannot suspend where it tried to, as the exception its await throws: a
 * held monitor, a class initializer or native frame on its stack (the stack is pinned),
 * or too little stack left to suspend. The engines detect the case; this class only
 * finds the details for the message, so its costs (a stack walk, a thread dump of the
 * calling platform thread) are paid on the failing path alone, in debug mode's check, and
 * on the virtual-thread engine when a suspending stack holds a class not yet known to be
 * past its initializer there ({@link InitializedClasses}).
 *
 * <p>Invariant the engines keep: the exception is thrown before the coroutine gave up its
 * turn, so nothing changed on the loop side; {@link Task} then unregisters the wake-up it
 * had registered, and the coroutine goes on running with the exception.
 */
final class SuspendRefusal {
    private static final StackWalker WALKER = StackWalker.getInstance();

    private SuspendRefusal() {
    }

    /**
     * The error for a coroutine whose stack is pinned, found out why: the monitors the
     * calling platform thread holds, else a class initializer on the stack, else a native
     * frame.
     */
    static IllegalStateException pinned() {
        String monitors = HeldMonitors.describe();
        if (!monitors.isEmpty()) {
            return holdsMonitor(monitors);
        }
        Optional<String> clinit = classInitializer();
        if (clinit.isPresent()) {
            return insideClassInitializer(clinit.get());
        }
        return new IllegalStateException("a task cannot suspend here: its stack is pinned by a native frame (e.g. a "
                + "callback from native code or a reflective call the JVM cannot unmount); move the await out of it");
    }

    /**
     * The error for a coroutine the JVM refused to suspend because it holds a monitor (only
     * under the deprecated {@code -XX:LockingMode=1} on JDK 25), naming the monitors' classes.
     */
    static IllegalStateException monitorHeld() {
        String monitors = HeldMonitors.describe();
        return holdsMonitor(monitors.isEmpty() ? "a monitor held by the task" : monitors);
    }

    /** The error for a coroutine that holds the monitors described. */
    static IllegalStateException holdsMonitor(String monitors) {
        return new IllegalStateException("a task cannot suspend while it holds a monitor (synchronized on " + monitors
                + "): another task entering the same monitor would block the loop thread forever; leave the "
                + "synchronized block or method before awaiting, or use org.asyncio4j.sync.Lock");
    }

    /** The error for a coroutine inside the class initializer of {@code className}. */
    static IllegalStateException insideClassInitializer(String className) {
        return new IllegalStateException("a task cannot suspend inside a class initializer (static initializer of "
                + className + "): the JVM pins a stack that initializes a class; move the await out of the static "
                + "initializer");
    }

    /** The error for a coroutine that has too little stack left to suspend. */
    static IllegalStateException outOfStack(StackOverflowError cause) {
        return new IllegalStateException("a task cannot suspend here: out of stack (the await runs too deep in "
                + "recursion to suspend); nothing was suspended", cause);
    }

    /**
     * @return the class of the innermost class initializer on the caller's stack, if any
     */
    static Optional<String> classInitializer() {
        return WALKER.walk(frames -> frames.filter(f -> f.getMethodName().equals("<clinit>"))
                .map(StackWalker.StackFrame::getClassName).findFirst());
    }

    /**
     * Debug mode's check before a task suspends, on either engine: it walks the task's
     * frames or dumps the calling thread (see {@link HeldMonitors}), so it costs tens of
     * microseconds.
     *
     * @throws IllegalStateException naming the monitors' classes, if the running task
     *     holds any
     */
    static void checkNoMonitorHeld() {
        String monitors = HeldMonitors.describe();
        if (!monitors.isEmpty()) {
            throw holdsMonitor(monitors);
        }
    }
}
