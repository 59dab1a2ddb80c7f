package org.asyncio4j.net;

import static org.asyncio4j.net.NetChecks.ascii;
import static org.asyncio4j.net.NetChecks.assertMessageNames;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.asyncio4j.AsyncIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Unix-domain stream sockets: echo, the socket file's life (made by the server, removed by
 * {@code close()}, a stale one replaced), and the errors, each naming the path.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UnixSocketTest {
    private Path dir;
    private Path path;

    @BeforeEach
    void makeDir() throws IOException {
        // short: a socket path is limited to about 100 bytes
        dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "a4j");
        path = dir.resolve("s.sock");
    }

    @AfterEach
    void removeDir() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static boolean isSocketFile(Path p) throws IOException {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS)
                && ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000) == 0140000;
    }

    /** One echo round trip with half-close over the Unix socket at {@code p}. */
    private static void assertUnixEchoes(Path p, String text) throws IOException {
        var conn = Network.createUnixConnection(Recorder::new, p);
        conn.transport().write(ascii(text));
        assertArrayEquals(ascii(text), conn.protocol().received(text.length()));
        conn.transport().writeEof();
        assertNull(conn.protocol().lost.await());
        assertEquals(List.of("made", "data", "eof", "lost"), conn.protocol().events);
    }

    @Test
    void echoOverAUnixSocketWhoseFileLivesAsLongAsTheServer() throws IOException {
        var before = Fds.snapshot();
        AsyncIO.run(() -> {
            Server server = Network.createUnixServer(Echo::new, path);
            assertTrue(isSocketFile(path), "the server made the socket file");
            assertEquals(UnixDomainSocketAddress.of(path), server.sockets().getFirst().getLocalAddress());
            assertTrue(server.toString().contains(path.toString()), server.toString());
            var conn = Network.createUnixConnection(Recorder::new, path);
            assertTrue(conn.transport().getExtraInfo("sockname") instanceof UnixDomainSocketAddress);
            conn.transport().write(ascii("over unix"));
            assertArrayEquals(ascii("over unix"), conn.protocol().received(9));
            assertUnixEchoes(path, "another");
            server.close();
            assertFalse(Files.exists(path, LinkOption.NOFOLLOW_LINKS), "close() removes the socket file");
            conn.transport().write(ascii("still"));
            assertArrayEquals(ascii("over unixstill"), conn.protocol().received(14));
            conn.transport().close();
            server.waitClosed();
        });
        Fds.assertNoLeak(before);
    }

    @Test
    void aStaleSocketFileFromAServerThatDidNotCloseIsReplaced() throws IOException {
        var before = Fds.snapshot();
        try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(path));
        } // closing the channel leaves the file behind, as a crashed server would
        assertTrue(isSocketFile(path));
        AsyncIO.run(() -> {
            Server server = Network.createUnixServer(Echo::new, path);
            assertUnixEchoes(path, "fresh");
            server.close();
            server.waitClosed();
            assertFalse(Files.exists(path, LinkOption.NOFOLLOW_LINKS));
        });
        Fds.assertNoLeak(before);
    }

    @Test
    void aRegularFileAtThePathIsABindExceptionNamingThePathAndIsKept() throws IOException {
        Files.writeString(path, "not a socket");
        var before = Fds.snapshot();
        AsyncIO.run(() -> {
            BindException e = assertThrows(BindException.class, () -> Network.createUnixServer(Echo::new, path));
            assertMessageNames(e, path);
            assertEquals("not a socket", Files.readString(path));
            Path other = dir.resolve("t.sock");
            Server server = Network.createUnixServer(Echo::new, other);
            assertUnixEchoes(other, "the loop goes on");
            server.close();
            server.waitClosed();
        });
        Fds.assertNoLeak(before);
    }

    @Test
    void connectingToAMissingPathIsAnErrorNamingThePath() {
        var before = Fds.snapshot();
        AsyncIO.run(() -> {
            Path missing = dir.resolve("missing.sock");
            IOException e = assertThrows(IOException.class, () -> Network.createUnixConnection(Recorder::new, missing));
            assertMessageNames(e, missing);
            IllegalArgumentException nul = assertThrows(IllegalArgumentException.class,
                    () -> Network.createUnixConnection(Recorder::new, null));
            assertMessageNames(nul, "path", "null");
        });
        Fds.assertNoLeak(before);
    }

    @Test
    void connectingToASocketFileNobodyListensOnIsRefusedNamingThePath() throws IOException {
        try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(path));
        }
        var before = Fds.snapshot();
        AsyncIO.run(() -> {
            IOException e = assertThrows(IOException.class, () -> Network.createUnixConnection(Recorder::new, path));
            assertTrue(e instanceof java.net.ConnectException, String.valueOf(e));
            assertMessageNames(e, path);
        });
        Fds.assertNoLeak(before);
    }
}
