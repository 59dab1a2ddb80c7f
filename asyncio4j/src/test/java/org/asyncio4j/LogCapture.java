package org.asyncio4j;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what the library logs through {@code System.getLogger("org.asyncio4j")} (which
 * the JDK backs with java.util.logging), and keeps it off the console while open.
 *
 * <pre>{@code
 * try (LogCapture log = new LogCapture()) {
 *     ...
 *     assertTrue(log.contains(Level.WARNING, "took"));
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {
    /** Held strongly: java.util.logging keeps loggers only weakly. */
    private final Logger logger = Logger.getLogger("org.asyncio4j");
    private final boolean parentHandlers;
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (records) {
                records.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /** Starts capturing. */
    public LogCapture() {
        parentHandlers = logger.getUseParentHandlers();
        logger.setUseParentHandlers(false);
        logger.addHandler(handler);
    }

    /** @return a snapshot of the records so far */
    public List<LogRecord> records() {
        synchronized (records) {
            return new ArrayList<>(records);
        }
    }

    /**
     * @param level the level (java.util.logging's; System.Logger's ERROR is SEVERE)
     * @param fragment text the message must contain
     * @return the first matching record, or {@code null}
     */
    public LogRecord find(Level level, String fragment) {
        for (LogRecord r : records()) {
            if (r.getLevel().equals(level) && r.getMessage() != null && r.getMessage().contains(fragment)) {
                return r;
            }
        }
        return null;
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setUseParentHandlers(parentHandlers);
    }
}
