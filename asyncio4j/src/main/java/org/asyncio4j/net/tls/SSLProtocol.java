package org.asyncio4j.net.tls;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.asyncio4j.future.Context;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.TimeoutError;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.ExceptionContext;
import org.asyncio4j.loop.TimerHandle;
import org.asyncio4j.net.BaseProtocol;
import org.asyncio4j.net.BaseTransport;
import org.asyncio4j.net.BufferedProtocol;
import org.asyncio4j.net.Protocol;
import org.asyncio4j.net.Transport;

/**
 * TLS between a plain stream transport and an application protocol (asyncio's
 * {@code asyncio.sslproto.SSLProtocol}), driven by a {@link SSLEngine}. Towards the plain
 * transport ({@link Transport}: a socket, or another TLS transport, so TLS-in-TLS works) it
 * is a {@link BufferedProtocol}; towards the application it offers the <em>app
 * transport</em>, a {@link Transport} whose writes are encrypted and whose protocol
 * ({@link Protocol} or {@link BufferedProtocol}) receives the decrypted bytes.
 *
 * <h2>States (asyncio's {@code SSLProtocolState})</h2>
 * <pre>
 *  UNWRAPPED ──connectionMade──▶ DO_HANDSHAKE ──handshake done──▶ WRAPPED ──app close() / peer's close_notify──▶ FLUSHING
 *      ▲                              │                              │                                              │ backlog wrapped,
 *      │     failed, timed out, EOF   │                              │ EOF without close_notify                     ▼ our close_notify sent
 *      ├──────────────────────────────┘                              └──────────────────────────────────────────▶ SHUTDOWN
 *      │                                                                                                            │ peer's close_notify or EOF:
 *      │                                                                                                            ▼ plain transport closed
 *      └──── abort(), a fatal error, the shutdown timeout, or the plain transport's connectionLost: from any state ◀─┘
 *
 *  application protocol (asyncio's AppProtocolState):  INIT ──connectionMade──▶ MADE ──eofReceived──▶ EOF ──connectionLost──▶ LOST
 *                                                       (startTls starts at MADE: its protocol is connected already)
 * </pre>
 * <ul>
 *   <li><b>UNWRAPPED</b>: no TLS (before {@code connectionMade}, after a failure or once the
 *       plain transport is lost). Incoming bytes are dropped.
 *   <li><b>DO_HANDSHAKE</b>: the engine's handshake runs; a timer aborts it after
 *       {@code sslHandshakeTimeout} seconds with {@link ConnectionAbortedError}. On success
 *       the application protocol's {@code connectionMade} runs (unless the protocol was
 *       already connected: {@code startTls}) and the handshake waiter completes.
 *   <li><b>WRAPPED</b>: application data flows both ways.
 *   <li><b>FLUSHING</b>: the app transport is closing; application data still waiting for
 *       the engine (the backlog, only non-empty during a renegotiation) is wrapped first.
 *       The shutdown timer ({@code sslShutdownTimeout}) runs from here.
 *   <li><b>SHUTDOWN</b>: our {@code close_notify} is sent; the peer's is awaited (decrypted
 *       data is discarded), then the plain transport is closed. A timeout aborts with
 *       {@link TimeoutError} {@code "SSL shutdown timed out"}, as asyncio.
 * </ul>
 * The application protocol's own order is the usual one, made → data* → eof? → lost, with
 * {@code connectionLost} exactly once and only if {@code connectionMade} ran.
 *
 * <h2>Choices, and where they differ from asyncio</h2>
 * <ul>
 *   <li><b>Half-close.</b> As asyncio's SSL transport: {@code canWriteEof()} is false; the
 *       peer's {@code close_notify} calls the application's {@code eofReceived()} (its return
 *       value is ignored, with a warning if it asks to stay half-open), and our
 *       {@code close_notify} follows. An EOF of the plain transport without
 *       {@code close_notify} (a "ragged" EOF, common with HTTP servers) is treated as EOF too,
 *       as asyncio does; it is not an error.
 *   <li><b>Delegated tasks</b> ({@link SSLEngine#getDelegatedTask()}: certificate checks,
 *       key exchange) run inline on the loop thread. They are CPU work of a millisecond or
 *       so per handshake; running them on another thread would cost a thread hand-off each
 *       and make the order of events depend on timing. A trust manager that does network
 *       I/O (OCSP, CRL fetching) would block the loop meanwhile: give such work its own
 *       executor in the trust manager itself.
 *   <li><b>Handshake timeout</b> fails with {@link ConnectionAbortedError} (asyncio's type
 *       and message). A handshake error from the engine
 *       ({@link SSLHandshakeException}: untrusted chain, host-name mismatch, a plain-text
 *       peer) reaches the caller as the very object the JDK threw, message unchanged; the
 *       engine's alert is sent to the peer before the socket is closed.
 *   <li><b>Flow control.</b> Application data is encrypted at once and handed to the plain
 *       transport, so the app transport's write buffer is the plain transport's (plus the
 *       backlog during a renegotiation): the application is paused while the plain
 *       transport is paused or the backlog is over the high-water mark, and the limits are
 *       the plain transport's. {@code pauseReading()} on the app transport pauses the plain
 *       transport at once (records already received wait, undecrypted, in {@code netIn}).
 * </ul>
 *
 * <h2>Implementation overview</h2>
 * Three buffers, allocated once per connection from the session's sizes, always in
 * "fill" mode between calls (data in {@code [0, position)}): {@code netIn} holds
 * ciphertext read by the plain transport (it is handed out by {@link #getBuffer}, so the
 * socket reads straight into it), {@code appIn} decrypted bytes not yet delivered,
 * {@code netOut} encrypted bytes not yet handed to the plain transport (empty between
 * operations: the plain transport copies what it cannot send at once). Steady state
 * allocates nothing of ours. {@link #pump()} is the one reading loop: it runs the
 * engine's handshake steps, unwraps records and delivers them, for every state; it is not
 * re-entered (an application callback may write, close or pause, and the loop checks the
 * state after each step). Resuming reading schedules a pump instead of running one inline.
 * The first fatal error is kept in {@code fatal} and given to the application's
 * {@code connectionLost} (the plain transport's {@code abort()} reports none).
 */
