package org.asyncio4j.net;

import java.io.File;

/** Counts this process's open file descriptors (Linux), so tests can check nothing leaked. */
final class Fds {
    private Fds() {
    }

    /** @return the number of open descriptors, or -1 where /proc/self/fd does not exist */
    static int count() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }
}
