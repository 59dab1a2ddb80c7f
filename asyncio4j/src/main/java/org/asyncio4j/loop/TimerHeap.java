package org.asyncio4j.loop;

import java.util.Arrays;

/**
 * The loop's scheduled timers: a binary min-heap ordered by {@link TimerHandle#before}.
 *
 * <p>Invariant: {@code heap[0..size)} holds every scheduled timer, cancelled or not, and
 * each parent is before its children. Cancelled timers are removed lazily: at the top by
 * {@link #poll()}, in bulk by {@link #removeCancelled()}.
 */
final class TimerHeap {
    private TimerHandle[] heap = new TimerHandle[64];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    TimerHandle peek() {
        return heap[0];
    }

    void add(TimerHandle t) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        siftUp(size++, t);
    }

    TimerHandle poll() {
        TimerHandle top = heap[0];
        int last = --size;
        TimerHandle moved = heap[last];
        heap[last] = null;
        if (last > 0) {
            siftDown(0, moved);
        }
        return top;
    }

    /** Drops every cancelled timer and restores the heap order; O(n). */
    void removeCancelled() {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            TimerHandle t = heap[i];
            if (t.cancelled) {
                t.scheduled = false;
            } else {
                heap[kept++] = t;
            }
        }
        Arrays.fill(heap, kept, size, null);
        size = kept;
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i, heap[i]);
        }
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].scheduled = false;
        }
        Arrays.fill(heap, 0, size, null);
        size = 0;
    }

    private void siftUp(int i, TimerHandle t) {
        TimerHandle[] h = heap;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            TimerHandle p = h[parent];
            if (!t.before(p)) {
                break;
            }
            h[i] = p;
            i = parent;
        }
        h[i] = t;
    }

    private void siftDown(int i, TimerHandle t) {
        TimerHandle[] h = heap;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            TimerHandle c = h[child];
            int right = child + 1;
            if (right < size && h[right].before(c)) {
                child = right;
                c = h[right];
            }
            if (!c.before(t)) {
                break;
            }
            h[i] = c;
            i = child;
        }
        h[i] = t;
    }
}
