package org.asyncio4j.net;

import static org.asyncio4j.net.NetChecks.ascii;
import static org.asyncio4j.net.NetChecks.port;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.stream.StreamPair;
import org.asyncio4j.stream.StreamReader;
import org.asyncio4j.stream.StreamWriter;
import org.asyncio4j.stream.Streams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our streams against CPython's ({@code python3} on the {@code PATH}), plain and TLS, both
 * ways: a CPython {@code asyncio.open_connection} client against our {@code
 * Streams.startServer}, and our {@code Streams.openConnection} against a CPython {@code
 * asyncio.start_server}. Both sides speak one small line protocol ({@link #serve}): a word
 * comes back upper-cased, {@code blob N} and N bytes come back as their SHA-256 in hex (1 MiB,
 * so flow control and, with TLS, many records take part), {@code quit} is answered with
 * {@code bye} and the server closes (TLS transports cannot half-close, so no EOF from the
 * client). With TLS, CPython's client uses {@code ssl.create_default_context} with the CA
 * PEM of {@link TlsKeys} and checks the name {@code localhost}, its server loads the
 * server's certificate and key as PEM, and our client checks its chain and name the same
 * way. The child runs off the loop, is bounded by {@code wait_for} and the test's timeout,
 * and is always killed ({@link PythonPeer}). Skipped when there is no {@code python3}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CPythonStreamsInteropTest {
    private static final int BLOB = 1 << 20;

    private PythonPeer peer;

    @BeforeEach
    void makePeer() throws IOException {
        PythonPeer.python();
        peer = new PythonPeer();
    }

    @AfterEach
    void cleanUp() throws IOException, InterruptedException {
        peer.close();
    }

    private static byte[] blob() {
        byte[] b = new byte[BLOB];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i % 251);
        }
        return b;
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    /** What the client of {@link #serve} collects: the answers to two words, the blob and quit. */
    private static String expectedTranscript() {
        return "HELLO ASYNCIO " + sha256(blob()) + " bye";
    }

    /** Our side of the line protocol, as a server: the counterpart of {@link #PY_SERVER}'s handle(). */
    private static void serve(StreamReader reader, StreamWriter writer) throws IOException {
        try {
            while (true) {
                byte[] raw = reader.readline();
                if (raw.length == 0) {
                    break;
                }
                String line = new String(raw, StandardCharsets.US_ASCII).strip();
                if (line.startsWith("blob ")) {
                    byte[] data = reader.readexactly(Integer.parseInt(line.substring(5)));
                    writer.write(ascii(sha256(data) + "\n"));
                } else if (line.equals("quit")) {
                    writer.write(ascii("bye\n"));
                    writer.drain();
                    break;
                } else {
                    writer.write(ascii(line.toUpperCase(Locale.ROOT) + "\n"));
                }
                writer.drain();
            }
        } finally {
            writer.close();
        }
    }

    /** Our side of the line protocol, as a client: the counterpart of {@link #PY_CLIENT}'s main(). */
    private static String converse(StreamPair conn) throws IOException {
        List<String> got = new ArrayList<>();
        for (String word : List.of("hello", "asyncio")) {
            conn.writer().write(ascii(word + "\n"));
            conn.writer().drain();
            got.add(new String(conn.reader().readline(), StandardCharsets.US_ASCII).strip());
        }
        conn.writer().write(ascii("blob " + BLOB + "\n"));
        conn.writer().write(blob());
        conn.writer().drain();
        got.add(new String(conn.reader().readline(), StandardCharsets.US_ASCII).strip());
        conn.writer().write(ascii("quit\n"));
        conn.writer().drain();
        got.add(new String(conn.reader().read(), StandardCharsets.US_ASCII).strip()); // bye, then the server's EOF
        conn.writer().close();
        conn.writer().waitClosed();
        return String.join(" ", got);
    }

    private static final String PY_CLIENT = """
            import asyncio, ssl, sys

            async def main(port, cafile):
                ctx = ssl.create_default_context(cafile=cafile) if cafile else None
                reader, writer = await asyncio.open_connection(
                    '127.0.0.1', port, ssl=ctx, server_hostname='localhost' if ctx else None)
                got = []
                for word in (b'hello', b'asyncio'):
                    writer.write(word + b'\\n')
                    await writer.drain()
                    got.append((await reader.readline()).decode().strip())
                data = bytes(i % 251 for i in range(1 << 20))
                writer.write(b'blob %d\\n' % len(data) + data)
                await writer.drain()
                got.append((await reader.readline()).decode().strip())
                writer.write(b'quit\\n')
                await writer.drain()
                got.append((await reader.read()).decode().strip())  # bye, then our EOF
                got.append('tls' if writer.get_extra_info('sslcontext') else 'plain')
                writer.close()
                await writer.wait_closed()
                print(' '.join(got))

            cafile = sys.argv[2] if len(sys.argv) > 2 else None
            asyncio.run(asyncio.wait_for(main(int(sys.argv[1]), cafile), 30))
            """;

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void aCPythonOpenConnectionClientConversesWithOurStartServer(boolean tls) throws Exception {
        TlsKeys keys = tls ? TlsKeys.get() : null;
        ServerOptions options = tls ? ServerOptions.DEFAULTS.withSsl(keys.server) : ServerOptions.DEFAULTS;
        AsyncIO.run(() -> {
            try (Server server = Streams.startServer(CPythonStreamsInteropTest::serve, "127.0.0.1", 0, options)) {
                List<String> args = new ArrayList<>(List.of(String.valueOf(port(server))));
                if (tls) {
                    args.add(keys.caPem.toString());
                }
                Process p = peer.start(PY_CLIENT, args.toArray(String[]::new));
                String out = AsyncIO.toThread(() -> {
                    String all = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                    p.waitFor(PythonPeer.CHILD_SECONDS, TimeUnit.SECONDS);
                    return all;
                });
                assertEquals(expectedTranscript() + (tls ? " tls" : " plain"), out, () -> "stderr: " + peer.stderr());
                assertEquals(0, p.exitValue(), () -> "stderr: " + peer.stderr());
                server.close();
                server.waitClosed();
            }
        });
    }

    private static final String PY_SERVER = """
            import asyncio, hashlib, ssl, sys

            async def main(certfile, keyfile):
                ctx = None
                if certfile:
                    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
                    ctx.load_cert_chain(certfile, keyfile)
                done = asyncio.get_running_loop().create_future()

                async def handle(reader, writer):
                    kind = 'tls' if writer.get_extra_info('sslcontext') else 'plain'
                    try:
                        while line := (await reader.readline()).decode().strip():
                            if line.startswith('blob '):
                                data = await reader.readexactly(int(line[5:]))
                                writer.write(hashlib.sha256(data).hexdigest().encode() + b'\\n')
                            elif line == 'quit':
                                writer.write(b'bye\\n')
                                await writer.drain()
                                break
                            else:
                                writer.write(line.upper().encode() + b'\\n')
                            await writer.drain()
                        writer.close()
                        await writer.wait_closed()
                        done.set_result(kind)
                    except Exception as e:
                        done.set_exception(e)

                server = await asyncio.start_server(handle, '127.0.0.1', 0, ssl=ctx)
                print(server.sockets[0].getsockname()[1], flush=True)
                print('served', await done, flush=True)
                server.close()
                await server.wait_closed()

            args = sys.argv[1:] + [None, None]
            asyncio.run(asyncio.wait_for(main(args[0], args[1]), 30))
            """;

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void ourOpenConnectionConversesWithACPythonStartServer(boolean tls) throws Exception {
        TlsKeys keys = tls ? TlsKeys.get() : null;
        String[] args = tls ? new String[] {keys.serverCertPem.toString(), keys.serverKeyPem.toString()} : new String[0];
        ConnectionOptions options = tls
                ? ConnectionOptions.DEFAULTS.withSsl(keys.client).withServerHostname("localhost")
                : ConnectionOptions.DEFAULTS;
        AsyncIO.run(() -> {
            Process p = peer.start(PY_SERVER, args);
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = AsyncIO.toThread(out::readLine);
            assertTrue(first != null && first.matches("\\d+"), () -> "port line " + first + ", stderr: " + peer.stderr());
            StreamPair conn = Streams.openConnection("127.0.0.1", Integer.parseInt(first), options);
            if (tls) {
                assertNotNull(conn.writer().getExtraInfo("cipher"), "a TLS connection names its cipher");
            }
            assertEquals(expectedTranscript(), converse(conn), () -> "stderr: " + peer.stderr());
            String last = AsyncIO.toThread(() -> {
                String line = out.readLine();
                p.waitFor(PythonPeer.CHILD_SECONDS, TimeUnit.SECONDS);
                return line;
            });
            assertEquals("served " + (tls ? "tls" : "plain"), last, () -> "stderr: " + peer.stderr());
            assertEquals(0, p.exitValue(), () -> "stderr: " + peer.stderr());
        });
    }
}
