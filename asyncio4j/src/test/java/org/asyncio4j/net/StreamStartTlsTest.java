package org.asyncio4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.stream.ClientConnected;
import org.asyncio4j.stream.StreamPair;
import org.asyncio4j.stream.Streams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code StreamWriter.startTls}: a STARTTLS-style upgrade of a stream connection, both sides. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamStartTlsTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    /** Answers STARTTLS with OK, upgrades as the server, then echoes lines over TLS. */
    private static ClientConnected starttlsEcho(TlsKeys keys) {
        return (reader, writer) -> {
            assertEquals("STARTTLS\n", s(reader.readline()));
            writer.write(b("OK\n"));
            writer.startTls(keys.server, null);
            for (byte[] line : reader.lines()) {
                writer.write(line);
                writer.drain();
            }
            writer.close();
        };
    }

    @Test
    void bothSidesUpgradeAndTheLinesAfterwardsTravelEncrypted() throws IOException {
        TlsKeys keys = TlsKeys.get();
        AsyncIO.run(() -> {
            try (Server server = Streams.startServer(starttlsEcho(keys), "127.0.0.1", 0)) {
                StreamPair conn = Streams.openConnection("127.0.0.1", TcpTransportTest.port(server));
                assertNull(conn.writer().getExtraInfo("cipher"));
                conn.writer().write(b("STARTTLS\n"));
                assertEquals("OK\n", s(conn.reader().readline()));
                conn.writer().startTls(keys.client, "localhost");
                assertNotNull(conn.writer().getExtraInfo("cipher"));
                conn.writer().write(b("secret\n"));
                assertEquals("secret\n", s(conn.reader().readline()));
                conn.writer().close();
                conn.writer().waitClosed();
            }
        });
    }

    @Test
    void anUntrustedServerFailsTheUpgradeWithTheHandshakeError() throws IOException {
        TlsKeys keys = TlsKeys.get();
        AsyncIO.run(() -> {
            AsyncIO.getRunningLoop().setExceptionHandler((l, c) -> { }); // the server's failed handshake
            try (Server server = Streams.startServer(starttlsEcho(keys), "127.0.0.1", 0)) {
                StreamPair conn = Streams.openConnection("127.0.0.1", TcpTransportTest.port(server));
                conn.writer().write(b("STARTTLS\n"));
                assertEquals("OK\n", s(conn.reader().readline()));
                assertThrows(SSLHandshakeException.class, () -> conn.writer().startTls(keys.trustsSelfSigned, "localhost"));
                conn.writer().close();
            }
        });
    }
}
