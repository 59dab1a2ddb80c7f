package org.asyncio4j.process;

import java.nio.ByteBuffer;
import org.asyncio4j.net.BaseProtocol;

/**
 * The callbacks of a child process started with {@link Subprocess#subprocessExec} or
 * {@link Subprocess#subprocessShell} (asyncio's {@code asyncio.SubprocessProtocol}). They
 * run on the loop's thread, in this order:
 *
 * <pre>
 *   connectionMade(transport)
 *     ──▶ (pipeDataReceived(1 | 2, data) | pauseWriting | resumeWriting)*
 *     ──▶ pipeConnectionLost(fd, exc) once per pipe, in any order
 *     ──▶ processExited()            after the child exited and every pipe is lost
 *     ──▶ connectionLost(null)
 * </pre>
 *
 * Within one pipe the data arrives in the order the child wrote it. The child's exit is
 * delivered only once its output pipes are drained (as asyncio does), so
 * {@code processExited} never overtakes output; the stdin pipe is closed when the child
 * exits. {@code pauseWriting}/{@code resumeWriting} concern the stdin pipe.
 */
public interface SubprocessProtocol extends BaseProtocol {
    /**
     * The child wrote to its stdout ({@code fd} 1) or stderr ({@code fd} 2) (asyncio's
     * {@code pipe_data_received}).
     *
     * @param fd 1 or 2
     * @param data the bytes, between position and limit; valid only during this call
     */
    default void pipeDataReceived(int fd, ByteBuffer data) {
    }

    /**
     * One of the child's pipes closed (asyncio's {@code pipe_connection_lost}): EOF on an
     * output pipe, or the stdin pipe closed (by us, by an error writing it, or because the
     * child exited).
     *
     * @param fd 0, 1 or 2
     * @param exc the error that ended it (e.g. {@code IOException: Broken pipe}), or
     *     {@code null} for a regular end
     */
    default void pipeConnectionLost(int fd, Throwable exc) {
    }

    /** The child exited and its pipes are drained (asyncio's {@code process_exited}). */
    default void processExited() {
    }
}
