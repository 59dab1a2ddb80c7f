package org.asyncio4j.net;

import static org.asyncio4j.net.NetChecks.ascii;
import static org.asyncio4j.net.NetChecks.port;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Our transports against a real CPython asyncio peer (python3 on the PATH), both ways:
 * a Python client against our echo server, and our client against a Python server that
 * answers EOF with a last word. The child process runs off the loop, is bounded by a
 * timeout and is always killed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CPythonInteropTest {
    private static final long CHILD_SECONDS = PythonPeer.CHILD_SECONDS;

    private PythonPeer peer;

    @BeforeAll
    static void findPython() {
        PythonPeer.python();
    }

    @BeforeEach
    void makePeer() throws IOException {
        peer = new PythonPeer();
    }

    @AfterEach
    void cleanUp() throws IOException, InterruptedException {
        peer.close();
    }

    private Process start(String script, String... args) throws IOException {
        return peer.start(script, args);
    }

    private static byte[] payload(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i % 251);
        }
        return b;
    }

    private static final String CLIENT = """
            import asyncio, hashlib, sys

            async def main(port, n):
                reader, writer = await asyncio.open_connection('127.0.0.1', port)
                data = bytes(i % 251 for i in range(n))
                writer.write(data)
                await writer.drain()
                writer.write_eof()
                got = await reader.read()  # everything, up to the server's EOF
                print(len(got), hashlib.sha256(got).hexdigest())
                writer.close()
                await writer.wait_closed()

            asyncio.run(asyncio.wait_for(main(int(sys.argv[1]), int(sys.argv[2])), 30))
            """;

    @Test
    void aPythonAsyncioClientHalfClosesAndReadsBackEverythingFromOurEchoServer() throws Exception {
        var before = Fds.snapshot();
        int n = 1 << 20;
        String expected = n + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload(n)));
        AsyncIO.run(() -> {
            try (Server server = Network.createServer(Echo::new, "127.0.0.1", 0)) {
                Process p = start(CLIENT, String.valueOf(port(server)), String.valueOf(n));
                String out = AsyncIO.toThread(() -> {
                    String all = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                    p.waitFor(CHILD_SECONDS, TimeUnit.SECONDS);
                    return all;
                });
                assertEquals(expected, out, () -> "stderr: " + peer.stderr());
                assertEquals(0, p.exitValue(), () -> "stderr: " + peer.stderr());
                p.getInputStream().close();
                server.close();
                server.waitClosed();
            }
        });
        Fds.assertNoLeak(before);
    }

    private static final String SERVER = """
            import asyncio, sys

            class EchoThenBye(asyncio.Protocol):
                def __init__(self, done):
                    self.done = done
                def connection_made(self, transport):
                    self.transport = transport
                def data_received(self, data):
                    self.transport.write(data)
                def eof_received(self):
                    self.transport.write(b'bye')
                    self.transport.close()
                    return True
                def connection_lost(self, exc):
                    if not self.done.done():
                        self.done.set_result(exc)

            async def main():
                loop = asyncio.get_running_loop()
                done = loop.create_future()
                server = await loop.create_server(lambda: EchoThenBye(done), '127.0.0.1', 0)
                print(server.sockets[0].getsockname()[1], flush=True)
                exc = await done
                server.close()
                await server.wait_closed()
                print('lost', exc, flush=True)

            asyncio.run(asyncio.wait_for(main(), 30))
            """;

    @Test
    void ourClientAgainstAPythonAsyncioServerThatAnswersEofWithALastWord() throws Exception {
        var before = Fds.snapshot();
        AsyncIO.run(() -> {
            Process p = start(SERVER);
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = AsyncIO.toThread(out::readLine);
            assertTrue(first != null && first.matches("\\d+"), () -> "port line " + first + ", stderr: " + peer.stderr());
            int port = Integer.parseInt(first);
            var conn = Network.createConnection(Recorder::new, "127.0.0.1", port);
            Recorder r = conn.protocol();
            conn.transport().write(ascii("hello python"));
            assertArrayEquals(ascii("hello python"), r.received(12));
            conn.transport().writeEof();
            assertArrayEquals(ascii("hello pythonbye"), r.received(15));
            assertNull(r.lost.await());
            assertEquals(List.of("made", "data", "eof", "lost"), r.events);
            String last = AsyncIO.toThread(() -> {
                String line = out.readLine();
                p.waitFor(CHILD_SECONDS, TimeUnit.SECONDS);
                return line;
            });
            assertEquals("lost None", last, () -> "stderr: " + peer.stderr());
            assertEquals(0, p.exitValue());
            out.close();
        });
        Fds.assertNoLeak(before);
    }
}
