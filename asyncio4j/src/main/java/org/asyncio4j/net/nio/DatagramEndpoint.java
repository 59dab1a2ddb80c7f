package org.asyncio4j.net.nio;

import java.io.IOException;
import java.util.function.Supplier;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.net.Connection;
import org.asyncio4j.net.DatagramOptions;
import org.asyncio4j.net.DatagramProtocol;
import org.asyncio4j.net.DatagramTransport;

/** Datagram endpoints: being written (see the networking issue). */
final class DatagramEndpoint {
    private DatagramEndpoint() {
    }

    static <P extends DatagramProtocol> Connection<DatagramTransport, P> open(EventLoop loop, Supplier<P> factory,
            DatagramOptions options) throws IOException {
        throw new UnsupportedOperationException("datagram endpoints are not implemented yet");
    }
}
