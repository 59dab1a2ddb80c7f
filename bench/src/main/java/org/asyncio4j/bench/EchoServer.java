package org.asyncio4j.bench;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.net.BaseTransport;
import org.asyncio4j.net.Protocol;
import org.asyncio4j.net.Server;
import org.asyncio4j.net.ServerOptions;
import org.asyncio4j.net.Transport;
import org.asyncio4j.stream.StreamReader;
import org.asyncio4j.stream.StreamWriter;
import org.asyncio4j.stream.Streams;

/**
 * asyncio4j's TCP echo server for the echo workloads (DESIGN §5), the counterpart of
 * {@code ../shared/bench/echo_asyncio.py}: listens on 127.0.0.1 only, echoes everything,
 * sets {@code TCP_NODELAY} on every connection (the transport's default, as asyncio's),
 * prints {@code listening 127.0.0.1:PORT} once ready and runs until killed (SIGTERM).
 *
 * <p>Usage: {@code bench/echo-server --mode protocol|streams|tls --port P [--cert-dir D]},
 * which runs {@code java ... -cp bench/target/benchmarks.jar org.asyncio4j.bench.EchoServer
 * --mode protocol --port P}.
 *
 * <ul>
 *   <li>{@code protocol}: a {@link Protocol} whose {@code dataReceived} writes the data back;
 *       while the transport's write buffer is over its high-water mark it stops reading
 *       (the same flow control as echo_asyncio.py's).
 *   <li>{@code streams}: a task per connection doing {@code reader.read(65536)},
 *       {@code writer.write}, {@code writer.drain()} per message, as echo_asyncio.py's
 *       streams mode; closes at EOF.
 *   <li>{@code tls}: the protocol mode behind TLS ({@code ServerOptions.withSsl}), the
 *       counterpart of {@code bench/echo_tls_asyncio.py}; the key and certificate come from
 *       {@code D/server.p12} (PKCS12, password {@value #KEYSTORE_PASSWORD}), which bench/run
 *       makes with openssl from the same key as the PEM files the Python server loads.
 * </ul>
 */
public final class EchoServer {
    private static final String HOST = "127.0.0.1";
    private static final int BACKLOG = 1024;   // as echo_asyncio.py
    /** The password of {@code server.p12}: throw-away key material made for one bench run. */
    static final String KEYSTORE_PASSWORD = "asyncio4j-bench";

    private EchoServer() {
    }

    /**
     * @param args {@code --mode protocol|streams|tls --port P [--cert-dir D]}
     * @throws Exception when the TLS key store cannot be loaded
     */
    public static void main(String[] args) throws Exception {
        String mode = null;
        Path certDir = null;
        int port = -1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--mode" -> mode = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--cert-dir" -> certDir = Path.of(args[i + 1]);
                default -> usage("unknown option " + args[i]);
            }
        }
        if (args.length % 2 != 0 || mode == null || port < 0 || port > 65535) {
            usage("need --mode and --port");
        }
        int p = port;
        switch (mode) {
            case "protocol" -> AsyncIO.run(() -> {
                ServerOptions options = ServerOptions.DEFAULTS.withBacklog(BACKLOG);
                Server server = AsyncIO.createServer(Echo::new, HOST, p, options);
                System.out.println("listening " + HOST + ":" + p);
                server.serveForever();
            });
            case "streams" -> AsyncIO.run(() -> {
                ServerOptions options = ServerOptions.DEFAULTS.withBacklog(BACKLOG);
                Server server = Streams.startServer(EchoServer::echoStream, HOST, p, options, StreamReader.DEFAULT_LIMIT);
                System.out.println("listening " + HOST + ":" + p);
                server.serveForever();
            });
            case "tls" -> {
                if (certDir == null) {
                    usage("--mode tls needs --cert-dir");
                }
                ServerOptions options = ServerOptions.DEFAULTS.withBacklog(BACKLOG)
                        .withSsl(serverContext(certDir.resolve("server.p12")));
                AsyncIO.run(() -> {
                    Server server = AsyncIO.createServer(Echo::new, HOST, p, options);
                    System.out.println("listening " + HOST + ":" + p);
                    server.serveForever();
                });
            }
            default -> usage("--mode must be protocol, streams or tls, not " + mode);
        }
    }

    /** A server {@link SSLContext} with the key and certificate chain of a PKCS12 key store. */
    private static SSLContext serverContext(Path keystore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, KEYSTORE_PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, KEYSTORE_PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    /** The streams-mode handler: echo each read until EOF, draining after every write. */
    private static void echoStream(StreamReader reader, StreamWriter writer) throws java.io.IOException {
        try {
            while (true) {
                byte[] data = reader.read(65536);
                if (data.length == 0) {
                    break;
                }
                writer.write(data);
                writer.drain();
            }
        } finally {
            writer.close();
        }
    }

    private static void usage(String why) {
        System.err.println("EchoServer: " + why + "; usage: EchoServer --mode protocol|streams|tls --port P [--cert-dir D]");
        System.exit(2);
    }

    /** Writes back what it receives; stops reading while the peer is not draining its writes. */
    static final class Echo implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(BaseTransport t) {
            transport = (Transport) t;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);   // the transport copies what it cannot send at once
        }

        @Override
        public void pauseWriting() {
            transport.pauseReading();
        }

        @Override
        public void resumeWriting() {
            transport.resumeReading();
        }
    }
}
