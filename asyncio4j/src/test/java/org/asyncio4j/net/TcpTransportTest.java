package org.asyncio4j.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** TCP transports and servers on loopback: the protocol callback order and the data path. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TcpTransportTest {
    static int port(Server server) throws Exception {
        return ((InetSocketAddress) server.sockets().getFirst().getLocalAddress()).getPort();
    }

    @Test
    void echoRoundTripInAsyncioOrder() {
        AsyncIO.run(() -> {
            try (Server server = Network.createServer(Echo::new, "127.0.0.1", 0)) {
                var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server));
                Recorder client = conn.protocol();
                assertEquals(List.of("made"), client.events);
                conn.transport().write("hello".getBytes(StandardCharsets.US_ASCII));
                assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), client.received(5));
                conn.transport().writeEof();
                assertNull(client.lost.await());
                assertEquals(List.of("made", "data", "eof", "lost"), client.events);
            }
        });
    }
}
