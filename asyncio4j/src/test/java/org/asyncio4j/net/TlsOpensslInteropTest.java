package org.asyncio4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Interop: OpenSSL's {@code s_client} talks to our TLS echo server, verifying our chain and
 * host name. Skipped (with the reason) when {@code openssl} is not on the {@code PATH}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsOpensslInteropTest {
    @Test
    void opensslClientEchoesThroughOurServer() throws Exception {
        Path openssl = NetChecks.onPath("openssl");
        Assumptions.assumeTrue(openssl != null, "openssl is not on PATH: the OpenSSL interop test is skipped");
        TlsKeys keys = TlsKeys.get();
        AsyncIO.run(() -> {
            try (Server server = Network.createServer(Echo::new, "127.0.0.1", 0,
                    ServerOptions.DEFAULTS.withSsl(keys.server))) {
                int port = ((InetSocketAddress) server.sockets().getFirst().getLocalAddress()).getPort();
                List<String> cmd = List.of(openssl.toString(), "s_client", "-connect", "127.0.0.1:" + port,
                        "-CAfile", keys.caPem.toString(), "-verify_return_error", "-verify_hostname", "localhost",
                        "-servername", "localhost", "-quiet", "-no_ign_eof");
                String[] reply = AsyncIO.toThread(() -> {
                    Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
                    try {
                        OutputStream in = p.getOutputStream();
                        in.write("hello from openssl\n".getBytes(StandardCharsets.US_ASCII));
                        in.flush();
                        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                                StandardCharsets.US_ASCII));
                        String line = out.readLine();
                        in.close(); // s_client sends close_notify and exits
                        boolean exited = p.waitFor(20, TimeUnit.SECONDS);
                        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                        return new String[] {line, exited ? String.valueOf(p.exitValue()) : "still running", err};
                    } finally {
                        p.destroyForcibly();
                    }
                });
                assertEquals("hello from openssl", reply[0], "s_client's stderr: " + reply[2]);
                assertEquals("0", reply[1], "s_client's stderr: " + reply[2]);
            }
        });
    }
}
