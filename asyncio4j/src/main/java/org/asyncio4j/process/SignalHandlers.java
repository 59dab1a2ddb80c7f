package org.asyncio4j.process;

import java.util.EnumMap;
import java.util.Map;
import org.asyncio4j.future.Context;
import org.asyncio4j.loop.EventLoop;

/**
 * Signal handlers that run on an event loop (asyncio's {@code loop.add_signal_handler} and
 * {@code loop.remove_signal_handler}). The JVM receives the signal on a thread of its own;
 * the handler installed here only posts the callback to the loop with
 * {@link EventLoop#callSoonThreadsafe}, so the callback runs on the loop's thread, between
 * two callbacks, like any other, in the context the handler was added in.
 *
 * <pre>{@code
 * EventLoop loop = getRunningLoop();
 * SignalHandlers.addSignalHandler(loop, Signal.SIGTERM, () -> server.close());
 * }</pre>
 *
 * <h2>Which signals</h2>
 * {@code SIGINT}, {@code SIGTERM}, {@code SIGHUP}, {@code SIGUSR1}, {@code SIGUSR2} and
 * {@code SIGWINCH} may be handled, unless the JVM keeps them: {@code SIGKILL} and
 * {@code SIGSTOP} cannot be caught at all, {@code SIGQUIT} is the JVM's thread-dump signal,
 * and any signal the JVM already handles natively is refused too (HotSpot on Linux uses
 * {@code SIGUSR2} to suspend threads unless started with {@code -Xrs} or another
 * {@code _JAVA_SR_SIGNUM}; {@code SIGUSR1} is free on HotSpot). The refusal is an
 * {@link IllegalArgumentException} that names the signal and the reason.
 *
 * <p>The signal disposition is process-wide: one handler per signal, whichever loop added
 * it last. Removing it puts back what the JVM had before (for {@code SIGINT},
 * {@code SIGTERM} and {@code SIGHUP}: running the shutdown hooks and exiting with 128 + the
 * signal's number). A signal that arrives after its loop was closed gets that previous
 * handler at once and is raised again, so a Ctrl-C is never lost. asyncio removes the
 * handlers when its loop closes; asyncio4j's kernel has no hook for that, so remove them
 * yourself or rely on that fallback.
 *
 * <p>Implementation overview: the table maps each signal to the loop, the callback, the
 * context and the JVM's previous handler; it is guarded by the class's monitor because the
 * JVM's signal thread reads it while loops write it. Uses {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}, available without flags).
 */
public final class SignalHandlers {
    /** Signal → what handles it now; guarded by {@code SignalHandlers.class}. */
    private static final Map<Signal, Installed> INSTALLED = new EnumMap<>(Signal.class);

    private record Installed(EventLoop loop, Runnable callback, Context context, sun.misc.SignalHandler previous) {
    }

    private SignalHandlers() {
    }

    /**
     * Runs {@code callback} on {@code loop} whenever {@code signal} arrives (asyncio's
     * {@code loop.add_signal_handler(sig, callback)}); replaces the handler any loop had for
     * that signal.
     *
     * @param loop the loop that runs the callback
     * @param signal the signal
     * @param callback what to run, on the loop's thread; must not suspend
     * @throws IllegalArgumentException if the signal cannot be handled (see the class
     *     comment; the message says why)
     * @throws IllegalStateException if the loop is closed
     */
    public static void addSignalHandler(EventLoop loop, Signal signal, Runnable callback) {
        if (loop == null || signal == null || callback == null) {
            throw new NullPointerException("addSignalHandler needs a loop, a signal and a callback, got " + loop + ", "
                    + signal + ", " + callback);
        }
        if (loop.isClosed()) {
            throw new IllegalStateException("addSignalHandler(" + signal + ") on a closed loop: " + loop);
        }
        if (signal == Signal.SIGKILL || signal == Signal.SIGSTOP) {
            throw new IllegalArgumentException(signal + " cannot be caught, blocked or ignored: no handler is possible");
        }
        Context context = Context.copyContext();
        synchronized (SignalHandlers.class) {
            Installed old = INSTALLED.get(signal);
            sun.misc.SignalHandler previous = install(signal, s -> dispatch(signal));
            if (old != null) {
                previous = old.previous; // replacing our own handler: keep the JVM's
            } else if (previous.toString().startsWith("jdk.internal.misc.Signal$NativeHandler")) {
                // the JVM handles it in native code (the wrapper's toString is the handler's)
                sun.misc.Signal.handle(new sun.misc.Signal(signal.shortName()), previous);
                throw new IllegalArgumentException(signal + " cannot be handled: this JVM uses it itself"
                        + (signal == Signal.SIGUSR2 ? " (HotSpot suspends threads with SIGUSR2)" : ""));
            }
            INSTALLED.put(signal, new Installed(loop, callback, context, previous));
        }
    }

    /**
     * Removes the handler {@code loop} has for {@code signal} and puts back the JVM's
     * (asyncio's {@code loop.remove_signal_handler(sig)}).
     *
     * @param loop the loop
     * @param signal the signal
     * @return whether {@code loop} had a handler for it
     */
    public static boolean removeSignalHandler(EventLoop loop, Signal signal) {
        if (loop == null || signal == null) {
            throw new NullPointerException("removeSignalHandler needs a loop and a signal, got " + loop + ", " + signal);
        }
        synchronized (SignalHandlers.class) {
            Installed in = INSTALLED.get(signal);
            if (in == null || in.loop != loop) {
                return false;
            }
            INSTALLED.remove(signal);
            sun.misc.Signal.handle(new sun.misc.Signal(signal.shortName()), in.previous);
            return true;
        }
    }

    /**
     * Installs {@code handler} for {@code signal} in the JVM.
     *
     * @return the JVM's previous handler
     * @throws IllegalArgumentException naming the signal when the JVM refuses it
     */
    static sun.misc.SignalHandler install(Signal signal, sun.misc.SignalHandler handler) {
        try {
            return sun.misc.Signal.handle(new sun.misc.Signal(signal.shortName()), handler);
        } catch (IllegalArgumentException refused) {
            throw new IllegalArgumentException(signal + " cannot be handled: " + refused.getMessage()
                    + (signal == Signal.SIGQUIT ? " (the JVM prints a thread dump on it)" : ""), refused);
        }
    }

    /** On the JVM's signal thread: posts the callback to its loop, or falls back to the previous handler. */
    private static void dispatch(Signal signal) {
        Installed in;
        synchronized (SignalHandlers.class) {
            in = INSTALLED.get(signal);
        }
        if (in == null) {
            return;
        }
        try {
            in.loop.callSoonThreadsafe(in.callback, in.context);
            return;
        } catch (IllegalStateException closed) {
            // the loop is closed: nobody will run the callback; give the signal its previous meaning
        }
        synchronized (SignalHandlers.class) {
            if (INSTALLED.get(signal) == in) {
                INSTALLED.remove(signal);
                sun.misc.Signal.handle(new sun.misc.Signal(signal.shortName()), in.previous);
            }
        }
        sun.misc.Signal.raise(new sun.misc.Signal(signal.shortName()));
    }
}
