package org.asyncio4j.net;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.asyncio4j.future.Future;
import org.asyncio4j.loop.EventLoop;

/**
 * A {@link Protocol} for tests that records every callback in order ({@code events}), keeps
 * the bytes received, and completes futures a test can await: {@link #made} after
 * {@code connectionMade}, {@link #lost} after {@code connectionLost} (with its error as
 * the result, or {@code null}), and {@link #received(int)} once that many bytes arrived.
 */
class Recorder implements Protocol {
    final List<String> events = new ArrayList<>();
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    final Future<Transport> made;
    final Future<Throwable> lost;
    Transport transport;
    boolean stayHalfOpen;
    private Future<byte[]> waitingFor;
    private int waitingCount;

    Recorder() {
        EventLoop loop = EventLoop.getRunningLoop();
        made = loop.createFuture();
        lost = loop.createFuture();
    }

    @Override
    public void connectionMade(BaseTransport t) {
        events.add("made");
        transport = (Transport) t;
        made.setResult(transport);
    }

    @Override
    public void dataReceived(ByteBuffer buf) {
        if (events.isEmpty() || !events.getLast().equals("data")) {
            events.add("data");
        }
        byte[] b = new byte[buf.remaining()];
        buf.get(b);
        data.writeBytes(b);
        check();
    }

    @Override
    public boolean eofReceived() {
        events.add("eof");
        return stayHalfOpen;
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

    /** Suspends until at least {@code n} bytes arrived in all; returns all received so far. */
    byte[] received(int n) {
        if (data.size() < n) {
            waitingFor = EventLoop.getRunningLoop().createFuture();
            waitingCount = n;
            waitingFor.await();
        }
        return data.toByteArray();
    }

    private void check() {
        if (waitingFor != null && data.size() >= waitingCount) {
            Future<byte[]> f = waitingFor;
            waitingFor = null;
            f.setResult(null);
        }
    }
}