public final class SSLProtocol implements BufferedProtocol {
    private static final Logger LOG = System.getLogger("org.asyncio4j.net");
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** From this many writes after close, each is logged (asyncio's threshold). */
    private static final int WARN_AFTER_CLOSED_WRITES = 5;

    /** asyncio's {@code SSLProtocolState}. */
    enum State { UNWRAPPED, DO_HANDSHAKE, WRAPPED, FLUSHING, SHUTDOWN }

    /** asyncio's {@code AppProtocolState}: what the application protocol has been told. */
    private enum AppState { INIT, MADE, EOF, LOST }

    private final EventLoop loop;
    private final Context context;
    private final SSLContext sslContext;
    private final boolean serverSide;
    private final String serverHostname;
    private final double handshakeTimeout;
    private final double shutdownTimeout;
    private final Future<Void> handshakeDone;
    private final SSLProtocolTransport appTransport;
    /** One-element array for single-buffer writes, so they share the gathering path without allocating. */
    private final ByteBuffer[] one = new ByteBuffer[1];

    private BaseProtocol appProtocol;
    /** The application protocol again, typed for delivery: exactly one of these two is set. */
    private Protocol streamApp;
    private BufferedProtocol bufferedApp;

    private Transport transport;
    private SSLEngine engine;
    private State state = State.UNWRAPPED;
    private AppState appState;

    private ByteBuffer netIn;
    private ByteBuffer appIn;
    private ByteBuffer netOut;
    /** Application data the engine could not take yet (it waits for the peer mid-renegotiation). */
    private final ArrayDeque<ByteBuffer> backlog = new ArrayDeque<>();
    private long backlogBytes;

    private boolean appReadingPaused;
    /** Mirrors whether we paused the plain transport's reading. */
    private boolean transportReadingPaused;
    /** The plain transport asked us to stop writing. */
    private boolean transportWritingPaused;
    private boolean appWritingPaused;
    /** The plain transport saw EOF. */
    private boolean eofReceived;
    /** The plain transport was closed by us after a clean shutdown. */
    private boolean shutdownDone;
    /** pump() is on the stack. */
    private boolean pumping;
    private boolean pumpScheduled;
    /** The first fatal error; {@code connectionLost} reports it when the plain transport gives none. */
    private Throwable fatal;
    private TimerHandle handshakeTimer;
    private TimerHandle shutdownTimer;
    private int writesAfterClose;

    /**
     * Makes the TLS layer for one connection (asyncio's {@code SSLProtocol(loop, app_protocol,
     * sslcontext, waiter, server_side, server_hostname, call_connection_made=...,
     * ssl_handshake_timeout=..., ssl_shutdown_timeout=...)}). Give it to a plain transport as
     * that transport's protocol; the handshake starts when the transport calls
     * {@link #connectionMade}. Runs on the loop's thread.
     *
     * @param loop the loop of the plain transport
     * @param appProtocol the application's {@link Protocol} or {@link BufferedProtocol}
     * @param sslContext the TLS context
     * @param serverSide whether this side is the TLS server
     * @param serverHostname client side: the name to verify the certificate against and
     *     send as SNI, {@code ""} for no host-name check; ignored on the server side
     * @param handshakeTimeout seconds before a handshake in progress is aborted
     * @param shutdownTimeout seconds to wait for the peer's {@code close_notify}
     * @param callConnectionMade whether to call the application's {@code connectionMade}
     *     after the handshake ({@code false} for {@code startTls}, whose protocol is already
     *     connected)
     * @throws IllegalArgumentException if the protocol is neither kind of stream protocol,
     *     or a timeout is not positive
     */
    public SSLProtocol(EventLoop loop, BaseProtocol appProtocol, SSLContext sslContext, boolean serverSide,
            String serverHostname, double handshakeTimeout, double shutdownTimeout, boolean callConnectionMade) {
        if (sslContext == null) {
            throw new NullPointerException("sslContext must not be null");
        }
        if (!(handshakeTimeout > 0) || !(shutdownTimeout > 0)) {
            throw new IllegalArgumentException("TLS timeouts must be > 0 seconds, got handshake " + handshakeTimeout
                    + ", shutdown " + shutdownTimeout);
        }
        this.loop = loop;
        this.context = Context.copyContext();
        this.sslContext = sslContext;
        this.serverSide = serverSide;
        this.serverHostname = serverHostname == null ? "" : serverHostname;
        this.handshakeTimeout = handshakeTimeout;
        this.shutdownTimeout = shutdownTimeout;
        this.handshakeDone = loop.createFuture();
        this.appState = callConnectionMade ? AppState.INIT : AppState.MADE;
        setAppProtocol(appProtocol);
        this.appTransport = new SSLProtocolTransport(this);
    }

    // ================================================================ the caller's side

    /**
     * Upgrades a live connection to TLS (asyncio's {@code loop.start_tls()}): {@code transport}
     * gets a new protocol (this layer), the handshake runs, and the new app transport is
     * returned; {@code protocol}'s {@code connectionMade} is not called again (as asyncio: it
     * was connected already; keep the returned transport). Use the old transport no more.
     *
     * <p>Cancellation: the plain transport is aborted and {@code CancelledError} propagates.
     *
     * @param loop the running loop
     * @param transport the plain transport, open
     * @param protocol the application protocol that will receive the decrypted bytes
     * @param sslContext the TLS context
     * @param serverSide whether this side is the TLS server
     * @param serverHostname client side: the name to check, {@code ""} for none
     * @param handshakeTimeout seconds the handshake may take
     * @param shutdownTimeout seconds to wait for the peer's {@code close_notify}
     * @return the app transport, after the handshake
     * @throws IOException the handshake's error ({@link SSLHandshakeException},
     *     {@link ConnectionAbortedError} on timeout); the plain transport is closed
     * @throws IllegalStateException if {@code transport} is closing or closed
     */
    public static Transport startTls(EventLoop loop, Transport transport, BaseProtocol protocol,
            SSLContext sslContext, boolean serverSide, String serverHostname, double handshakeTimeout,
            double shutdownTimeout) throws IOException {
        if (transport == null) {
            throw new IllegalArgumentException("startTls needs a transport, got null");
        }
        if (transport.isClosing()) {
            throw new IllegalStateException("startTls() on a closing or closed transport: " + transport);
        }
        SSLProtocol tls = new SSLProtocol(loop, protocol, sslContext, serverSide, serverHostname, handshakeTimeout,
                shutdownTimeout, false);
        transport.pauseReading();
        transport.setProtocol(tls);
        var made = loop.callSoon(() -> tls.connectionMade(transport), tls.context);
        var resume = loop.callSoon(transport::resumeReading, tls.context);
        try {
            return tls.awaitHandshake();
        } catch (Throwable e) {
            made.cancel();
            resume.cancel();
            transport.abort();
            throw e;
        }
    }

    /**
     * Suspends until the handshake completed and returns the app transport (asyncio awaits
     * its {@code waiter}).
     *
     * <p>Cancellation: the plain transport is aborted, then {@code CancelledError} propagates.
     *
     * @return the app transport
     * @throws IOException the handshake's error, unchanged; the plain transport is closed
     */
    public Transport awaitHandshake() throws IOException {
        try {
            handshakeDone.await();
        } catch (Throwable e) {
            if (transport != null && !(e instanceof IOException)) {
                transport.abort(); // cancelled: an I/O error has closed the transport already
            }
            throw e;
        }
        return appTransport;
    }

    /** @return the transport the application protocol writes to (asyncio's {@code _app_transport}) */
    public Transport appTransport() {
        return appTransport;
    }

    // ================================================================ the plain transport's side

    /**
     * The plain transport is connected: makes the engine and starts the handshake
     * (asyncio's {@code connection_made} → {@code _start_handshake}).
     *
     * @param t the plain transport, a {@link Transport}
     */
    @Override
    public void connectionMade(BaseTransport t) {
        if (!(t instanceof Transport plain)) {
            throw new IllegalArgumentException("TLS needs a stream Transport, got " + t);
        }
        transport = plain;
        engine = Engines.create(sslContext, serverSide, serverHostname, plain.getExtraInfo("peername"));
        SSLSession session = engine.getSession();
        int packet = session.getPacketBufferSize();
        netIn = ByteBuffer.allocate(2 * packet);
        netOut = ByteBuffer.allocate(2 * packet);
        appIn = ByteBuffer.allocate(session.getApplicationBufferSize() + 1024);
        state = State.DO_HANDSHAKE;
        handshakeTimer = loop.callLater(handshakeTimeout, this::checkHandshakeTimeout, context);
        if (loop.getDebug()) {
            LOG.log(Level.DEBUG, this + " starts the TLS handshake");
        }
        try {
            engine.beginHandshake();
        } catch (SSLException e) {
            handshakeFailed(e);
            return;
        }
        pump();
    }

    /**
     * @param sizeHint ignored: the buffer is the layer's own ciphertext buffer
     * @return the free part of the ciphertext buffer, grown when full
     */
    @Override
    public ByteBuffer getBuffer(int sizeHint) {
        if (netIn == null) {
            return ByteBuffer.allocate(Math.max(sizeHint, 1)); // not connected: bytes are dropped
        }
        if (!netIn.hasRemaining()) {
            netIn = grow(netIn, Math.max(2 * netIn.capacity(), engine.getSession().getPacketBufferSize()));
        }
        return netIn;
    }

    /** @param nbytes ciphertext bytes the plain transport put in the buffer */
    @Override
    public void bufferUpdated(int nbytes) {
        if (state == State.UNWRAPPED) {
            if (netIn != null) {
                netIn.clear();
            }
            return;
        }
        pump();
    }

    /**
     * The plain transport saw EOF (asyncio's {@code eof_received}): during the handshake it
     * fails the handshake; after it, it is the application's EOF (with or without
     * {@code close_notify}).
     *
     * @return whether the plain transport stays open: only while decrypted data waits for
     *     the application to resume reading
     */
    @Override
    public boolean eofReceived() {
        eofReceived = true;
        switch (state) {
            case DO_HANDSHAKE -> {
                handshakeFailed(new SSLHandshakeException("Remote host terminated the handshake"));
                return false;
            }
            case WRAPPED -> {
                if (appReadingPaused && (netIn.position() > 0 || appIn.position() > 0)) {
                    return true; // delivered when reading resumes, then closed
                }
                callAppEof();
                state = State.SHUTDOWN; // nothing more to read, and no close_notify to send on a dead stream
                finishShutdown(null);
                return true; // finishShutdown closed it
            }
            case FLUSHING, SHUTDOWN -> {
                finishShutdown(null);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /**
     * The plain transport is gone (asyncio's {@code connection_lost}): the application is
     * told, with the first fatal error if the transport reports none.
     *
     * @param exc the plain transport's error, or {@code null}
     */
    @Override
    public void connectionLost(Throwable exc) {
        Throwable err = exc != null ? exc : fatal;
        cancelTimers();
        state = State.UNWRAPPED;
        appTransport.closed = true;
        backlog.clear();
        backlogBytes = 0;
        if (!handshakeDone.done()) {
            handshakeDone.setException(err != null ? err
                    : new SSLHandshakeException("Connection closed during the TLS handshake"));
        }
        if (appState == AppState.MADE || appState == AppState.EOF) {
            appState = AppState.LOST;
            try {
                appProtocol.connectionLost(err);
            } catch (Throwable t) {
                report("Fatal error: protocol.connectionLost() call failed.", t);
            }
        }
    }

    /** The plain transport's buffer went over its high-water mark. */
    @Override
    public void pauseWriting() {
        transportWritingPaused = true;
        controlAppWriting();
    }

    /** The plain transport's buffer drained. */
    @Override
    public void resumeWriting() {
        transportWritingPaused = false;
        controlAppWriting();
    }

    // ================================================================ handshake

    private void checkHandshakeTimeout() {
        if (state == State.DO_HANDSHAKE) {
            ConnectionAbortedError e = new ConnectionAbortedError("SSL handshake is taking longer than "
                    + handshakeTimeout + " seconds: aborting the connection");
            fatalError(e, "SSL handshake timed out");
        }
    }

    private void handshakeComplete() {
        cancelHandshakeTimer();
        state = State.WRAPPED;
        if (loop.getDebug()) {
            LOG.log(Level.DEBUG, this + ": TLS handshake done, " + engine.getSession().getProtocol() + " "
                    + engine.getSession().getCipherSuite());
        }
        if (appState == AppState.INIT) {
            appState = AppState.MADE;
            try {
                appProtocol.connectionMade(appTransport);
            } catch (Throwable t) {
                fatalError(t, "Fatal error: protocol.connectionMade() call failed.");
                return;
            }
        }
        if (!handshakeDone.done()) {
            handshakeDone.setResult(null);
        }
        updateTransportReading();
    }

    /**
     * The handshake failed: the engine's alert is sent if it has one, the plain transport
     * closed (flushing the alert), the waiter failed with {@code e} itself.
     */
    private void handshakeFailed(Throwable e) {
        if (state != State.DO_HANDSHAKE) {
            return;
        }
        cancelHandshakeTimer();
        state = State.UNWRAPPED;
        if (fatal == null) {
            fatal = e;
        }
        if (loop.getDebug()) {
            LOG.log(Level.DEBUG, this + ": TLS handshake failed", e);
        }
        sendAlert();
        if (!handshakeDone.done()) {
            handshakeDone.setException(e);
        }
        transport.close();
    }

    /** After a failed handshake, hands the engine's alert (if any) to the plain transport. */
    private void sendAlert() {
        try {
            engine.closeOutbound();
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                netOut.clear();
                SSLEngineResult r = engine.wrap(EMPTY, netOut);
                if (r.bytesProduced() == 0) {
                    break;
                }
                send();
            }
        } catch (SSLException | RuntimeException alertFailed) {
            // the engine is past sending anything: the close alone tells the peer
        }
        netOut.clear();
    }

    // ================================================================ reading

    /** Schedules a pump for the next iteration (once), e.g. after reading resumed. */
    void schedulePump() {
        if (pumpScheduled) {
            return;
        }
        pumpScheduled = true;
        loop.callSoon(() -> {
            pumpScheduled = false;
            if (state != State.UNWRAPPED) {
                pump();
            }
        }, context);
    }

    /**
     * Feeds {@code netIn} to the engine and acts on what comes out until it needs more bytes
     * from the peer, or the application paused reading. Never re-entered.
     */
    private void pump() {
        if (pumping) {
            return;
        }
        pumping = true;
        netIn.flip();
        try {
            pumpLoop();
            send();
        } catch (SSLException e) {
            if (state == State.DO_HANDSHAKE) {
                netIn.clear().flip();
                handshakeFailed(e);
            } else {
                fatalError(e, "Fatal error on SSL protocol");
            }
        } catch (RuntimeException | Error e) {
            // a bug of ours or of the engine: close rather than leave the connection hanging
            fatalError(e, "Fatal error on SSL protocol");
        } finally {
            netIn.compact();
            pumping = false;
        }
        if (eofReceived && state == State.WRAPPED && !appReadingPaused) {
            eofReceived(); // a ragged EOF that waited for the application to read the rest
        }
    }

    private void pumpLoop() throws SSLException {
        for (;;) {
            if (state == State.UNWRAPPED) {
                return;
            }
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                runDelegatedTasks();
                continue;
            }
            if (hs == HandshakeStatus.NEED_WRAP) {
                if (!wrapControl()) {
                    return;
                }
                continue;
            }
            if (state == State.DO_HANDSHAKE && hs == HandshakeStatus.NOT_HANDSHAKING) {
                handshakeComplete();
                continue;
            }
            if (!backlog.isEmpty() && hs == HandshakeStatus.NOT_HANDSHAKING && state != State.SHUTDOWN) {
                flushBacklog();
                continue;
            }
            if (state == State.WRAPPED && appReadingPaused) {
                return;
            }
            if (!netIn.hasRemaining()) {
                deliver();
                return;
            }
            if (appIn.remaining() < engine.getSession().getApplicationBufferSize()) {
                if (appIn.position() > 0 && state != State.DO_HANDSHAKE) {
                    deliver();
                    continue;
                }
                appIn = grow(appIn, appIn.capacity() + engine.getSession().getApplicationBufferSize());
            }
            SSLEngineResult r = engine.unwrap(netIn, appIn);
            switch (r.getStatus()) {
                case OK -> {
                    HandshakeStatus after = r.getHandshakeStatus();
                    if (r.bytesConsumed() == 0 && r.bytesProduced() == 0 && (after == HandshakeStatus.NOT_HANDSHAKING
                            || after == HandshakeStatus.NEED_UNWRAP)) {
                        deliver();
                        return; // no progress: wait for more bytes
                    }
                }
                case BUFFER_UNDERFLOW -> {
                    deliver();
                    return;
                }
                case BUFFER_OVERFLOW -> {
                    if (appIn.position() > 0 && state != State.DO_HANDSHAKE) {
                        deliver();
                    } else {
                        appIn = grow(appIn, 2 * appIn.capacity());
                    }
                }
                case CLOSED -> {
                    deliver();
                    closeNotifyReceived();
                    return;
                }
            }
        }
    }

    /** Wraps the engine's own records (handshake, alerts, close_notify); false if nothing came out. */
    private boolean wrapControl() throws SSLException {
        if (netOut.remaining() < engine.getSession().getPacketBufferSize()) {
            send();
        }
        SSLEngineResult r = engine.wrap(EMPTY, netOut);
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            send();
            netOut = grow(netOut, Math.max(netOut.capacity(), engine.getSession().getPacketBufferSize()));
            return true;
        }
        return r.bytesProduced() > 0 || r.getHandshakeStatus() != HandshakeStatus.NEED_WRAP;
    }

    /** Runs the engine's delegated tasks inline (see the class comment for why). */
    private void runDelegatedTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /**
     * Hands the decrypted bytes in {@code appIn} to the application: all of them to a
     * {@link Protocol}, chunk by chunk to a {@link BufferedProtocol} until it pauses. After
     * the application closed, they are dropped.
     */
    private void deliver() {
        if (appIn.position() == 0) {
            return;
        }
        if (state != State.WRAPPED || appState != AppState.MADE) {
            if (state != State.DO_HANDSHAKE) {
                appIn.clear(); // closing: the application reads no more
            }
            return;
        }
        if (appReadingPaused) {
            return;
        }
        appIn.flip();
        try {
            if (streamApp != null) {
                streamApp.dataReceived(appIn);
                appIn.position(appIn.limit());
            } else {
                while (appIn.hasRemaining() && !appReadingPaused && state == State.WRAPPED
                        && appState == AppState.MADE) {
                    ByteBuffer dst = bufferedApp.getBuffer(appIn.remaining());
                    if (dst == null || !dst.hasRemaining()) {
                        throw new IllegalStateException("BufferedProtocol.getBuffer() returned "
                                + (dst == null ? "null" : "a full buffer") + "; it must return room for at least one byte");
                    }
                    int n = Math.min(dst.remaining(), appIn.remaining());
                    dst.put(dst.position(), appIn, appIn.position(), n);
                    dst.position(dst.position() + n);
                    appIn.position(appIn.position() + n);
                    bufferedApp.bufferUpdated(n);
                }
            }
        } catch (Throwable t) {
            appIn.clear().flip();
            fatalError(t, streamApp != null ? "Fatal error: protocol.dataReceived() call failed."
                    : "Fatal error: protocol.bufferUpdated() call failed.");
        } finally {
            appIn.compact();
        }
    }

    /** The engine's inbound is done: the peer's {@code close_notify} arrived. */
    private void closeNotifyReceived() throws SSLException {
        switch (state) {
            case DO_HANDSHAKE -> throw new SSLHandshakeException("Remote host terminated the handshake");
            case WRAPPED -> {
                callAppEof();
                startShutdown();
            }
            case FLUSHING -> {
                backlog.clear(); // the peer reads no more
                backlogBytes = 0;
                doShutdown();
            }
            case SHUTDOWN -> finishShutdown(null);
            default -> {
            }
        }
    }

    private void callAppEof() {
        if (appState != AppState.MADE) {
            return;
        }
        appState = AppState.EOF;
        boolean keepOpen;
        try {
            keepOpen = streamApp != null ? streamApp.eofReceived() : bufferedApp.eofReceived();
        } catch (Throwable t) {
            fatalError(t, "Error calling eofReceived()");
            return;
        }
        if (keepOpen) {
            LOG.log(Level.WARNING, "returning true from eofReceived() has no effect when using TLS");
        }
    }

    void pauseReading() {
        appReadingPaused = true;
        updateTransportReading();
    }

    void resumeReading() {
        if (!appReadingPaused) {
            return;
        }
        appReadingPaused = false;
        updateTransportReading();
        if (netIn != null && (netIn.position() > 0 || appIn.position() > 0 || eofReceived)) {
            schedulePump();
        }
    }

    boolean isReading() {
        return !appReadingPaused && !appTransport.closed;
    }

    /** The plain transport reads exactly when the application wants data or TLS itself needs some. */
    private void updateTransportReading() {
        boolean pause = appReadingPaused && state == State.WRAPPED;
        if (pause == transportReadingPaused || transport == null) {
            return;
        }
        transportReadingPaused = pause;
        if (pause) {
            transport.pauseReading();
        } else {
            transport.resumeReading();
        }
    }

    // ================================================================ writing

    /** Encrypts {@code data} and hands it to the plain transport (asyncio's {@code _write_appdata}). */
    void write(ByteBuffer data) {
        if (!data.hasRemaining()) {
            return;
        }
        one[0] = data;
        try {
            writeAll(one);
        } finally {
            one[0] = null;
        }
    }

    void writeAll(ByteBuffer[] data) {
        if (state != State.WRAPPED || appTransport.closed) {
            for (ByteBuffer b : data) {
                b.position(b.limit());
            }
            if (++writesAfterClose >= WARN_AFTER_CLOSED_WRITES) {
                LOG.log(Level.WARNING, "write() on a closed TLS transport " + appTransport + ": the data is dropped");
            }
            return;
        }
        if (backlog.isEmpty()) {
            try {
                if (wrapAppData(data)) {
                    return;
                }
            } catch (SSLException e) {
                fatalError(e, "Fatal error on SSL protocol");
                return;
            }
        }
        for (ByteBuffer b : data) {
            if (b.hasRemaining()) {
                ByteBuffer copy = ByteBuffer.allocate(b.remaining());
                copy.put(b).flip();
                backlog.add(copy);
                backlogBytes += copy.remaining();
            }
        }
        controlAppWriting();
    }

    /**
     * Wraps {@code src} into records and hands them to the plain transport.
     *
     * @return whether all of it went; false when the engine waits for the peer first
     */
    private boolean wrapAppData(ByteBuffer[] src) throws SSLException {
        int packet = engine.getSession().getPacketBufferSize();
        while (hasRemaining(src)) {
            if (netOut.remaining() < packet) {
                send();
                if (netOut.capacity() < packet) {
                    netOut = ByteBuffer.allocate(packet);
                }
            }
            SSLEngineResult r = engine.wrap(src, netOut);
            switch (r.getStatus()) {
                case BUFFER_OVERFLOW -> {
                    send();
                    netOut = grow(netOut, Math.max(netOut.capacity(), packet));
                    continue;
                }
                case CLOSED -> throw new SSLException("the TLS engine is closed for writing");
                default -> {
                }
            }
            HandshakeStatus hs = r.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                runDelegatedTasks();
            } else if (r.bytesConsumed() == 0 && (hs == HandshakeStatus.NEED_UNWRAP
                    || hs == HandshakeStatus.NEED_UNWRAP_AGAIN)) {
                send();
                return false;
            }
        }
        send();
        return true;
    }

