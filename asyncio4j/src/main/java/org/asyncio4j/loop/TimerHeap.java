package org.asyncio4j.loop;

import java.util.Arrays;

/**
 * The loop's scheduled timers: a binary min-heap ordered by due time, then by scheduling
 * order ({@code seq}), so timers with equal due times run in the order they were scheduled.
 *
 * <p>Implementation overview: three parallel arrays, {@code handles}, {@code whens} and
 * {@code seqs}, so that sifting compares primitives that sit next to each other in memory
 * instead of following a pointer to a handle per comparison (with a few hundred thousand
 * timers, those pointer chases are cache misses and dominated the cost). Invariant:
 * {@code [0, size)} of each array describes every scheduled timer, cancelled or not, with
 * {@code whens[i] == handles[i].when} and {@code seqs[i] == handles[i].seq}, and each
 * parent orders before its children. Cancelled timers are removed lazily: at the top by
 * {@link #poll()}, in bulk by {@link #removeCancelled()}.
 */
final class TimerHeap {
    private TimerHandle[] handles = new TimerHandle[64];
    private double[] whens = new double[64];
    private long[] seqs = new long[64];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    TimerHandle peek() {
        return handles[0];
    }

    /** @return the due time of the first timer; the heap must not be empty */
    double peekWhen() {
        return whens[0];
    }

    /** @return the timer at heap position {@code i}, in {@code [0, size())}: for inspection only */
    TimerHandle get(int i) {
        return handles[i];
    }

    void add(TimerHandle t) {
        if (size == handles.length) {
            int n = size * 2;
            handles = Arrays.copyOf(handles, n);
            whens = Arrays.copyOf(whens, n);
            seqs = Arrays.copyOf(seqs, n);
        }
        siftUp(size++, t, t.when, t.seq);
    }

    TimerHandle poll() {
        TimerHandle top = handles[0];
        int last = --size;
        TimerHandle moved = handles[last];
        handles[last] = null;
        if (last > 0) {
            siftDown(0, moved, whens[last], seqs[last]);
        }
        return top;
    }

    /** Drops every cancelled timer and restores the heap order; O(n). */
    void removeCancelled() {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            TimerHandle t = handles[i];
            if (t.cancelled) {
                t.scheduled = false;
            } else {
                handles[kept] = t;
                whens[kept] = whens[i];
                seqs[kept] = seqs[i];
                kept++;
            }
        }
        Arrays.fill(handles, kept, size, null);
        size = kept;
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i, handles[i], whens[i], seqs[i]);
        }
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            handles[i].scheduled = false;
        }
        Arrays.fill(handles, 0, size, null);
        size = 0;
    }

    private static boolean before(double w1, long s1, double w2, long s2) {
        return w1 < w2 || (w1 == w2 && s1 < s2);
    }

    private void siftUp(int i, TimerHandle t, double when, long seq) {
        TimerHandle[] h = handles;
        double[] w = whens;
        long[] s = seqs;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(when, seq, w[parent], s[parent])) {
                break;
            }
            h[i] = h[parent];
            w[i] = w[parent];
            s[i] = s[parent];
            i = parent;
        }
        h[i] = t;
        w[i] = when;
        s[i] = seq;
    }

    private void siftDown(int i, TimerHandle t, double when, long seq) {
        TimerHandle[] h = handles;
        double[] w = whens;
        long[] s = seqs;
        int n = size;
        int half = n >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < n && before(w[right], s[right], w[child], s[child])) {
                child = right;
            }
            if (!before(w[child], s[child], when, seq)) {
                break;
            }
            h[i] = h[child];
            w[i] = w[child];
            s[i] = s[child];
            i = child;
        }
        h[i] = t;
        w[i] = when;
        s[i] = seq;
    }
}
