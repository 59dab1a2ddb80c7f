package org.asyncio4j.queue;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Queue} that returns the most recently added item first (asyncio's
 * {@code asyncio.LifoQueue}): a stack.
 *
 * <pre>{@code
 * LifoQueue<String> stack = new LifoQueue<>();
 * stack.putNowait("a");
 * stack.putNowait("b");
 * stack.getNowait();   // "b"
 * }</pre>
 *
 * <p>Everything else (waiting, cancellation, shutdown, {@code taskDone}/{@code join}) is
 * {@link Queue}'s. Implementation: an {@link ArrayList} whose end is the top.
 *
 * @param <T> the item type; {@code null} items are allowed
 */
public final class LifoQueue<T> extends Queue<T> {
    private final ArrayList<T> stack = new ArrayList<>();

    /** An unbounded stack. */
    public LifoQueue() {
        this(0);
    }

    /**
     * A stack of at most {@code maxsize} items.
     *
     * @param maxsize the capacity; zero or negative means unbounded
     */
    public LifoQueue(int maxsize) {
        super(maxsize);
    }

    /** Pushes {@code item} on top. */
    @Override
    protected void putItem(T item) {
        stack.add(item);
    }

    /** Pops the top item. */
    @Override
    protected T takeItem() {
        return stack.remove(stack.size() - 1);
    }

    /** @return the items bottom first, the top last (asyncio's repr order) */
    @Override
    protected List<T> items() {
        return new ArrayList<>(stack);
    }
}