    private void flushBacklog() throws SSLException {
        while (!backlog.isEmpty()) {
            ByteBuffer b = backlog.peekFirst();
            int before = b.remaining();
            one[0] = b;
            boolean all;
            try {
                all = wrapAppData(one);
            } finally {
                one[0] = null;
            }
            backlogBytes -= before - b.remaining();
            if (!all) {
                break;
            }
            backlog.pollFirst();
        }
        controlAppWriting();
        if (backlog.isEmpty() && state == State.FLUSHING) {
            doShutdown();
        }
    }

    private static boolean hasRemaining(ByteBuffer[] bufs) {
        for (ByteBuffer b : bufs) {
            if (b.hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    /** Hands what {@code netOut} holds to the plain transport; {@code netOut} is empty after. */
    private void send() {
        if (netOut.position() == 0) {
            return;
        }
        netOut.flip();
        try {
            transport.write(netOut);
        } finally {
            netOut.clear();
        }
    }

    /** Pauses or resumes the application from the plain transport's state and the backlog. */
    private void controlAppWriting() {
        if (appState != AppState.MADE && appState != AppState.EOF) {
            return;
        }
        int[] limits = transport.getWriteBufferLimits();
        boolean pause = transportWritingPaused || backlogBytes > limits[1];
        boolean resume = !transportWritingPaused && backlogBytes <= limits[0];
        if (pause && !appWritingPaused) {
            appWritingPaused = true;
            try {
                appProtocol.pauseWriting();
            } catch (Throwable t) {
                report("protocol.pauseWriting() failed", t);
            }
        } else if (resume && appWritingPaused) {
            appWritingPaused = false;
            try {
                appProtocol.resumeWriting();
            } catch (Throwable t) {
                report("protocol.resumeWriting() failed", t);
            }
        }
    }

    int getWriteBufferSize() {
        long n = backlogBytes + (transport == null ? 0 : transport.getWriteBufferSize());
        return (int) Math.min(Integer.MAX_VALUE, n);
    }

    Transport plainTransport() {
        return transport;
    }

    // ================================================================ closing

    /** The application closed its transport (asyncio's {@code _start_shutdown}). */
    void startShutdown() {
        if (state == State.FLUSHING || state == State.SHUTDOWN || state == State.UNWRAPPED) {
            return;
        }
        appTransport.closed = true;
        if (state == State.DO_HANDSHAKE) {
            abort(null);
            return;
        }
        state = State.FLUSHING;
        shutdownTimer = loop.callLater(shutdownTimeout, this::checkShutdownTimeout, context);
        updateTransportReading(); // the peer's close_notify must be read even if the app paused
        appIn.clear();
        if (backlog.isEmpty()) {
            try {
                doShutdown();
            } catch (SSLException e) {
                finishShutdown(e);
            }
        }
    }

    /** Sends our {@code close_notify}; done at once if the peer's came already. */
    private void doShutdown() throws SSLException {
        state = State.SHUTDOWN;
        engine.closeOutbound();
        while (!engine.isOutboundDone()) {
            if (!wrapControl()) {
                break;
            }
        }
        send();
        if (engine.isInboundDone() || eofReceived) {
            finishShutdown(null);
        } else if (!pumping && netIn.position() > 0) {
            schedulePump(); // the peer's close_notify may be waiting in netIn already
        }
    }

    private void finishShutdown(Throwable exc) {
        if (shutdownDone) {
            return;
        }
        shutdownDone = true;
        cancelTimers();
        if (exc != null) {
            fatalError(exc, "Error occurred during TLS shutdown");
        } else {
            send();
            transport.close();
        }
    }

    private void checkShutdownTimeout() {
        if ((state == State.FLUSHING || state == State.SHUTDOWN) && !shutdownDone) {
            shutdownDone = true;
            if (fatal == null) {
                fatal = new TimeoutError("SSL shutdown timed out");
            }
            transport.abort();
        }
    }

    /** The application aborted (asyncio's {@code _abort}). */
    void abort(Throwable exc) {
        appTransport.closed = true;
        if (fatal == null) {
            fatal = exc;
        }
        state = State.UNWRAPPED;
        cancelTimers();
        if (transport != null) {
            transport.abort();
        }
    }

    /**
     * Reports {@code t} unless it is an I/O error (those end connections as a normal part of
     * networking), fails the handshake waiter, and aborts the plain transport (asyncio's
     * {@code _fatal_error}).
     */
    private void fatalError(Throwable t, String message) {
        if (!(t instanceof IOException)) {
            report(message, t);
        } else if (loop.getDebug()) {
            LOG.log(Level.DEBUG, this + ": " + message, t);
        }
        if (fatal == null) {
            fatal = t;
        }
        if (!handshakeDone.done()) {
            handshakeDone.setException(t);
        }
        abort(t);
    }

    private void report(String message, Throwable t) {
        Map<String, Object> extra = new HashMap<>();
        extra.put("transport", appTransport);
        extra.put("protocol", this);
        loop.callExceptionHandler(new ExceptionContext(message, t, null, null, null, extra));
    }

    private void cancelHandshakeTimer() {
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
            handshakeTimer = null;
        }
    }

    private void cancelTimers() {
        cancelHandshakeTimer();
        if (shutdownTimer != null) {
            shutdownTimer.cancel();
            shutdownTimer = null;
        }
    }

    private static ByteBuffer grow(ByteBuffer buf, int capacity) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(capacity, buf.capacity() + 1));
        buf.flip();
        bigger.put(buf);
        return bigger;
    }

