package org.asyncio4j.queue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.ParkingLot;

/**
 * A first-in, first-out queue for tasks of one loop (asyncio's {@code asyncio.Queue}):
 * producers {@link #put} items and consumers {@link #get} them, waiting while the queue is
 * full or empty. Not thread-safe; from another thread, go through
 * {@code loop.callSoonThreadsafe(() -> queue.putNowait(x))}.
 *
 * <pre>{@code
 * Queue<String> jobs = new Queue<>(100);
 * Task<Void> worker = createTask(() -> {
 *     for (String job : jobs.consuming()) {   // get() until the queue is shut down
 *         handle(job);
 *         jobs.taskDone();
 *     }
 * });
 * for (String url : urls) {
 *     jobs.put(url);                          // waits while 100 items are queued
 * }
 * jobs.join();                                // until every job was taskDone()
 * jobs.shutdown();                            // the worker's loop ends
 * }</pre>
 *
 * <p>If {@code maxsize} is zero or negative the queue is unbounded; otherwise
 * {@link #put} waits while it holds {@code maxsize} items. Waiting producers and consumers
 * are each woken in the order they started waiting; as in asyncio, a task that finds an
 * item (or a free slot) at once takes it even while a woken waiter is on its way, and the
 * waiter that then finds nothing waits again at the end of the line.
 *
 * <h2>Shutdown (Python 3.13)</h2>
 * <pre>
 *            shutdown()
 *   ALIVE ─────────────────▶ SHUT DOWN: puts raise; gets take the items left, then raise
 *     │                          │ shutdown(true)
 *     │ shutdown(true)           ▼
 *     └─────────────────▶ SHUT DOWN, EMPTIED: puts and gets raise
 * </pre>
 * After {@link #shutdown()}, {@link #put}/{@link #putNowait} raise {@link QueueShutDown},
 * every waiting putter is woken to raise it, and {@link #get} goes on returning the
 * items left, then raises {@link QueueShutDown} once the queue is empty (waiting getters
 * are woken to raise it). {@link #shutdown(boolean) shutdown(true)} also drains the queue
 * at once, counting each dropped item as done for {@link #join()}. There is no way back.
 *
 * <h2>Extension</h2>
 * The storage is pluggable, as asyncio's {@code _init}/{@code _put}/{@code _get}: a
 * subclass overrides {@link #putItem}, {@link #takeItem} and {@link #items()} together
 * ({@link PriorityQueue} and {@link LifoQueue} do); everything else is final.
 *
 * <p>Implementation overview: the base storage is a ring buffer of power-of-two
 * capacity, allocated on the first put (so subclasses with storage of their own carry an
 * empty array only). {@code size} counts the items whatever the storage. Three
 * {@link ParkingLot}s hold the waiting getters, putters and joiners; the getters'
 * lot also holds the queue's loop binding, which every public method that changes the
 * queue checks first, so a call from another thread while the loop runs changes nothing. A put wakes the
 * first getter and a get wakes the first putter; the woken task re-checks the queue and
 * waits again if someone else took the item (or slot). A getter woken but cancelled
 * before it resumed wakes the next getter if items remain, and likewise for putters
 * (the lots' abandon actions), so an item never waits behind a dead getter. Fast paths
 * allocate nothing: a future is made only for a task that really waits.
 *
 * @param <T> the item type; {@code null} items are allowed (not in {@link PriorityQueue})
 */
public class Queue<T> {
    private static final Object[] NO_ITEMS = {};
    /** Shown items in {@link #toString()}; longer queues are elided. */
    private static final int REPR_ITEMS = 10;

    private final int maxsize;
    private final ParkingLot getters = new ParkingLot(this, this::passOnGetterWakeUp);
    private final ParkingLot putters = new ParkingLot(this, this::passOnPutterWakeUp);
    private final ParkingLot joiners = new ParkingLot(this, null);
    /** The base FIFO storage: {@code size} items from {@code head}, wrapping; length a power of two. */
    private Object[] ring = NO_ITEMS;
    private int head;
    /** Items in the queue, in whatever storage. */
    private int size;
    /** Items put and not yet marked done by taskDone() (asyncio's _unfinished_tasks). */
    private int unfinished;
    private boolean shutdown;

    /** An unbounded queue. */
    public Queue() {
        this(0);
    }

    /**
     * A queue that holds at most {@code maxsize} items.
     *
     * @param maxsize the capacity; zero or negative means unbounded, as in asyncio
     */
    public Queue(int maxsize) {
        this.maxsize = maxsize;
    }

