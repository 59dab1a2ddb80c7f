package org.asyncio4j.net.nio;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.NetworkChannel;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code getExtraInfo} entries of a socket, read once when its transport is made
 * (asyncio fills {@code _extra} the same way): {@code "socket"}, {@code "sockname"} and,
 * when connected, {@code "peername"}.
 */
final class Extra {
    private Extra() {
    }

    static Map<String, Object> of(NetworkChannel channel) {
        Map<String, Object> m = new HashMap<>(4);
        m.put("socket", channel);
        try {
            SocketAddress local = channel.getLocalAddress();
            if (local != null) {
                m.put("sockname", local);
            }
            if (channel instanceof java.nio.channels.SocketChannel sc && sc.getRemoteAddress() != null) {
                m.put("peername", sc.getRemoteAddress());
            } else if (channel instanceof java.nio.channels.DatagramChannel dc && dc.getRemoteAddress() != null) {
                m.put("peername", dc.getRemoteAddress());
            }
        } catch (IOException closedMeanwhile) {
            // a channel closed under us has no addresses to report
        }
        return m;
    }
}