    // ================================================================ accessors

    /**
     * The TLS keys of {@code getExtraInfo}, then the plain transport's: {@code "ssl_object"}
     * (the {@link SSLEngine}), {@code "sslcontext"}, {@code "peercert"} (the peer's
     * {@link java.security.cert.X509Certificate}, or {@code null} when it sent none),
     * {@code "peercert_chain"}, {@code "cipher"} (the cipher suite's name),
     * {@code "ssl_protocol"} (e.g. {@code "TLSv1.3"}), {@code "compression"} ({@code null}).
     */
    Object getExtraInfo(String name, Object defaultValue) {
        boolean handshaken = engine != null && state != State.DO_HANDSHAKE;
        switch (name) {
            case "ssl_object" -> {
                return engine != null ? engine : defaultValue;
            }
            case "sslcontext" -> {
                return sslContext;
            }
            case "peercert", "peercert_chain" -> {
                if (!handshaken) {
                    return defaultValue;
                }
                try {
                    var chain = engine.getSession().getPeerCertificates();
                    return name.equals("peercert") ? chain[0] : java.util.List.of(chain);
                } catch (SSLPeerUnverifiedException none) {
                    return null;
                }
            }
            case "cipher" -> {
                return handshaken ? engine.getSession().getCipherSuite() : defaultValue;
            }
            case "ssl_protocol" -> {
                return handshaken ? engine.getSession().getProtocol() : defaultValue;
            }
            case "compression" -> {
                return null;
            }
            default -> {
                return transport != null ? transport.getExtraInfo(name, defaultValue) : defaultValue;
            }
        }
    }

    BaseProtocol appProtocol() {
        return appProtocol;
    }

    void setAppProtocol(BaseProtocol protocol) {
        if (protocol instanceof Protocol p) {
            streamApp = p;
            bufferedApp = null;
        } else if (protocol instanceof BufferedProtocol b) {
            bufferedApp = b;
            streamApp = null;
        } else {
            throw new IllegalArgumentException("a TLS transport needs a Protocol or a BufferedProtocol, got "
                    + (protocol == null ? "null" : protocol.getClass().getName()));
        }
        appProtocol = protocol;
    }

    EventLoop loop() {
        return loop;
    }

    State state() {
        return state;
    }

    @Override
    public String toString() {
        return "<SSLProtocol " + state + (serverSide ? " server" : " client")
                + (serverHostname.isEmpty() ? "" : " " + serverHostname) + ">";
    }
}
