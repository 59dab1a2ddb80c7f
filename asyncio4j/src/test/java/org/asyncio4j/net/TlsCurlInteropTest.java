package org.asyncio4j.net;

import static org.asyncio4j.net.NetChecks.ascii;
import static org.asyncio4j.net.NetChecks.port;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.stream.StreamReader;
import org.asyncio4j.stream.StreamWriter;
import org.asyncio4j.stream.Streams;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Interop: {@code curl --cacert ca.pem https://localhost:PORT/} against an HTTPS "Hello,
 * World!" server written on the public streams API ({@code Streams.startServer} with {@code
 * ServerOptions.withSsl}), the examples' HttpHello behind TLS. curl checks our chain against
 * the CA of {@link TlsKeys} and the name {@code localhost} (pinned to 127.0.0.1 with {@code
 * --resolve}, so the test never leaves loopback). curl runs off the loop with a time limit
 * and is always killed. Skipped (with the reason) when {@code curl} is not on the {@code PATH}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsCurlInteropTest {
    private static final String BODY = "Hello, World!";

    /** One request per connection: read the head up to the blank line, answer, close. */
    private static void hello(StreamReader reader, StreamWriter writer) throws IOException {
        try {
            String head = new String(reader.readuntil(ascii("\r\n\r\n")), StandardCharsets.US_ASCII);
            String status = head.startsWith("GET / ") ? "200 OK" : "404 Not Found";
            String body = status.startsWith("200") ? BODY : status;
            writer.write(ascii("HTTP/1.1 " + status + "\r\nContent-Type: text/plain\r\nContent-Length: "
                    + body.length() + "\r\nConnection: close\r\n\r\n" + body));
            writer.drain();
        } finally {
            writer.close();
        }
    }

    @Test
    void curlWithTheCaCertificateGetsTheBodyOverHttps() throws Exception {
        Path curl = NetChecks.onPath("curl");
        Assumptions.assumeTrue(curl != null, "curl is not on PATH: the curl --cacert interop test is skipped");
        TlsKeys keys = TlsKeys.get();
        AsyncIO.run(() -> {
            try (Server server = Streams.startServer(TlsCurlInteropTest::hello, "127.0.0.1", 0,
                    ServerOptions.DEFAULTS.withSsl(keys.server))) {
                int port = port(server);
                List<String> cmd = List.of(curl.toString(), "--silent", "--show-error", "--max-time", "30",
                        "--cacert", keys.caPem.toString(), "--resolve", "localhost:" + port + ":127.0.0.1",
                        "--write-out", "\n%{http_code} %{ssl_verify_result}", "https://localhost:" + port + "/");
                String[] reply = AsyncIO.toThread(() -> {
                    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                    try {
                        p.getOutputStream().close();
                        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                        boolean exited = p.waitFor(PythonPeer.CHILD_SECONDS, TimeUnit.SECONDS);
                        return new String[] {out, exited ? String.valueOf(p.exitValue()) : "still running"};
                    } finally {
                        p.destroyForcibly();
                    }
                });
                assertEquals(BODY + "\n200 0", reply[0], "curl's output");
                assertEquals("0", reply[1], () -> "curl's exit status; its output: " + reply[0]);
                server.close();
                server.waitClosed();
            }
        });
    }
}
