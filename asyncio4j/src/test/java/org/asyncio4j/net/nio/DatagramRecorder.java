package org.asyncio4j.net.nio;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.asyncio4j.future.Future;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.net.BaseTransport;
import org.asyncio4j.net.DatagramProtocol;
import org.asyncio4j.net.DatagramTransport;

/**
 * A {@link DatagramProtocol} for tests: records every callback in order ({@code events}),
 * keeps each datagram with its sender, optionally echoes, and completes futures a test can
 * await: {@link #made}, {@link #lost} (with the error or {@code null}), {@link #error} (the
 * first {@code errorReceived}), and {@link #datagram()} for the next datagram.
 */
class DatagramRecorder implements DatagramProtocol {
    /** A datagram as received: a copy of its bytes and the sender. */
    record Received(byte[] data, SocketAddress from) {
    }

    final List<String> events = new ArrayList<>();
    final List<Received> received = new ArrayList<>();
    final Future<DatagramTransport> made;
    final Future<Throwable> lost;
    final Future<Exception> error;
    DatagramTransport transport;
    boolean echo;
    private final EventLoop loop;
    private Future<Received> next;
    private int taken;

    DatagramRecorder() {
        loop = EventLoop.getRunningLoop();
        made = loop.createFuture();
        lost = loop.createFuture();
        error = loop.createFuture();
    }

    /** @return a recorder that sends every datagram back to its sender */
    static DatagramRecorder echo() {
        DatagramRecorder r = new DatagramRecorder();
        r.echo = true;
        return r;
    }

    @Override
    public void connectionMade(BaseTransport t) {
        events.add("made");
        transport = (DatagramTransport) t;
        made.setResult(transport);
    }

    @Override
    public void datagramReceived(ByteBuffer data, SocketAddress addr) {
        events.add("datagram");
        byte[] b = new byte[data.remaining()];
        data.get(b);
        received.add(new Received(b, addr));
        if (echo) {
            transport.sendto(ByteBuffer.wrap(b), addr);
        }
        wake();
    }

    @Override
    public void errorReceived(Exception exc) {
        events.add("error");
        if (!error.done()) {
            error.setResult(exc);
        }
    }

    @Override
    public void connectionLost(Throwable exc) {
        events.add("lost");
        lost.setResult(exc);
    }

    @Override
    public void pauseWriting() {
        events.add("pause");
    }

    @Override
    public void resumeWriting() {
        events.add("resume");
    }

    /** Suspends until a datagram not yet taken arrived, and takes it. */
    Received datagram() {
        if (taken == received.size()) {
            next = loop.createFuture();
            next.await();
        }
        return received.get(taken++);
    }

    private void wake() {
        if (next != null) {
            Future<Received> f = next;
            next = null;
            f.setResult(null);
        }
    }
}
