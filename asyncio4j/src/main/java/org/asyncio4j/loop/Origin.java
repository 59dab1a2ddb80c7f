package org.asyncio4j.loop;

import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.asyncio4j.future.Task;

/**
 * Where a future, task or handle was created, recorded only in debug mode (asyncio's
 * {@code _source_traceback}): the creating frames, innermost first, without the kernel's
 * own, and the task that was running then (task dumps use it to guess who will complete a
 * future it created).
 *
 * <p>Implementation overview: a {@link WeakHashMap} from the object to its origin (the keys keep
 * {@code Object}'s identity {@code equals}), so
 * futures, tasks and handles carry no field for it and pay nothing outside debug mode but
 * the {@code getDebug()} test at creation. Synchronized: loops on several threads record
 * into it. The creator is held weakly, so an origin keeps no finished task alive.
 */
public final class Origin {
    /** How many frames a record keeps: enough to find the caller, bounded in cost. */
    private static final int MAX_FRAMES = 24;
    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final Map<Object, Origin> ORIGINS = Collections.synchronizedMap(new WeakHashMap<>());

    private final List<StackTraceElement> frames;
    private final WeakReference<Task<?>> creator;

    private Origin(List<StackTraceElement> frames, Task<?> creator) {
        this.frames = frames;
        this.creator = creator == null ? null : new WeakReference<>(creator);
    }

    /**
     * Low-level, for the kernel's constructors: records where {@code created} is being
     * made, if {@code loop} is in debug mode.
     *
     * @param created the new future, task or handle (its class does not override equals)
     * @param loop its loop
     */
    public static void record(Object created, EventLoop loop) {
        if (!loop.getDebug()) {
            return;
        }
        List<StackTraceElement> frames = WALKER.walk(s -> s.dropWhile(Origin::isKernelFrame).limit(MAX_FRAMES)
                .map(StackWalker.StackFrame::toStackTraceElement).toList());
        ORIGINS.put(created, new Origin(frames, loop.currentTask()));
    }

    private static boolean isKernelFrame(StackWalker.StackFrame f) {
        String c = f.getClassName();
        return c.startsWith("org.asyncio4j.loop.") || c.startsWith("org.asyncio4j.future.");
    }

    /**
     * @param created a future, task or handle
     * @return where it was created, or {@code null} if its loop was not in debug mode then
     */
    public static Origin of(Object created) {
        return ORIGINS.get(created);
    }

    /** @return the creating frames, innermost first, the kernel's left out */
    public List<StackTraceElement> frames() {
        return frames;
    }

    /** @return the task that ran when it was created, or {@code null} (none, or collected) */
    public Task<?> creator() {
        return creator == null ? null : creator.get();
    }

    /**
     * @return the exception-handler entry asyncio adds in debug mode:
     *     {@code source_traceback} with the creating frames, one {@code at} line each
     */
    public Map<String, Object> asExtra() {
        StringBuilder sb = new StringBuilder("object created at (innermost first):");
        for (StackTraceElement f : frames) {
            sb.append(System.lineSeparator()).append("    at ").append(f);
        }
        return Map.of("source_traceback", sb.toString());
    }

    /** @return {@code created at <innermost frame>}, as asyncio's debug reprs */
    @Override
    public String toString() {
        return frames.isEmpty() ? "created at <unknown>" : "created at " + frames.get(0);
    }
}
