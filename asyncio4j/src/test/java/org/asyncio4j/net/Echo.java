package org.asyncio4j.net;

import java.nio.ByteBuffer;

/** The echo protocol of the tests: writes back what it receives; closes on EOF. */
class Echo implements Protocol {
    Transport transport;

    @Override
    public void connectionMade(BaseTransport t) {
        transport = (Transport) t;
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        transport.write(data);
    }
}
