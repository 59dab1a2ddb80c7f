package org.asyncio4j.process;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.Future;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.net.BaseTransport;
import org.asyncio4j.net.Connection;
import org.asyncio4j.net.ReadTransport;
import org.asyncio4j.net.WriteTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** subprocessExec/Shell with a SubprocessProtocol: the order of the callbacks, the transport's methods. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SubprocessProtocolTest {
    /** Records every callback (each must run on the loop) and completes {@code done} at connectionLost. */
    static final class Recorder implements SubprocessProtocol {
        final List<String> events = new ArrayList<>();
        final StringBuilder[] data = {null, new StringBuilder(), new StringBuilder()};
        final Future<Void> done = EventLoop.getRunningLoop().createFuture();
        final EventLoop loop = EventLoop.getRunningLoop();
        SubprocessTransport transport;

        @Override
        public void connectionMade(BaseTransport t) {
            transport = (SubprocessTransport) t;
            events.add("made");
        }

        @Override
        public void pipeDataReceived(int fd, ByteBuffer bytes) {
            assertSame(loop, EventLoop.peekRunningLoop(), "called on the loop, not on a pipe thread");
            loop.checkThread("pipeDataReceived");
            data[fd].append(US_ASCII.decode(bytes));
        }

        @Override
        public void pipeConnectionLost(int fd, Throwable exc) {
            events.add("pipe" + fd + (exc == null ? "" : " " + exc.getClass().getSimpleName()));
        }

        @Override
        public void processExited() {
            events.add("exited " + transport.getReturncode());
        }

        @Override
        public void connectionLost(Throwable exc) {
            events.add("lost " + exc);
            done.setResult(null);
        }
    }

    @Test
    void callbacksComeInAsyncioOrder() throws Exception {
        AsyncIO.run(() -> {
            Connection<SubprocessTransport, Recorder> c = AsyncIO.subprocessExec(Recorder::new,
                    SubprocessOptions.PIPES, "sh", "-c", "read x; echo \"got $x\"; echo oops >&2; exit 2");
            Recorder r = c.protocol();
            SubprocessTransport t = c.transport();
            assertSame(t, r.transport);
            assertInstanceOf(WriteTransport.class, t.getPipeTransport(0));
            assertInstanceOf(ReadTransport.class, t.getPipeTransport(1));
            assertInstanceOf(ReadTransport.class, t.getPipeTransport(2));
            ((WriteTransport) t.getPipeTransport(0)).write("in\n".getBytes(US_ASCII));
            r.done.await();
            assertEquals("got in\n", r.data[1].toString());
            assertEquals("oops\n", r.data[2].toString());
            assertEquals("made", r.events.getFirst());
            assertEquals(List.of("exited 2", "lost null"), r.events.subList(4, 6));
            assertTrue(r.events.subList(1, 4).containsAll(List.of("pipe0", "pipe1", "pipe2")), r.events.toString());
            assertEquals(2, t.getReturncode());
        });
    }

    @Test
    void closeKillsARunningChildAndClosesItsPipes() throws Exception {
        int before = Leaks.fds();
        SubprocessTransport t = AsyncIO.run(() -> {
            Connection<SubprocessTransport, Recorder> c = AsyncIO.subprocessShell(Recorder::new, "exec sleep 30",
                    SubprocessOptions.PIPES);
            assertNull(c.transport().getReturncode());
            c.transport().close();
            assertTrue(c.transport().isClosing());
            c.protocol().done.await();
            assertEquals(-9, c.transport().getReturncode());
            assertEquals("exited -9", c.protocol().events.get(4));
            return c.transport();
        });
        Leaks.assertPipeThreadsEnd(t);
        Leaks.assertNoFdLeak(before);
    }

    @Test
    void onlyTheRequestedPipesExist() throws Exception {
        AsyncIO.run(() -> {
            Connection<SubprocessTransport, Recorder> c = AsyncIO.subprocessExec(Recorder::new,
                    SubprocessOptions.DEFAULTS.withStdout(Subprocess.PIPE), "echo", "hi");
            c.protocol().done.await();
            assertNull(c.transport().getPipeTransport(0));
            assertNull(c.transport().getPipeTransport(2));
            assertEquals("hi\n", c.protocol().data[1].toString());
            assertEquals(List.of("made", "pipe1", "exited 0", "lost null"), c.protocol().events);
        });
    }
}
