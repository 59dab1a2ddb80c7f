/**
 * Queues between tasks of one event loop: asyncio's {@code Queue}, {@code PriorityQueue}
 * and {@code LifoQueue}, with {@code QueueEmpty}, {@code QueueFull} and the Python 3.13
 * {@code shutdown(immediate)} / {@code QueueShutDown}.
 *
 * <p>{@code put}/{@code get}/{@code join} suspend the calling task (inside a task only);
 * {@code putNowait}/{@code getNowait} never suspend and may be called from any code on
 * the loop's thread, for example a callback posted with {@code callSoonThreadsafe} from
 * another thread. Waiting getters and putters park in FIFO lines
 * ({@link org.asyncio4j.future.ParkingLot}); a cancelled {@code get} never consumes an
 * item and a cancelled {@code put} never adds one, and a waiter cancelled after being
 * woken passes the wake-up to the next in line. Fast paths allocate nothing.
 *
 * <p>{@link org.asyncio4j.queue.Queue#consuming()} is a for-each form that takes items
 * until the queue is shut down (no asyncio counterpart):
 *
 * <pre>{@code
 * for (Job job : jobs.consuming()) {   // each step suspends in get()
 *     run(job);
 *     jobs.taskDone();
 * }
 * }</pre>
 */
package org.asyncio4j.queue;
