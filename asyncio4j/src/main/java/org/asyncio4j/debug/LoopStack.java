package org.asyncio4j.debug;

import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;

/**
 * The frames of whatever holds a loop's thread right now, read from another thread (for
 * the blocked-loop watchdog and a task dump that times out): the running task's frames
 * where its coroutine runs on a thread of its own (the virtual-thread engine), else the
 * loop thread's. The running task is read without synchronization: at worst the frames
 * are those of a moment later, which is all a diagnostic needs.
 */
final class LoopStack {
    private LoopStack() {
    }

    /**
     * @param loop the loop
     * @param loopThread the thread running it
     * @return the frames, one {@code "\n    at ..."} line each
     */
    static String of(EventLoop loop, Thread loopThread) {
        Task<?> task = loop.currentTask();
        Thread t = task == null ? null : task.coroutineThread();
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement f : (t != null ? t : loopThread).getStackTrace()) {
            sb.append(System.lineSeparator()).append("    at ").append(f);
        }
        return sb.toString();
    }
}
