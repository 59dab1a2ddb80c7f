package org.asyncio4j.process;

import java.util.Locale;

/**
 * The POSIX signals asyncio4j can send to a child ({@link SubprocessTransport#sendSignal})
 * or handle in this process ({@link SignalHandlers#addSignalHandler}); asyncio's
 * {@code signal.SIGINT} and friends. The numbers are the operating system's, read from the
 * JVM at run time (SIGUSR1 is 10 on Linux and 30 on macOS).
 *
 * <p>Only some may be handled: see {@link SignalHandlers} for which the JVM refuses.
 */
public enum Signal {
    /** Hang-up: the controlling terminal went away. */
    SIGHUP,
    /** Interrupt: Ctrl-C at a terminal. */
    SIGINT,
    /** Quit: Ctrl-\ at a terminal; the JVM keeps it for thread dumps. */
    SIGQUIT,
    /** Kill: cannot be caught, blocked or ignored. */
    SIGKILL,
    /** User-defined signal 1. */
    SIGUSR1,
    /** User-defined signal 2. */
    SIGUSR2,
    /** Termination request: what {@code kill PID} sends. */
    SIGTERM,
    /** Continue a stopped process. */
    SIGCONT,
    /** Stop: cannot be caught. */
    SIGSTOP,
    /** Terminal window size changed. */
    SIGWINCH;

    private volatile int number;

    /**
     * The signal's number on this operating system (what a child killed by it reports as
     * a negative return code).
     *
     * @return the number, e.g. 2 for {@code SIGINT}
     * @throws UnsupportedOperationException if the operating system does not know the signal
     */
    public int number() {
        int n = number;
        if (n == 0) {
            try {
                n = new sun.misc.Signal(shortName()).getNumber();
            } catch (IllegalArgumentException unknown) {
                throw new UnsupportedOperationException(name() + " is not a signal of this operating system", unknown);
            }
            number = n;
        }
        return n;
    }

    /** @return the name without its {@code SIG} prefix, as the JVM and {@code kill -s} spell it ({@code INT}) */
    String shortName() {
        return name().substring(3);
    }

    /**
     * The signal named {@code name}: {@code "SIGINT"}, {@code "INT"} or {@code "sigint"}.
     *
     * @param name the name, with or without the {@code SIG} prefix
     * @return the signal
     * @throws IllegalArgumentException if no signal here has that name (the message names it and lists the known ones)
     */
    public static Signal named(String name) {
        if (name == null) {
            throw new NullPointerException("signal name must not be null");
        }
        String upper = name.toUpperCase(Locale.ROOT);
        String full = upper.startsWith("SIG") ? upper : "SIG" + upper;
        for (Signal s : values()) {
            if (s.name().equals(full)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown signal '" + name + "'; known: " + java.util.Arrays.toString(values()));
    }
}
