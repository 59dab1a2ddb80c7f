package org.asyncio4j.process;

import org.asyncio4j.net.BaseTransport;

/**
 * A child process and its pipes (asyncio's {@code asyncio.SubprocessTransport}). Use it on
 * its loop's thread.
 *
 * <pre>
 *   RUNNING ──child exits──▶ EXITED (getReturncode() set) ──every pipe lost──▶ FINISHED (processExited, connectionLost)
 *      └──close(): pipes closed, child killed if still running──▶ CLOSING ──▶ EXITED ──▶ FINISHED
 * </pre>
 *
 * <h2>Return codes</h2>
 * As asyncio: the exit status, or {@code -N} when the child was killed by signal N. With
 * native access on Linux 6.15 or later the code is exact: it is read from the child's
 * process descriptor ({@code PIDFD_INFO_EXIT}), whoever sent the signal. Elsewhere Java
 * reports a death by signal as 128 + N, which a child that exits with status 128 + N
 * cannot be told apart from; asyncio4j then reports {@code -N} when this transport sent
 * that very signal ({@link #sendSignal}, {@link #terminate}, {@link #kill}) and the child
 * ended with 128 + N, and 128 + N otherwise (what a shell's {@code $?} shows).
 */
public interface SubprocessTransport extends BaseTransport {
    /** @return the child's process id (asyncio's {@code get_pid()}) */
    long getPid();

    /**
     * @return the child's return code, or {@code null} while it runs (asyncio's
     *     {@code get_returncode()}); see the class comment for signals
     */
    Integer getReturncode();

    /**
     * The transport of one of the child's pipes (asyncio's {@code get_pipe_transport(fd)}):
     * a {@link org.asyncio4j.net.WriteTransport} for 0 (stdin), a
     * {@link org.asyncio4j.net.ReadTransport} for 1 (stdout) and 2 (stderr).
     *
     * @param fd 0, 1 or 2
     * @return the pipe's transport, or {@code null} if that stream is not a pipe
     * @throws IllegalArgumentException if {@code fd} is not 0, 1 or 2
     */
    BaseTransport getPipeTransport(int fd);

    /**
     * Sends {@code signal} to the child (asyncio's {@code send_signal()}). {@code SIGTERM}
     * and {@code SIGKILL} are sent at once ({@code ProcessHandle.destroy} and
     * {@code destroyForcibly}, which unlike {@code java.lang.Process}'s leave the pipes open,
     * so what the child wrote before it died is still read). Any other signal is sent at once
     * when this module has native access ({@code --enable-native-access}): through the
     * child's pidfd on Linux 6.15 and later, else by {@code kill(2)}; without native access,
     * by a helper {@code kill -s} process started off the loop (Java has no call for it), so
     * it arrives a moment later.
     *
     * @param signal the signal
     * @throws IllegalStateException if the child has exited (asyncio's {@code ProcessLookupError})
     */
    void sendSignal(Signal signal);

    /**
     * Sends {@code SIGTERM} (asyncio's {@code terminate()}).
     *
     * @throws IllegalStateException if the child has exited
     */
    void terminate();

    /**
     * Sends {@code SIGKILL} (asyncio's {@code kill()}).
     *
     * @throws IllegalStateException if the child has exited
     */
    void kill();

    /**
     * Closes the pipes and kills the child if it still runs (asyncio's {@code close()}).
     * Idempotent; the protocol's {@code processExited} and {@code connectionLost} follow
     * once the child is gone.
     */
    @Override
    void close();
}
