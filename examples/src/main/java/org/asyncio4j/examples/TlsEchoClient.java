package org.asyncio4j.examples;

import static org.asyncio4j.AsyncIO.openConnection;
import static org.asyncio4j.AsyncIO.run;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.asyncio4j.net.ConnectionOptions;
import org.asyncio4j.stream.StreamPair;

/**
 * {@link EchoClient} over TLS: connects to {@link TlsEchoServer}, trusting the certificate
 * in a PEM file (as Python's {@code cafile=}) and checking that it names {@code localhost},
 * sends a few lines, prints each echo and closes. examples/README.md shows how to make the
 * key store and the PEM file with {@code keytool}.
 *
 * <pre>
 *   java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED \
 *        -cp examples/target/asyncio4j-examples.jar org.asyncio4j.examples.TlsEchoClient server.pem [port] [message...]
 * </pre>
 *
 * The asyncio program it mirrors:
 *
 * <pre>{@code
 * async def main(cafile, port=8443, messages=("hello", "world")):
 *     ctx = ssl.create_default_context(cafile=cafile)
 *     reader, writer = await asyncio.open_connection(
 *         "127.0.0.1", port, ssl=ctx, server_hostname="localhost")
 *     print("cipher:", writer.get_extra_info("cipher"))
 *     for message in messages:
 *         writer.write(message.encode() + b"\n")
 *         await writer.drain()
 *         line = await reader.readline()
 *         print("echo:", line.decode().rstrip())
 *     writer.close()
 *     await writer.wait_closed()
 *
 * asyncio.run(main("server.pem"))
 * }</pre>
 */
public final class TlsEchoClient {
    private TlsEchoClient() {
    }

    /** A client context that trusts the certificates of a PEM file, and nothing else. */
    static SSLContext trusting(Path pem) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int i = 0;
            for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("cert" + i++, cert);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /**
     * @param args the trusted certificate (PEM), then an optional port (default 8443), then
     *             the messages (default: hello, world)
     * @throws Exception when the certificate file cannot be read
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: TlsEchoClient CERT.pem [port] [message...]");
            System.exit(2);
        }
        SSLContext ctx = trusting(Path.of(args[0]));
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8443;
        String[] messages = args.length > 2 ? Arrays.copyOfRange(args, 2, args.length)
                : new String[] {"hello", "world"};
        ConnectionOptions options = ConnectionOptions.DEFAULTS.withSsl(ctx).withServerHostname("localhost");
        run(() -> {
            StreamPair conn = openConnection("127.0.0.1", port, options);   // reader, writer = ...
            System.out.println("cipher: " + conn.writer().getExtraInfo("cipher"));
            EchoClient.converse(conn, messages);
        });
    }
}
