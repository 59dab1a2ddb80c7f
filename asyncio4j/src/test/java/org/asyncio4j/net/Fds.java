package org.asyncio4j.net;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Counts this process's open file descriptors (Linux), so tests can check nothing leaked. */
final class Fds {
    /** Whether {@link #warmUpVirtualThreadPollers()} ran (not in a static initializer: its thread would wait for it). */
    private static boolean warm;

    private Fds() {
    }

    /**
     * The JDK opens its virtual-thread I/O pollers (epoll descriptors kept for the life of
     * the process) the first time a virtual thread blocks on a socket. Make that happen
     * here, before any snapshot, so that it is not taken for a leak.
     */
    private static void warmUpVirtualThreadPollers() {
        // the pollers may be one per carrier thread: block many virtual threads at once so that every carrier has one
        int n = 4 * Runtime.getRuntime().availableProcessors();
        try (java.nio.channels.ServerSocketChannel ss = java.nio.channels.ServerSocketChannel.open()) {
            ss.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), n);
            java.util.List<java.nio.channels.SocketChannel> clients = new java.util.ArrayList<>();
            java.util.List<Thread> readers = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                clients.add(java.nio.channels.SocketChannel.open(ss.getLocalAddress()));
                java.nio.channels.SocketChannel accepted = ss.accept();
                readers.add(Thread.ofVirtual().start(() -> {
                    try (accepted) {
                        accepted.read(java.nio.ByteBuffer.allocate(1));
                    } catch (IOException ignored) {
                        // only the blocking mattered
                    }
                }));
            }
            Thread.sleep(50); // let them all block (a warm-up only; no test outcome depends on it)
            for (var c : clients) {
                c.write(java.nio.ByteBuffer.wrap(new byte[] {1}));
            }
            for (Thread t : readers) {
                t.join();
            }
            for (var c : clients) {
                c.close();
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot warm up the virtual-thread pollers", e);
        }
    }

    /** @return the number of open descriptors, or -1 where /proc/self/fd does not exist */
    static int count() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    /** @return each open descriptor with what it refers to (empty where /proc/self/fd does not exist) */
    static synchronized Map<Integer, String> snapshot() {
        if (!warm) {
            warm = true;
            warmUpVirtualThreadPollers();
        }
        Map<Integer, String> m = new TreeMap<>();
        String[] fds = new File("/proc/self/fd").list();
        if (fds == null) {
            return m;
        }
        for (String fd : fds) {
            try {
                m.put(Integer.valueOf(fd), Files.readSymbolicLink(Path.of("/proc/self/fd", fd)).toString());
            } catch (IOException | NumberFormatException gone) {
                // the descriptor that listed the folder, closed meanwhile
            }
        }
        return m;
    }

    /** What the kernel says of the sockets among {@code links} (their addresses and TCP state), for failure messages. */
    private static java.util.List<String> sockets(java.util.Collection<String> links) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6", "/proc/net/unix"}) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    for (String link : links) {
                        if (link.startsWith("socket:[")) {
                            String inode = link.substring(8, link.length() - 1);
                            if (java.util.Arrays.asList(line.trim().split("\\s+")).contains(inode)) {
                                out.add(table + ": " + line.trim());
                            }
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // best effort
            }
        }
        return out;
    }

    /** Fails, naming the descriptors opened since {@code before}, if more are open now than then. */
    static void assertNoLeak(Map<Integer, String> before) {
        Map<Integer, String> now = snapshot();
        if (now.size() > before.size()) {
            Map<Integer, String> added = new TreeMap<>(now);
            added.keySet().removeAll(before.keySet());
            throw new AssertionError("descriptors leaked: " + before.size() + " open before, " + now.size()
                    + " after; new: " + added + " " + sockets(added.values()));
        }
    }
}
