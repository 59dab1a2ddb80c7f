package org.asyncio4j.debug;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.JMException;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.LoopInstrumentation;

/**
 * Registers an {@link EventLoopMXBean} for each loop at its first run and unregisters it
 * when the loop closes, through the kernel's instrumentation seam. Off with
 * {@code -Dasyncio4j.jmx=false}.
 *
 * <p>Why JMX: it is in every JDK, a running JVM can be reached with the attach API without
 * having been started with any flag, and it needs no port or file in the observed process
 * (the JDK starts its local agent when someone attaches).
 *
 * <p>Implementation overview: the platform MBean server is slow to build (it loads
 * {@code java.management}, and the JDK's JFR MXBean parses its settings files: about a
 * quarter of a second of a CPU), so registrations run in order on one daemon thread, never
 * on the loop's, and the first one waits until the platform server is up (someone else
 * built it, e.g. the JMX agent a tool started) or a {@linkplain #STARTUP_GRACE_NANOS
 * second} has passed since the first loop started. Building the server in a program's
 * first second competed with the JIT compiling the loop's hot paths: on two CPUs, a
 * million tasks parked in the first half second kept about 10% more bytes each, as more of
 * them parked in code of the JIT's first tier (bench/README.md). A loop closed before its
 * turn is never registered. A view holds its loop weakly, so a loop dropped without
 * close() can still be collected (its view then answers as a closed loop). A dump being
 * read holds the loop and its snapshot's tasks until it is read to its end or closed; one
 * whose reader went away is dropped when another dump opens a minute after its last read.
 */
