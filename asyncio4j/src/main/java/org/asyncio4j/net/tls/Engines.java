package org.asyncio4j.net.tls;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Makes the {@link SSLEngine} of one connection, configured as asyncio's
 * {@code create_default_context()} would configure the {@code SSLObject}: a client checks
 * the server's host name ({@code "HTTPS"} endpoint identification, RFC 2818 / RFC 6125)
 * against {@code serverHostname} and sends it as SNI (not for an IP literal: RFC 6066 does
 * not allow literals in SNI, and the JDK would refuse); {@code ""} checks no host name and
 * sends no SNI (asyncio's {@code server_hostname=''}). The chain is always verified by the
 * context's trust managers: to accept any certificate, build the context with a trust
 * manager that does, as one would build an {@code ssl.CERT_NONE} context in Python.
 */
final class Engines {
    private Engines() {
    }

    /**
     * @param ctx the context
     * @param serverSide whether this side is the server
     * @param serverHostname the client's name to check, {@code ""} for none; ignored on the server side
     * @param peer the peer's address (for the session cache), or {@code null}
     * @return a fresh engine, before its handshake
     */
    static SSLEngine create(SSLContext ctx, boolean serverSide, String serverHostname, Object peer) {
        int port = peer instanceof InetSocketAddress a ? a.getPort() : -1;
        if (serverSide) {
            SSLEngine engine = ctx.createSSLEngine();
            engine.setUseClientMode(false);
            return engine;
        }
        boolean checkName = serverHostname != null && !serverHostname.isEmpty();
        SSLEngine engine = checkName ? ctx.createSSLEngine(serverHostname, port) : ctx.createSSLEngine();
        engine.setUseClientMode(true);
        if (checkName) {
            SSLParameters params = engine.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            if (!isIpLiteral(serverHostname)) {
                params.setServerNames(List.of(new SNIHostName(serverHostname)));
            }
            engine.setSSLParameters(params);
        }
        return engine;
    }

    private static boolean isIpLiteral(String host) {
        try {
            InetAddress.ofLiteral(host);
            return true;
        } catch (IllegalArgumentException notLiteral) {
            return false;
        }
    }
}
