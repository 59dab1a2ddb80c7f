package org.asyncio4j.process;

/**
 * What {@link Process#communicate(byte[])} read (asyncio's {@code (stdout_data, stderr_data)}
 * tuple).
 *
 * @param stdout everything the child wrote to stdout, or {@code null} if stdout is not a pipe
 * @param stderr everything the child wrote to stderr, or {@code null} if stderr is not a pipe
 */
public record ProcessOutput(byte[] stdout, byte[] stderr) {
}
