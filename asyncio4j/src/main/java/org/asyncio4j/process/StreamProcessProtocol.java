package org.asyncio4j.process;

import java.nio.ByteBuffer;
import org.asyncio4j.net.BaseTransport;
import org.asyncio4j.net.ReadTransport;
import org.asyncio4j.net.Transport;
import org.asyncio4j.stream.StreamReader;
import org.asyncio4j.stream.StreamReaderProtocol;
import org.asyncio4j.stream.StreamWriter;

/**
 * The subprocess protocol behind {@link Process} (asyncio's {@code SubprocessStreamProtocol}):
 * feeds a {@link StreamReader} per output pipe and gives stdin a {@link StreamWriter}.
 *
 * <p>Implementation overview. The output readers get their pipe transport, so their limit
 * pauses the pipe (back-pressure); EOF or an error on a pipe ends its reader. Stdin's
 * writer needs a {@link StreamReaderProtocol} for its flow control ({@code drain()}): one is
 * made over the stdin pipe with a reader nobody uses, and this protocol passes it the
 * pipe's {@code pauseWriting}/{@code resumeWriting}/{@code connectionLost}, as asyncio's
 * {@code FlowControlMixin} does.
 */
final class StreamProcessProtocol implements SubprocessProtocol {
    private final int limit;
    private StreamReader stdout;
    private StreamReader stderr;
    private StreamWriter stdin;
    private StreamReaderProtocol stdinProtocol;

    StreamProcessProtocol(int limit) {
        this.limit = limit;
    }

    @Override
    public void connectionMade(BaseTransport transport) {
        SubprocessTransport t = (SubprocessTransport) transport;
        stdout = reader(t.getPipeTransport(1));
        stderr = reader(t.getPipeTransport(2));
        if (t.getPipeTransport(0) instanceof Transport in) {
            stdinProtocol = new StreamReaderProtocol(new StreamReader());
            stdinProtocol.connectionMade(in);
            stdin = new StreamWriter(in, stdinProtocol, null);
        }
    }

    private StreamReader reader(BaseTransport pipe) {
        if (pipe == null) {
            return null;
        }
        StreamReader r = new StreamReader(limit);
        r.setTransport((ReadTransport) pipe);
        return r;
    }

    @Override
    public void pipeDataReceived(int fd, ByteBuffer data) {
        (fd == 1 ? stdout : stderr).feedData(data);
    }

    @Override
    public void pipeConnectionLost(int fd, Throwable exc) {
        if (fd == 0) {
            stdinProtocol.connectionLost(exc);
            return;
        }
        StreamReader r = fd == 1 ? stdout : stderr;
        if (exc == null) {
            r.feedEof();
        } else {
            r.setException(exc);
        }
    }

    @Override
    public void pauseWriting() {
        stdinProtocol.pauseWriting();
    }

    @Override
    public void resumeWriting() {
        stdinProtocol.resumeWriting();
    }

    StreamWriter stdin() {
        return stdin;
    }

    StreamReader stdout() {
        return stdout;
    }

    StreamReader stderr() {
        return stderr;
    }
}