    // ---------------------------------------------------------------- state

    /** @return the capacity given at construction; zero or negative means unbounded (asyncio's {@code maxsize}) */
    public final int maxsize() {
        return maxsize;
    }

    /** @return the number of items in the queue (asyncio's {@code qsize()}) */
    public final int qsize() {
        return size;
    }

    /** @return whether the queue holds no item (asyncio's {@code empty()}) */
    public final boolean empty() {
        return size == 0;
    }

    /** @return whether the queue holds {@code maxsize} items; never true when unbounded (asyncio's {@code full()}) */
    public final boolean full() {
        return maxsize > 0 && size >= maxsize;
    }

    /** @return whether {@link #shutdown(boolean)} was called */
    public final boolean isShutdown() {
        return shutdown;
    }

    // ---------------------------------------------------------------- putting

    /**
     * Suspending: adds {@code item} at the end, waiting while the queue is full (asyncio's
     * {@code put()}). Returns without suspending when there is room.
     *
     * <p>Cancellation: raises {@link CancelledError} and the item was not added. Cancelled
     * while waiting, the task's place in line is lost. Cancelled after a get made room
     * and woke it but before it ran, the wake-up passes to the next waiting putter, so the
     * free slot is not left unused while putters wait.
     *
     * @param item the item
     * @throws QueueShutDown if the queue is shut down, now or while waiting
     * @throws CancelledError if the task is cancelled while waiting
     * @throws IllegalStateException if called outside a task
     */
    public final void put(T item) {
        putters.checkCanPark("Queue.put()");
        while (!shutdown && maxsize > 0 && size >= maxsize) {
            putters.park();
        }
        if (shutdown) {
            // checked here, not left to putNowait: the error names the call the user made
            throw shutDown("put()");
        }
        putNowait(item);
    }

    /**
     * Adds {@code item} at the end if there is room now (asyncio's {@code put_nowait()}),
     * and wakes the first waiting getter. Never suspends; may be called by any code on the
     * loop's thread, in a task or not.
     *
     * @param item the item
     * @throws QueueFull if the queue holds {@code maxsize} items
     * @throws QueueShutDown if the queue is shut down
     * @throws IllegalStateException if called from another thread while the queue's loop
     *     runs; the item was not added
     */
    public final void putNowait(T item) {
        getters.checkThread("Queue.putNowait()");
        if (shutdown) {
            throw shutDown("putNowait()");
        }
        if (maxsize > 0 && size >= maxsize) {
            throw new QueueFull("putNowait() on a full queue: " + this);
        }
        putItem(item);
        size++;
        unfinished++;
        getters.unpark();
    }

    // ---------------------------------------------------------------- getting

    /**
     * Suspending: removes and returns the first item, waiting while the queue is empty
     * (asyncio's {@code get()}). Returns without suspending when an item is there.
     *
     * <p>Cancellation: raises {@link CancelledError} and no item was removed: nothing is
     * lost. Cancelled while waiting, the task's place in line is lost. Cancelled after a
     * put woke it but before it ran, the wake-up passes to the next waiting getter if the
     * item is still there, so it is not stranded.
     *
     * @return the item
     * @throws QueueShutDown if the queue is shut down and empty, now or while waiting
     * @throws CancelledError if the task is cancelled while waiting
     * @throws IllegalStateException if called outside a task
     */
    public final T get() {
        getters.checkCanPark("Queue.get()");
        while (size == 0) {
            if (shutdown) {
                throw shutDown("get()");
            }
            getters.park();
        }
        return getNowait();
    }

    /**
     * Removes and returns the first item if there is one now (asyncio's
     * {@code get_nowait()}), and wakes the first waiting putter. Never suspends; may be
     * called by any code on the loop's thread.
     *
     * @return the item
     * @throws QueueEmpty if the queue is empty
     * @throws QueueShutDown if the queue is shut down and empty
     * @throws IllegalStateException if called from another thread while the queue's loop
     *     runs; no item was removed
     */
    public final T getNowait() {
        getters.checkThread("Queue.getNowait()");
        if (size == 0) {
            if (shutdown) {
                throw shutDown("getNowait()");
            }
            throw new QueueEmpty("getNowait() on an empty queue: " + this);
        }
        T item = takeItem();
        size--;
        putters.unpark();
        return item;
    }