public final class LoopMBeans implements LoopInstrumentation {
    private static final Logger LOG = System.getLogger("org.asyncio4j");
    private static final boolean ENABLED = !"false".equals(System.getProperty("asyncio4j.jmx"));
    private static final AtomicInteger IDS = new AtomicInteger();
    /** Runs the registrations in order, off the loops' threads. */
    private static final ExecutorService REGISTRAR = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("asyncio4j-jmx").factory());
    private static final Map<EventLoop, View> VIEWS = Collections.synchronizedMap(new WeakHashMap<>());
    /** How long the first registration may wait for the platform MBean server to be built by someone else. */
    private static final long STARTUP_GRACE_NANOS = 1_000_000_000L;
    /** How often it looks meanwhile. */
    static final long STARTUP_POLL_MILLIS = 50;
    /** Whether the first registration's wait is over; read and written on the registrar thread only. */
    private static boolean startupPassed;
    /** A dump not read for this long is dropped: its reader went away. */
    private static final long DUMP_IDLE_NANOS = 60_000_000_000L;

    /** For {@link java.util.ServiceLoader}: the instance the kernel's seam calls. */
    public LoopMBeans() {
    }

    @Override
    public void loopStarted(EventLoop loop) {
        if (!ENABLED) {
            return;
        }
        View view = new View(loop, nameOf(IDS.incrementAndGet()));
        VIEWS.put(loop, view);
        long started = System.nanoTime();
        REGISTRAR.execute(() -> {
            awaitStartup(started);
            if (view.closed) {
                return;
            }
            try {
                ManagementFactory.getPlatformMBeanServer().registerMBean(view, view.name);
                view.registered = true;
            } catch (JMException | RuntimeException e) {
                LOG.log(Level.WARNING, "could not register the JMX view " + view.name + " of an event loop", e);
            }
        });
    }

    @Override
    public void loopClosed(EventLoop loop) {
        View view = VIEWS.remove(loop);
        if (view == null) {
            return;
        }
        view.closed = true;
        REGISTRAR.execute(() -> {
            if (!view.registered) {
                return;   // closed before its registration's turn
            }
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(view.name);
            } catch (JMException | RuntimeException e) {
                LOG.log(Level.DEBUG, "the JMX view " + view.name + " was already gone", e);
            }
        });
    }

    /**
     * On the registrar thread, before the first registration: waits until an MBean server
     * exists (then the platform one is most likely up, and registering is cheap) or until
     * {@link #STARTUP_GRACE_NANOS} after {@code started}.
     */
    private static void awaitStartup(long started) {
        while (!startupPassed) {
            startupPassed = !MBeanServerFactory.findMBeanServer(null).isEmpty()
                    || System.nanoTime() - started >= STARTUP_GRACE_NANOS;
            if (!startupPassed) {
                try {
                    Thread.sleep(STARTUP_POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    startupPassed = true;
                }
            }
        }
    }

    /**
     * Waits until the registrar has run what was queued before this call (for tests).
     *
     * @throws Exception if the wait was interrupted or the registrar failed
     */
    static void awaitRegistrar() throws Exception {
        REGISTRAR.submit(() -> { }).get();
    }

    /**
     * @param id the loop's number in this JVM
     * @return {@code org.asyncio4j:type=EventLoop,id=<id>}
     */
    static ObjectName nameOf(int id) {
        try {
            return new ObjectName("org.asyncio4j:type=EventLoop,id=" + id);
        } catch (JMException e) {
            throw new IllegalStateException("a constant ObjectName was refused", e);
        }
    }

    /** The MXBean of one loop. */
    private static final class View implements EventLoopMXBean {
        private final WeakReference<EventLoop> loop;
        final ObjectName name;
        /** Set when the loop closes; a view closed before its turn is never registered. */
        volatile boolean closed;
        /** Whether the platform server holds this view; registrar thread only. */
        boolean registered;
        /** The dumps being read; one left unread this long is dropped when the next one opens. */
        private final Map<Long, OpenDump> dumps = new ConcurrentHashMap<>();
        private final AtomicLong nextDump = new AtomicLong();

        View(EventLoop loop, ObjectName name) {
            this.loop = new WeakReference<>(loop);
            this.name = name;
        }

        private EventLoop loop() {
            EventLoop l = loop.get();
            if (l == null || l.isClosed()) {
                throw new IllegalStateException("this event loop is closed");
            }
            return l;
        }

        @Override
        public long getIterations() {
            return loop().iterations();
        }

        @Override
        public int getReadyQueueLength() {
            EventLoop l = loop();
            return OnLoopThread.call(l, l::readyQueueLength, TaskDump.DEFAULT_TIMEOUT);
        }

        @Override
        public int getTasksAlive() {
            EventLoop l = loop();
            return OnLoopThread.call(l, () -> l.allTasks().size(), TaskDump.DEFAULT_TIMEOUT);
        }

        @Override
        public double getSelectSeconds() {
            return loop().selectNanos() * 1e-9;
        }

        @Override
        public double getCallbackSeconds() {
            EventLoop l = loop();
            long select = l.selectNanos();
            return Math.max(0, l.runNanos() - select) * 1e-9;
        }

        @Override
        public String getThreadName() {
            Thread t = loop().runningThread();
            return t == null ? "" : t.getName();
        }

        @Override
        public long openDump(boolean tree) {
            long now = System.nanoTime();
            dumps.values().removeIf(d -> now - d.lastRead > DUMP_IDLE_NANOS);
            long id = nextDump.incrementAndGet();
            dumps.put(id, new OpenDump(new TaskDumpReader(loop(), tree, TaskDump.DEFAULT_TIMEOUT), now));
            return id;
        }

        @Override
        public String readDump(long dump) {
            OpenDump d = dumps.get(dump);
            if (d == null) {
                throw new IllegalArgumentException("no dump " + dump + " is open: it was read to its end, closed, "
                        + "or left unread for " + DUMP_IDLE_NANOS / 1_000_000_000L + " seconds");
            }
            String piece;
            try {
                piece = d.reader.next();
            } catch (RuntimeException e) {
                dumps.remove(dump);
                throw e;
            }
            d.lastRead = System.nanoTime();
            if (piece == null) {
                dumps.remove(dump);
            }
            return piece;
        }

        @Override
        public void closeDump(long dump) {
            dumps.remove(dump);
        }
    }

    /** A dump being read, and when it was last read (a reader that went away leaves it behind). */
    private static final class OpenDump {
        final TaskDumpReader reader;
        volatile long lastRead;

        OpenDump(TaskDumpReader reader, long lastRead) {
            this.reader = reader;
            this.lastRead = lastRead;
        }
    }
}
