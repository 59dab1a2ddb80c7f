package org.asyncio4j.debug;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.LoopInstrumentation;
import org.asyncio4j.loop.TaskObserver;

/**
 * The JFR events of task starts and finishes, {@code org.asyncio4j.TaskStart}
 * ({@link TaskStartEvent}) and {@code org.asyncio4j.TaskFinish} ({@link TaskFinishEvent}),
 * both disabled by default. To see tasks in JDK Mission Control, enable them in a settings
 * file (a copy of the JDK's {@code default.jfc} with {@code <event name="org.asyncio4j.TaskStart">}
 * and {@code org.asyncio4j.TaskFinish} set to {@code enabled=true}) and start a recording
 * with it, e.g. {@code jcmd PID JFR.start settings=tasks.jfc}.
 *
 * <p>Implementation overview: the kernel tells a {@link TaskObserver} of every task start
 * and finish, and pays one read of a static field per task when there is none. This class
 * installs its observer ({@link EventLoop#setTaskObserver}) only while at least one JFR
 * recording runs, and removes it when the last one stops: it listens to recordings with a
 * {@link FlightRecorderListener}, registered once when the kernel loads its
 * instrumentation (at the first loop), and reads the recordings already running then. The
 * observer commits an event only if a recording enables it ({@code shouldCommit}), so a
 * recording that leaves them disabled costs a call and a check per task. Listener calls
 * come on the thread that starts or stops a recording, after its settings are applied.
 */
public final class TaskEvents implements LoopInstrumentation {
    private static final Logger LOG = System.getLogger("org.asyncio4j");
    /** The observer this class installs while a recording runs. */
    private static final TaskObserver OBSERVER = new Observer();

    static {
        try {
            FlightRecorder.addListener(new FlightRecorderListener() {
                @Override
                public void recordingStateChanged(Recording recording) {
                    update();
                }
            });
            update();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, "the JFR task events are not available: " + e, e);
        }
    }

    /** For {@link java.util.ServiceLoader}: loading this class is what starts listening to recordings. */
    public TaskEvents() {
    }

    /** Nothing to do per loop: the observer serves every loop of the JVM. */
    @Override
    public void loopStarted(EventLoop loop) {
    }

    /** Nothing to do per loop. */
    @Override
    public void loopClosed(EventLoop loop) {
    }

    /** Installs the observer when a recording runs, removes it when none does. */
    private static synchronized void update() {
        boolean running = FlightRecorder.isInitialized() && FlightRecorder.getFlightRecorder().getRecordings().stream()
                .anyMatch(r -> r.getState() == RecordingState.RUNNING);
        TaskObserver current = EventLoop.taskObserver();
        if (running && current == null) {
            EventLoop.setTaskObserver(OBSERVER);
        } else if (!running && current == OBSERVER) {
            EventLoop.setTaskObserver(null);
        }
    }

    /** Commits the events a running recording enables. */
    private static final class Observer implements TaskObserver {
        @Override
        public void taskStarted(Task<?> task) {
            TaskStartEvent event = new TaskStartEvent();
            if (event.shouldCommit()) {
                event.task = task.getName();
                event.taskId = WaitGraph.idOf(task);
                Task<?> parent = task.getLoop().currentTask();
                event.parent = parent == null ? "" : parent.getName();
                event.commit();
            }
        }

        @Override
        public void taskFinished(Task<?> task, Throwable exception) {
            TaskFinishEvent event = new TaskFinishEvent();
            if (event.shouldCommit()) {
                event.task = task.getName();
                event.taskId = WaitGraph.idOf(task);
                boolean cancelled = task.cancelled() || exception instanceof CancelledError;
                event.outcome = cancelled ? "cancelled" : exception != null ? "exception" : "result";
                event.exception = exception == null || cancelled ? "" : exception.toString();
                event.commit();
            }
        }
    }
}
