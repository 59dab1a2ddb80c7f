package org.asyncio4j.process;

/**
 * The program was interrupted with Ctrl-C (Python's {@code KeyboardInterrupt}): thrown by
 * {@code AsyncIO.run} and {@code Runner.run} when a {@code SIGINT} cancelled the main task
 * and the task let the cancellation through (asyncio 3.11+'s behaviour). It extends
 * {@link Error}, as Python's extends {@code BaseException}, so a {@code catch (Exception e)}
 * does not swallow it.
 *
 * <p>A shell expects an interrupted program to end with status 130 (128 + SIGINT). An
 * uncaught {@code KeyboardInterrupt} ends the JVM with status 1 and a stack trace, so a
 * command-line program that wants the conventional status says so:
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     try {
 *         AsyncIO.run(() -> serve());
 *     } catch (KeyboardInterrupt e) {
 *         System.exit(KeyboardInterrupt.EXIT_STATUS);   // 130
 *     }
 * }
 * }</pre>
 */
public final class KeyboardInterrupt extends Error {
    private static final long serialVersionUID = 1L;

    /** The exit status of a program interrupted by {@code SIGINT}: 128 + 2. */
    public static final int EXIT_STATUS = 130;

    /** A Ctrl-C interrupted the main task. */
    public KeyboardInterrupt() {
        super("interrupted by SIGINT (Ctrl-C): the main task was cancelled");
    }
}
