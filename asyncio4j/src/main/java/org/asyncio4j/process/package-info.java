/**
 * Subprocesses, pipes and signals (asyncio's {@code asyncio.subprocess}, the subprocess and
 * pipe methods of its loop, and {@code loop.add_signal_handler}).
 *
 * <ul>
 *   <li>{@link org.asyncio4j.process.Subprocess}: {@code createSubprocessExec} and
 *       {@code createSubprocessShell} return a {@link org.asyncio4j.process.Process} with
 *       streams; {@code subprocessExec} and {@code subprocessShell} drive a
 *       {@link org.asyncio4j.process.SubprocessProtocol} through a
 *       {@link org.asyncio4j.process.SubprocessTransport}.
 *   <li>{@link org.asyncio4j.process.Pipes}: any blocking stream as a transport;
 *       {@link org.asyncio4j.process.Stdio}: {@code System.in}/{@code System.out} as streams.
 *   <li>{@link org.asyncio4j.process.SignalHandlers}: signal callbacks on a loop;
 *       {@link org.asyncio4j.process.MainTaskInterrupt} and
 *       {@link org.asyncio4j.process.KeyboardInterrupt}: Ctrl-C for {@code AsyncIO.run}.
 * </ul>
 *
 * <p>Nothing here blocks the loop's thread. A child's pipes are NIO pipes on the loop's
 * selector when the JVM exports {@code sun.nio.ch} to this library
 * ({@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}; with
 * {@code --enable-native-access=ALL-UNNAMED} too they hold 256 KiB each), as uvloop's are.
 * Otherwise, and for any other stream (Java's process and file streams only block), every
 * pipe has a thread that does its blocking calls and hands the results to the loop with
 * {@code callSoonThreadsafe}, one chunk at a time, waiting while the protocol pauses reading
 * (so back-pressure reaches the child through the pipe). A child is started on a virtual
 * thread; its exit comes from {@code java.lang.Process.onExit()}. With native access
 * ({@code --enable-native-access=ALL-UNNAMED}) any signal is sent at once with
 * {@code kill(2)}, and on Linux 6.15 and later a child's return code is read from its
 * pidfd, so a death by a signal from anywhere reads {@code -N} as in asyncio.
 *
 * <p>{@link org.asyncio4j.process.Process} is not {@code java.lang.Process}: code that
 * uses both names one of them in full.
 */
package org.asyncio4j.process;
