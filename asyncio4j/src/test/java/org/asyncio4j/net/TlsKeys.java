package org.asyncio4j.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Test key material, made once per test JVM with the JDK's own {@code keytool} (so nothing
 * secret is committed): a CA, a server certificate it signed for {@code localhost} and
 * {@code 127.0.0.1}, and a self-signed certificate for {@code self.invalid} only. Kept in a
 * temporary folder that is removed when the JVM exits. The server's certificate and key are
 * also written as PEM files for peers that are not Java (CPython's {@code load_cert_chain}):
 * the key is the key store's own PKCS#8 encoding, so no {@code openssl} is needed.
 */
final class TlsKeys {
    static final String PASSWORD = "changeit";
    private static TlsKeys instance;

    /** The folder of the files below. */
    final Path dir;
    /** The CA's certificate, PEM (for {@code openssl -CAfile}). */
    final Path caPem;
    /** The server's CA-signed {@code localhost} certificate, PEM. */
    final Path serverCertPem;
    /** The server's private key, unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
    final Path serverKeyPem;
    /** Server context: the CA-signed {@code localhost} certificate. */
    final SSLContext server;
    /** Server context: the self-signed {@code self.invalid} certificate. */
    final SSLContext selfSignedServer;
    /** Server context: a CA-signed {@code localhost} certificate that expired days ago. */
    final SSLContext expiredServer;
    /** Client context that trusts the CA. */
    final SSLContext client;
    /** Client context that trusts the self-signed certificate (and nothing else). */
    final SSLContext trustsSelfSigned;

    private TlsKeys() throws Exception {
        dir = Files.createTempDirectory("asyncio4j-tls");
        Runtime.getRuntime().addShutdownHook(new Thread(this::deleteDir));
        Path ca = dir.resolve("ca.p12");
        Path srv = dir.resolve("server.p12");
        Path self = dir.resolve("self.p12");
        caPem = dir.resolve("ca.pem");
        Path csr = dir.resolve("server.csr");
        Path crt = dir.resolve("server.pem");
        serverCertPem = crt;
        serverKeyPem = dir.resolve("server-key.pem");
        Path selfPem = dir.resolve("self.pem");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=asyncio4j test CA", "-ext", "bc:c", "-validity", "3", "-keystore", ca.toString());
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-file", caPem.toString());
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=localhost", "-validity", "3", "-keystore", srv.toString());
        keytool("-certreq", "-alias", "server", "-keystore", srv.toString(), "-file", csr.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-infile", csr.toString(),
                "-outfile", crt.toString(), "-validity", "3", "-ext", "san=dns:localhost,ip:127.0.0.1",
                "-ext", "eku=serverAuth");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-keystore", srv.toString(), "-file", caPem.toString());
        keytool("-importcert", "-noprompt", "-alias", "server", "-keystore", srv.toString(), "-file", crt.toString());
        keytool("-genkeypair", "-alias", "self", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=self.invalid", "-ext", "san=dns:self.invalid", "-validity", "3", "-keystore", self.toString());
        keytool("-exportcert", "-rfc", "-alias", "self", "-keystore", self.toString(), "-file", selfPem.toString());

        Path expired = dir.resolve("expired.p12");
        Path expiredCsr = dir.resolve("expired.csr");
        Path expiredCrt = dir.resolve("expired.pem");
        keytool("-genkeypair", "-alias", "expired", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=localhost", "-validity", "3", "-keystore", expired.toString());
        keytool("-certreq", "-alias", "expired", "-keystore", expired.toString(), "-file", expiredCsr.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-infile", expiredCsr.toString(),
                "-outfile", expiredCrt.toString(), "-startdate", "-10d", "-validity", "2",
                "-ext", "san=dns:localhost,ip:127.0.0.1", "-ext", "eku=serverAuth");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-keystore", expired.toString(), "-file", caPem.toString());
        keytool("-importcert", "-noprompt", "-alias", "expired", "-keystore", expired.toString(), "-file",
                expiredCrt.toString());

        KeyStore serverStore = load(srv);
        writeKeyPem((PrivateKey) serverStore.getKey("server", PASSWORD.toCharArray()), serverKeyPem);
        server = serverContext(serverStore);
        selfSignedServer = serverContext(load(self));
        expiredServer = serverContext(load(expired));
        client = clientContext(caPem);
        trustsSelfSigned = clientContext(selfPem);
    }

    /** @return the key material, made on first use */
    static synchronized TlsKeys get() {
        if (instance == null) {
            try {
                instance = new TlsKeys();
            } catch (Exception e) {
                throw new IllegalStateException("cannot make the test keys with keytool", e);
            }
        }
        return instance;
    }

    private static KeyStore load(Path keystore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    private static void writeKeyPem(PrivateKey key, Path file) throws IOException {
        String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded());
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n");
    }

    private static SSLContext serverContext(KeyStore ks) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    private static SSLContext clientContext(Path trustedPem) throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        Certificate cert;
        try (InputStream in = Files.newInputStream(trustedPem)) {
            cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        ts.setCertificateEntry("trusted", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("keytool failed: " + String.join(" ", cmd) + "\n" + out);
        }
    }

    private void deleteDir() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder: the system cleans it up eventually
        }
    }
}
