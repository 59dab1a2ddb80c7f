package org.asyncio4j.net.nio;

import static org.asyncio4j.Errors.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.File;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.ExceptionContext;
import org.asyncio4j.net.Connection;
import org.asyncio4j.net.DatagramOptions;
import org.asyncio4j.net.DatagramTransport;
import org.asyncio4j.net.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** UDP endpoints on loopback (ephemeral ports): callback order, addressing, truncation, errors. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DatagramEndpointTest {
    static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static SocketAddress sockname(DatagramTransport t) {
        return (SocketAddress) t.getExtraInfo("sockname");
    }

    /** An echo endpoint on 127.0.0.1 at an ephemeral port. */
    static Connection<DatagramTransport, DatagramRecorder> echoServer() throws Exception {
        return Network.createDatagramEndpoint(DatagramRecorder::echo, DatagramOptions.DEFAULTS.withLocalAddr(ANY_LOOPBACK));
    }

    @Test
    void echoOverAConnectedEndpointInAsyncioOrder() throws Exception {
        AsyncIO.run(() -> {
            var server = echoServer();
            SocketAddress serverAddr = sockname(server.transport());
            var client = Network.createDatagramEndpoint(DatagramRecorder::new,
                    DatagramOptions.DEFAULTS.withRemoteAddr(serverAddr));
            DatagramRecorder c = client.protocol();
            assertEquals(List.of("made"), c.events);
            client.transport().sendto(ascii("hello"));
            client.transport().sendto(ByteBuffer.wrap(ascii("again")), serverAddr); // the remote itself is fine
            var first = c.datagram();
            assertArrayEquals(ascii("hello"), first.data());
            assertEquals(serverAddr, first.from());
            assertArrayEquals(ascii("again"), c.datagram().data());
            assertEquals(sockname(client.transport()), server.protocol().received.getFirst().from());
            client.transport().close();
            assertTrue(client.transport().isClosing());
            assertNull(c.lost.await());
            assertEquals(List.of("made", "datagram", "datagram", "lost"), c.events);
            assertFalse(((DatagramChannel) client.transport().getExtraInfo("socket")).isOpen(),
                    "the channel is closed after connectionLost");
            server.transport().close();
            assertNull(server.protocol().lost.await());
        });
    }

    @Test
    void anUnconnectedEndpointSendsToAnyAddressAndLearnsTheSender() throws Exception {
        AsyncIO.run(() -> {
            var server = echoServer();
            SocketAddress serverAddr = sockname(server.transport());
            var client = Network.createDatagramEndpoint(DatagramRecorder::new,
                    DatagramOptions.DEFAULTS.withLocalAddr(ANY_LOOPBACK));
            assertNull(client.transport().getExtraInfo("peername"));
            client.transport().sendto(ByteBuffer.wrap(ascii("ping")), serverAddr);
            var reply = client.protocol().datagram();
            assertArrayEquals(ascii("ping"), reply.data());
            assertEquals(serverAddr, reply.from());
            assertThrowsWith(IllegalArgumentException.class, () -> client.transport().sendto(ascii("x")),
                    "unconnected", "needs an address");
            client.transport().close();
            server.transport().close();
            client.protocol().lost.await();
            server.protocol().lost.await();
        });
    }

    @Test
    void aConnectedEndpointRefusesAnotherAddress() throws Exception {
        AsyncIO.run(() -> {
            var server = echoServer();
            SocketAddress serverAddr = sockname(server.transport());
            var client = Network.createDatagramEndpoint(DatagramRecorder::new,
                    DatagramOptions.DEFAULTS.withRemoteAddr(serverAddr));
            assertEquals(serverAddr, client.transport().getExtraInfo("peername"));
            assertInstanceOf(DatagramChannel.class, client.transport().getExtraInfo("socket"));
            var other = new InetSocketAddress("127.0.0.1", 9);
            assertThrowsWith(IllegalArgumentException.class,
                    () -> client.transport().sendto(ByteBuffer.wrap(ascii("x")), other),
                    "Invalid address", serverAddr.toString(), other.toString());
            assertEquals(List.of(), server.protocol().received, "nothing was sent");
            client.transport().close();
            server.transport().close();
            client.protocol().lost.await();
        });
    }

    @Test
    void aDatagramLongerThanTheReceiveSizeIsTruncated() throws IOException {
        AsyncIO.run(() -> {
            var small = Network.createDatagramEndpoint(DatagramRecorder::new,
                    DatagramOptions.DEFAULTS.withLocalAddr(ANY_LOOPBACK).withReceiveSize(10));
            var sender = Network.createDatagramEndpoint(DatagramRecorder::new,
                    DatagramOptions.DEFAULTS.withRemoteAddr(sockname(small.transport())));
            byte[] big = new byte[100];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) i;
            }
            sender.transport().sendto(big);
            sender.transport().sendto(ascii("short"));
            assertArrayEquals(java.util.Arrays.copyOf(big, 10), small.protocol().datagram().data());
            assertArrayEquals(ascii("short"), small.protocol().datagram().data(), "the rest was discarded");
            small.transport().close();
            sender.transport().close();
            small.protocol().lost.await();
            sender.protocol().lost.await();
        });
    }

    @Test
    void anEmptyDatagramIsADatagramOnAnUnconnectedEndpoint() throws Exception {
        AsyncIO.run(() -> {
            var server = echoServer();
            var client = Network.createDatagramEndpoint(DatagramRecorder::new,
                    DatagramOptions.DEFAULTS.withLocalAddr(ANY_LOOPBACK));
            client.transport().sendto(ByteBuffer.allocate(0), sockname(server.transport()));
            var echoed = client.protocol().datagram();
            assertEquals(0, echoed.data().length);
            assertEquals(sockname(server.transport()), echoed.from());
            client.transport().close();
            server.transport().close();
            client.protocol().lost.await();
        });
    }

    @Test
    void aClosedPeerPortIsReportedToErrorReceivedAndTheEndpointGoesOn() throws IOException {
        AsyncIO.run(() -> {
            SocketAddress closed;
            try (DatagramChannel gone = DatagramChannel.open(StandardProtocolFamily.INET)) {
                gone.bind(ANY_LOOPBACK);
                closed = gone.getLocalAddress();
            }
            var client = Network.createDatagramEndpoint(DatagramRecorder::new,
                    DatagramOptions.DEFAULTS.withRemoteAddr(closed));
            client.transport().sendto(ascii("anyone?"));
            Exception e = client.protocol().error.await();
            assertInstanceOf(PortUnreachableException.class, e);
            assertFalse(client.transport().isClosing(), "an ICMP error does not end the endpoint");
            assertEquals(List.of("made", "error"), client.protocol().events);
            client.transport().close();
            assertNull(client.protocol().lost.await());
            assertEquals(List.of("made", "error", "lost"), client.protocol().events);
        });
    }

    @Test
    void aProtocolCallbackThatThrowsIsReportedWithTransportAndProtocolAndClosesTheEndpoint() throws IOException {
        AsyncIO.run(() -> {
            EventLoop loop = EventLoop.getRunningLoop();
            List<ExceptionContext> reported = new ArrayList<>();
            loop.setExceptionHandler((l, ctx) -> reported.add(ctx));
            RuntimeException boom = new RuntimeException("boom");
            var server = Network.createDatagramEndpoint(() -> new DatagramRecorder() {
                @Override
                public void datagramReceived(ByteBuffer data, SocketAddress addr) {
                    super.datagramReceived(data, addr);
                    throw boom;
                }
            }, DatagramOptions.DEFAULTS.withLocalAddr(ANY_LOOPBACK));
            var client = Network.createDatagramEndpoint(DatagramRecorder::new,
                    DatagramOptions.DEFAULTS.withRemoteAddr(sockname(server.transport())));
            client.transport().sendto(ascii("x"));
            assertSame(boom, server.protocol().lost.await());
            assertEquals(List.of("made", "datagram", "lost"), server.protocol().events);
            assertEquals(1, reported.size());
            ExceptionContext ctx = reported.getFirst();
            assertSame(boom, ctx.exception());
            assertTrue(ctx.message().contains("datagramReceived"), ctx.message());
            assertSame(server.transport(), ctx.extra().get("transport"));
            assertSame(server.protocol(), ctx.extra().get("protocol"));
            client.transport().close();
            client.protocol().lost.await();
        });
    }

    @Test
    void connectionMadeThatThrowsFailsTheCallAndClosesTheChannel() {
        AsyncIO.run(() -> {
            EventLoop loop = EventLoop.getRunningLoop();
            List<ExceptionContext> reported = new ArrayList<>();
            loop.setExceptionHandler((l, ctx) -> reported.add(ctx));
            IllegalStateException boom = new IllegalStateException("no");
            List<DatagramRecorder> made = new ArrayList<>();
            Throwable t = org.asyncio4j.Errors.caught(() -> Network.createDatagramEndpoint(() -> {
                DatagramRecorder r = new DatagramRecorder() {
                    @Override
                    public void connectionMade(org.asyncio4j.net.BaseTransport transport) {
                        super.connectionMade(transport);
                        throw boom;
                    }
                };
                made.add(r);
                return r;
            }, DatagramOptions.DEFAULTS.withLocalAddr(ANY_LOOPBACK)));
            assertSame(boom, t);
            assertSame(boom, made.getFirst().lost.await());
            assertFalse(((DatagramChannel) made.getFirst().transport.getExtraInfo("socket")).isOpen());
            assertEquals(1, reported.size());
        });
    }

    @Test
    void aBusyAddressIsABindExceptionNamingIt() throws Exception {
        AsyncIO.run(() -> {
            var first = echoServer();
            SocketAddress taken = sockname(first.transport());
            assertThrowsWith(BindException.class, () -> Network.createDatagramEndpoint(DatagramRecorder::new,
                    DatagramOptions.DEFAULTS.withLocalAddr(taken)), "bind", taken.toString());
            first.transport().close();
            first.protocol().lost.await();
        });
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void reusePortLetsTwoEndpointsShareAPort() throws IOException {
        AsyncIO.run(() -> {
            var a = Network.createDatagramEndpoint(DatagramRecorder::new,
                    DatagramOptions.DEFAULTS.withLocalAddr(ANY_LOOPBACK).withReusePort(true));
            var b = Network.createDatagramEndpoint(DatagramRecorder::new,
                    DatagramOptions.DEFAULTS.withLocalAddr(sockname(a.transport())).withReusePort(true)
                            .withAllowBroadcast(true));
            assertEquals(sockname(a.transport()), sockname(b.transport()));
            a.transport().close();
            b.transport().close();
            a.protocol().lost.await();
            b.protocol().lost.await();
        });
    }

    @Test
    void anEndpointNeedsAnAddress() {
        AsyncIO.run(() -> {
            assertThrowsWith(IllegalArgumentException.class,
                    () -> Network.createDatagramEndpoint(DatagramRecorder::new, DatagramOptions.DEFAULTS),
                    "localAddr", "remoteAddr");
        });
    }

    @Test
    void anUnresolvedAddressIsResolvedOffTheLoop() throws IOException {
        AsyncIO.run(() -> {
            var server = Network.createDatagramEndpoint(DatagramRecorder::echo,
                    DatagramOptions.DEFAULTS.withLocalAddr(InetSocketAddress.createUnresolved("localhost", 0)));
            InetSocketAddress bound = (InetSocketAddress) sockname(server.transport());
            assertTrue(bound.getAddress().isLoopbackAddress(), bound.toString());
            server.transport().close();
            server.protocol().lost.await();
        });
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void openingAndClosingEndpointsLeaksNoDescriptor() throws Exception {
        AsyncIO.run(() -> {
            roundTrips(2); // warm up: the JDK opens descriptors of its own on first use
            int before = openDescriptors();
            roundTrips(20);
            assertEquals(before, openDescriptors(), "descriptors open before and after");
        });
    }

    private static void roundTrips(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            var server = echoServer();
            var client = Network.createDatagramEndpoint(DatagramRecorder::new,
                    DatagramOptions.DEFAULTS.withRemoteAddr(sockname(server.transport())));
            client.transport().sendto(ascii("x"));
            client.protocol().datagram();
            client.transport().close();
            server.transport().abort();
            client.protocol().lost.await();
            server.protocol().lost.await();
        }
    }

    static int openDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }
}
