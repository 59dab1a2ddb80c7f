package org.asyncio4j.queue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link Queue} that returns the smallest item first (asyncio's
 * {@code asyncio.PriorityQueue}), by a {@link Comparator} or by the items' natural order.
 * Items of equal priority come out in no particular order, as with asyncio's
 * {@code heapq}; add a sequence number to the item to make it stable.
 *
 * <pre>{@code
 * record Job(int priority, String name) {}
 * PriorityQueue<Job> jobs = new PriorityQueue<>(Comparator.comparingInt(Job::priority));
 * jobs.putNowait(new Job(2, "later"));
 * jobs.putNowait(new Job(1, "first"));
 * jobs.getNowait();    // Job[priority=1, name=first]
 * }</pre>
 *
 * <p>Everything else (waiting, cancellation, shutdown, {@code taskDone}/{@code join}) is
 * {@link Queue}'s. Implementation: a binary heap ({@link java.util.PriorityQueue}).
 *
 * @param <T> the item type; {@code null} items are refused, since they cannot be ordered
 */
public final class PriorityQueue<T> extends Queue<T> {
    private final java.util.PriorityQueue<T> heap;

    /** An unbounded queue in the items' natural order (they must be {@link Comparable}). */
    public PriorityQueue() {
        this(0, null);
    }

    /**
     * A queue of at most {@code maxsize} items in their natural order.
     *
     * @param maxsize the capacity; zero or negative means unbounded
     */
    public PriorityQueue(int maxsize) {
        this(maxsize, null);
    }

    /**
     * An unbounded queue ordered by {@code comparator}.
     *
     * @param comparator the order, or {@code null} for the natural order
     */
    public PriorityQueue(Comparator<? super T> comparator) {
        this(0, comparator);
    }

    /**
     * A queue of at most {@code maxsize} items ordered by {@code comparator}.
     *
     * @param maxsize the capacity; zero or negative means unbounded
     * @param comparator the order, or {@code null} for the natural order
     */
    public PriorityQueue(int maxsize, Comparator<? super T> comparator) {
        super(maxsize);
        this.heap = new java.util.PriorityQueue<>(comparator);
    }

    /** @return the order, or {@code null} for the natural order */
    public Comparator<? super T> comparator() {
        return heap.comparator();
    }

    /**
     * Pushes {@code item} on the heap (asyncio's {@code heappush}).
     *
     * @throws NullPointerException if {@code item} is null
     * @throws ClassCastException if there is no comparator and {@code item} is not
     *     {@link Comparable} (or not comparable with the queued items); the queue is unchanged
     */
    @Override
    protected void putItem(T item) {
        if (item == null) {
            throw new NullPointerException("PriorityQueue does not accept null items: they cannot be ordered");
        }
        heap.add(item);
    }

    /** Pops the smallest item (asyncio's {@code heappop}). */
    @Override
    protected T takeItem() {
        return heap.poll();
    }

    /** @return the items in heap order (the smallest first, the rest in no useful order) */
    @Override
    protected List<T> items() {
        return new ArrayList<>(heap);
    }
}
