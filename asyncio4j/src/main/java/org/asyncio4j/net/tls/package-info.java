/**
 * TLS over any stream transport (asyncio's {@code asyncio.sslproto}): {@link
 * org.asyncio4j.net.tls.SSLProtocol} sits between a plain {@link org.asyncio4j.net.Transport}
 * and the application's protocol and drives a {@link javax.net.ssl.SSLEngine}.
 *
 * <p>Users reach it through the {@code ssl} options of {@code createConnection}
 * ({@link org.asyncio4j.net.ConnectionOptions#withSsl}) and {@code createServer}
 * ({@link org.asyncio4j.net.ServerOptions#withSsl}), and through
 * {@link org.asyncio4j.net.Network#startTls} (asyncio's {@code loop.start_tls}). This package
 * imports {@code org.asyncio4j.net} and the kernel only; the backend that makes sockets
 * ({@code org.asyncio4j.net.nio}) imports it to wrap connections, and {@code Network} reaches
 * it through the backend, so {@code net} never imports {@code net.tls}.
 */
package org.asyncio4j.net.tls;
