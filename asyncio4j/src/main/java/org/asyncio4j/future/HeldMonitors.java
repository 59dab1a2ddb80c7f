package org.asyncio4j.future;

import java.lang.System.Logger.Level;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds the monitors the running task holds: those locked ({@code synchronized}) in the
 * frames above its innermost {@code Task.body} frame. JDK 25 lets a coroutine suspend with a
 * monitor held and offers no cheap query, so this is debug mode's check and the error
 * path's detail, never the hot path.
 *
 * <p>Two ways to see, the first that works: the JDK's live stack walker, which reads the
 * monitors of each frame on any thread, virtual or not (about 15 µs for 20 frames; it needs
 * {@code --add-opens java.base/java.lang=org.asyncio4j}, or {@code =ALL-UNNAMED} on the
 * class path); else a thread dump of the calling platform thread (50–90 µs). A virtual
 * thread without the walker cannot be seen: debug mode then says so once through the
 * logger, and the answer is "none".
 */
final class HeldMonitors {
    /** The live walker's {@code getMonitors} per frame, or null when java.lang is not open to us. */
    private static final Method GET_MONITORS;
    /** The live stack walker, or null with {@link #GET_MONITORS}. */
    private static final StackWalker LIVE_WALKER;

    static {
        Method getMonitors = null;
        StackWalker walker = null;
        try {
            Class<?> live = Class.forName("java.lang.LiveStackFrame");
            Method factory = live.getMethod("getStackWalker", Set.class);
            factory.setAccessible(true);
            getMonitors = live.getMethod("getMonitors");
            getMonitors.setAccessible(true);
            walker = (StackWalker) factory.invoke(null, EnumSet.noneOf(StackWalker.Option.class));
        } catch (ReflectiveOperationException | RuntimeException notOpen) {
            getMonitors = null;
            walker = null;
        }
        GET_MONITORS = getMonitors;
        LIVE_WALKER = walker;
    }

    /** The "cannot see" warning has been logged. */
    private static final AtomicBoolean WARNED_UNSEEN = new AtomicBoolean();

    private HeldMonitors() {
    }

    /**
     * @return true when the monitors of a virtual thread can be seen too (java.lang is open
     *     to the library)
     */
    static boolean seesVirtualThreads() {
        return LIVE_WALKER != null;
    }

    /**
     * The classes of the monitors the running task holds, as "an instance of C, ..."; "" if
     * none, or if they cannot be seen (a virtual thread without the live walker).
     */
    static String describe() {
        Stream<String> classes;
        if (LIVE_WALKER != null) {
            classes = LIVE_WALKER.walk(frames -> frames.takeWhile(f -> !isTaskBody(f.getClassName(), f.getMethodName()))
                    .flatMap(HeldMonitors::monitorsOf).map(m -> m.getClass().getName()).toList().stream());
        } else if (!Thread.currentThread().isVirtual()) {
            classes = fromThreadDump();
        } else {
            if (WARNED_UNSEEN.compareAndSet(false, true)) {
                System.getLogger("org.asyncio4j").log(Level.WARNING, "debug mode cannot see the monitors a task holds on "
                        + "the virtual-thread engine unless java.lang is open to the library: run with --add-opens "
                        + "java.base/java.lang=org.asyncio4j (ALL-UNNAMED on the class path); awaits inside "
                        + "synchronized go unchecked");
            }
            return "";
        }
        return classes.distinct().map(c -> "an instance of " + c).collect(Collectors.joining(", "));
    }

    private static boolean isTaskBody(String className, String methodName) {
        return className.equals(Task.class.getName()) && methodName.equals("body");
    }

    /** The monitors one live frame holds; an eliminated lock (null) is none. */
    private static Stream<Object> monitorsOf(StackWalker.StackFrame frame) {
        try {
            return Arrays.stream((Object[]) GET_MONITORS.invoke(frame)).filter(m -> m != null);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read a frame's monitors", e);
        }
    }

    /** The calling platform thread's monitors above its innermost Task.body frame, from a thread dump. */
    private static Stream<String> fromThreadDump() {
        Thread self = Thread.currentThread();
        ThreadInfo[] info = ManagementFactory.getThreadMXBean().getThreadInfo(new long[] {self.threadId()}, true, false);
        if (info.length == 0 || info[0] == null) {
            return Stream.empty();
        }
        StackTraceElement[] stack = info[0].getStackTrace();
        int body = 0;
        while (body < stack.length && !isTaskBody(stack[body].getClassName(), stack[body].getMethodName())) {
            body++;
        }
        int taskFrames = body;
        return Arrays.stream(info[0].getLockedMonitors()).filter(m -> m.getLockedStackDepth() < taskFrames)
                .map(LockInfo::getClassName);
    }
}