    /**
     * The items as they are taken, for a for-each loop that consumes the queue until it is
     * shut down; no asyncio counterpart (asyncio queues are not async-iterable).
     *
     * <pre>{@code
     * for (Job job : jobs.consuming()) {   // suspends in each step, at get()
     *     run(job);
     *     jobs.taskDone();
     * }
     * // here the queue is shut down and empty
     * }</pre>
     *
     * <p>Each step of the loop calls {@link #get()}, so it suspends and must run inside a
     * task: the iterator's {@code hasNext()} is where it waits. The loop ends when
     * {@code get()} raises {@link QueueShutDown}. It does not call {@link #taskDone()}.
     *
     * <p>Cancellation: as {@link #get()}: a cancelled step removes no item, and
     * {@link CancelledError} propagates out of the loop. An item is taken in
     * {@code hasNext()}; an iterator abandoned after {@code hasNext()} returned true
     * drops that item.
     *
     * @return an iterable whose every iterator takes items with {@link #get()}
     */
    public final Iterable<T> consuming() {
        return () -> new Iterator<T>() {
            private boolean ready;
            private T next;

            @Override
            public boolean hasNext() {
                if (!ready) {
                    try {
                        next = get();
                    } catch (QueueShutDown e) {
                        return false;
                    }
                    ready = true;
                }
                return true;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the queue is shut down and empty: " + Queue.this);
                }
                ready = false;
                T item = next;
                next = null;
                return item;
            }
        };
    }

    // ---------------------------------------------------------------- tasks done

    /**
     * Marks one item taken from the queue as processed (asyncio's {@code task_done()}).
     * When every item ever put has been marked, {@link #join()}ers are woken.
     *
     * @throws IllegalStateException if called more times than items were put (asyncio's
     *     {@code ValueError('task_done() called too many times')})
     */
    public final void taskDone() {
        getters.checkThread("Queue.taskDone()");
        if (unfinished <= 0) {
            throw new IllegalStateException("taskDone() called too many times: every item put was already marked done ("
                    + this + ")");
        }
        if (--unfinished == 0) {
            joiners.unparkAll();
        }
    }

    /**
     * Suspending: waits until every item put has been marked done with
     * {@link #taskDone()} (asyncio's {@code join()}). Returns without suspending if none
     * is unfinished.
     *
     * <p>Cancellation: raises {@link CancelledError}; nothing else changes.
     *
     * @throws CancelledError if the task is cancelled while waiting
     * @throws IllegalStateException if called outside a task
     */
    public final void join() {
        joiners.checkCanPark("Queue.join()");
        if (unfinished > 0) {
            joiners.park();
        }
    }

    // ---------------------------------------------------------------- shutdown

    /** {@link #shutdown(boolean) shutdown(false)}: puts stop, gets drain what is left. */
    public final void shutdown() {
        shutdown(false);
    }

    /**
     * Shuts the queue down (asyncio's {@code shutdown(immediate)}, Python 3.13): later
     * puts raise {@link QueueShutDown} and so do gets once the queue is empty; waiting
     * putters and getters are woken, to raise it or, for getters, to take items still
     * there. With {@code immediate}, the queue is first emptied, each dropped item counting
     * as done (as if {@link #taskDone()} were called for it), so joiners are woken if no
     * unfinished item remains. Calling it again is allowed (and can drain later).
     *
     * @param immediate whether to drop the items still queued
     */
    public final void shutdown(boolean immediate) {
        getters.checkThread("Queue.shutdown()");
        shutdown = true;
        if (immediate) {
            while (size > 0) {
                takeItem();
                size--;
                if (unfinished > 0) {
                    unfinished--;
                }
            }
            if (unfinished == 0) {
                joiners.unparkAll();
            }
        }
        // every waiter re-checks the queue and raises QueueShutDown if it must
        getters.unparkAll();
        putters.unparkAll();
    }

    // ---------------------------------------------------------------- the lots' abandon actions

    /** A getter woken by a put was cancelled before it ran: wake the next if the item is there. */
    private void passOnGetterWakeUp() {
        if (size > 0) {
            getters.unpark();
        }
    }

    /** A putter woken by a get was cancelled before it ran: wake the next if the slot is free. */
    private void passOnPutterWakeUp() {
        if (!full()) {
            putters.unpark();
        }
    }

    // ---------------------------------------------------------------- storage (overridable)

    /**
     * Stores {@code item} (asyncio's {@code _put}); the base class appends it to a ring.
     * Called by the queue with its bookkeeping still unchanged, so throwing leaves the
     * queue as it was. Must not suspend or call the queue's public methods.
     *
     * @param item the item
     */
    protected void putItem(T item) {
        Object[] r = ring;
        if (size == r.length) {
            r = grow();
        }
        r[(head + size) & (r.length - 1)] = item;
    }

    /**
     * Removes and returns the next item (asyncio's {@code _get}); the base class takes the
     * oldest. Called only when the queue is not empty, before the queue's count is
     * decremented. Must not suspend or call the queue's public methods.
     *
     * @return the item
     */
    @SuppressWarnings("unchecked")
    protected T takeItem() {
        Object[] r = ring;
        int h = head;
        T item = (T) r[h];
        r[h] = null;
        head = (h + 1) & (r.length - 1);
        return item;
    }

    /**
     * The items, in storage order, for {@link #toString()} (asyncio's repr shows
     * {@code list(self._queue)}). The base class lists them oldest first.
     *
     * @return a fresh list of the queued items
     */
    @SuppressWarnings("unchecked")
    protected List<T> items() {
        List<T> list = new ArrayList<>(size);
        Object[] r = ring;
        for (int i = 0; i < size; i++) {
            list.add((T) r[(head + i) & (r.length - 1)]);
        }
        return list;
    }

    private Object[] grow() {
        Object[] old = ring;
        int capacity;
        if (old.length == 0) {
            // room for maxsize items up front when it is modest, else start small
            capacity = maxsize > 0 && maxsize <= 1024 ? Integer.highestOneBit(Math.max(maxsize - 1, 1)) << 1 : 16;
        } else if (old.length >= 1 << 30) {
            throw new IllegalStateException("Queue cannot hold more than " + old.length + " items");
        } else {
            capacity = old.length << 1;
        }
        Object[] r = new Object[capacity];
        for (int i = 0; i < size; i++) {
            r[i] = old[(head + i) & (old.length - 1)];
        }
        head = 0;
        ring = r;
        return r;
    }

    // ---------------------------------------------------------------- repr

    private QueueShutDown shutDown(String method) {
        return new QueueShutDown(method + " on a queue that was shut down" + (size == 0 ? " and is empty" : "") + ": " + this);
    }

    /**
     * @return a snapshot of the queue's state: items, capacity, unfinished items, waiting
     *     tasks and whether it is shut down
     */
    public final Statistics statistics() {
        return new Statistics(size, maxsize, unfinished, getters.count(), putters.count(), joiners.count(), shutdown);
    }

    /**
     * The state of a {@link Queue} at one moment.
     *
     * @param qsize the items in the queue
     * @param maxsize the capacity (zero or negative: unbounded)
     * @param unfinishedTasks the items put and not yet marked done by {@link Queue#taskDone()}
     * @param tasksWaitingGet the tasks parked in {@link Queue#get()}
     * @param tasksWaitingPut the tasks parked in {@link Queue#put}
     * @param tasksWaitingJoin the tasks parked in {@link Queue#join()}
     * @param shutdown whether the queue was shut down
     */
    public record Statistics(int qsize, int maxsize, int unfinishedTasks, int tasksWaitingGet, int tasksWaitingPut,
            int tasksWaitingJoin, boolean shutdown) {
    }

    /**
     * @return e.g. {@code <Queue maxsize=10 _queue=[1, 2] _getters[0] _putters[1] tasks=2 shutdown>},
     *     as asyncio's {@code str()}; parts that are empty or zero are left out, and only the
     *     first items of a long queue are listed
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<").append(getClass().getSimpleName()).append(" maxsize=").append(maxsize);
        if (size > 0) {
            List<T> list = items();
            sb.append(" _queue=[");
            int shown = Math.min(list.size(), REPR_ITEMS);
            for (int i = 0; i < shown; i++) {
                sb.append(i == 0 ? "" : ", ").append(list.get(i));
            }
            if (list.size() > shown) {
                sb.append(", ...").append(list.size() - shown).append(" more");
            }
            sb.append(']');
        }
        if (getters.count() > 0) {
            sb.append(" _getters[").append(getters.count()).append(']');
        }
        if (putters.count() > 0) {
            sb.append(" _putters[").append(putters.count()).append(']');
        }
        if (unfinished > 0) {
            sb.append(" tasks=").append(unfinished);
        }
        if (shutdown) {
            sb.append(" shutdown");
        }
        return sb.append('>').toString();
    }
}
