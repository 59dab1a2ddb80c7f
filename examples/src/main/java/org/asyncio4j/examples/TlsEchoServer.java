package org.asyncio4j.examples;

import static org.asyncio4j.AsyncIO.run;
import static org.asyncio4j.AsyncIO.startServer;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.asyncio4j.net.Server;
import org.asyncio4j.net.ServerOptions;
import org.asyncio4j.stream.StreamReader;

/**
 * {@link EchoServer} behind TLS: the same handler, with the server's key and certificate
 * from a PKCS12 key store made by {@code keytool} (see examples/README.md). The password is
 * the environment variable {@code STOREPASS} ({@code changeit} when unset). Serves until
 * stopped (Ctrl-C). Try it with {@link TlsEchoClient}, or {@code openssl s_client -connect
 * 127.0.0.1:8443 -CAfile server.pem -verify_hostname localhost}.
 *
 * <pre>
 *   java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED \
 *        -cp examples/target/asyncio4j-examples.jar org.asyncio4j.examples.TlsEchoServer server.p12 [port]
 * </pre>
 *
 * The asyncio program it mirrors ({@code handle} as in EchoServer; Python loads PEM files
 * where Java loads a key store):
 *
 * <pre>{@code
 * async def main(certfile, keyfile, port=8443):
 *     ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
 *     ctx.load_cert_chain(certfile, keyfile)
 *     server = await asyncio.start_server(handle, "127.0.0.1", port, ssl=ctx)
 *     print("serving TLS on", server.sockets[0].getsockname())
 *     async with server:
 *         await server.serve_forever()
 *
 * asyncio.run(main("server.pem", "server.key"))
 * }</pre>
 */
public final class TlsEchoServer {
    private TlsEchoServer() {
    }

    /** A server context with the key and certificate of a PKCS12 key store. */
    static SSLContext serverContext(Path keystore, char[] password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);   // no trust managers: clients send no certificate
        return ctx;
    }

    /**
     * @param args the PKCS12 key store, then an optional port (default 8443)
     * @throws Exception when the key store cannot be read
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: TlsEchoServer KEYSTORE.p12 [port]  (password: $STOREPASS, default changeit)");
            System.exit(2);
        }
        char[] password = System.getenv().getOrDefault("STOREPASS", "changeit").toCharArray();
        SSLContext ctx = serverContext(Path.of(args[0]), password);
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8443;
        run(() -> {
            Server server = startServer(EchoServer::handle, "127.0.0.1", port, ServerOptions.DEFAULTS.withSsl(ctx),
                    StreamReader.DEFAULT_LIMIT);
            System.out.println("serving TLS on " + server.sockets().get(0).getLocalAddress());
            try (server) {
                server.serveForever();
            }
        });
    }
}
