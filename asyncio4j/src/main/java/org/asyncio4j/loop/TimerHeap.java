package org.asyncio4j.loop;

import java.util.Arrays;

/**
 * The loop's scheduled timers: a 4-ary min-heap ordered by due time, then by scheduling
 * order ({@code seq}), so timers with equal due times run in the order they were scheduled.
 *
 * <p>Implementation overview: the heap itself is three parallel primitive arrays,
 * {@code whens}, {@code seqs} and {@code slots}, so that sifting compares primitives that
 * sit next to each other in memory instead of following a pointer to a handle per
 * comparison (with a few hundred thousand timers, those pointer chases are cache misses
 * and dominated the cost). The handles themselves stay put in {@code handles}, at the
 * index {@code slots} names, so sifting stores no reference: with a million timers the
 * handle array is an old object, and each reference store into it paid the garbage
 * collector's card-marking barrier (a quarter of {@code timers}' time in
 * {@code siftDown}'s stores, JFR, JDK 25, G1). Four children per node halve the depth,
 * and the four sit in one or two cache lines. Free slots form a stack in
 * {@code freeSlots}.
 *
 * <p>An entry is a {@link TimerHandle}, or a sleeping {@link org.asyncio4j.future.Task}
 * ({@link EventLoop#scheduleStepAt}), which is cancelled when the task no longer sleeps
 * on that entry's {@code seq} (asked through the {@link EventLoop.TaskStepper}).
 *
 * <p>Invariant: {@code [0, size)} of the heap arrays describes every scheduled timer,
 * cancelled or not, with {@code whens[i]} and {@code seqs[i]} the due time and sequence
 * number of {@code handles[slots[i]]}, and each parent orders before its children.
 * Cancelled timers are removed lazily: at the top by {@link #poll()}, in bulk by
 * {@link #removeCancelled()}.
 */
final class TimerHeap {
    private double[] whens = new double[64];
    private long[] seqs = new long[64];
    private int[] slots = new int[64];
    private int size;
    /** The scheduled entries (TimerHandle or Task), by slot; a slot not in use is null. */
    private Object[] handles = new Object[64];
    /**
     * Every slot not in use, in {@code [0, freeCount)} (so {@code freeCount + size} is the
     * capacity): taking one has no branch, whose profile from a program's first phase (no
     * timer fired yet) would otherwise become a trap in code compiled then.
     */
    private int[] freeSlots = freeSlots(new int[64], 0);
    private int freeCount = 64;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** @return whether the first timer is cancelled; the heap must not be empty */
    boolean peekCancelled() {
        return isCancelled(handles[slots[0]], seqs[0]);
    }

    /** @return the sequence number of the first timer; the heap must not be empty */
    long peekSeq() {
        return seqs[0];
    }

    static boolean isCancelled(Object entry, long seq) {
        return entry instanceof TimerHandle t ? t.cancelled : !EventLoop.stepper().sleepsOn((org.asyncio4j.future.Task<?>) entry, seq);
    }

    /** Marks a handle as out of the heap (a sleeping task needs nothing). */
    static void unscheduled(Object entry) {
        if (entry instanceof TimerHandle t) {
            t.scheduled = false;
        }
    }

    /** @return the due time of the first timer; the heap must not be empty */
    double peekWhen() {
        return whens[0];
    }

    /**
     * @return the entry (a TimerHandle or a sleeping Task) at heap position {@code i}, in
     *     {@code [0, size())}: for inspection only
     */
    Object get(int i) {
        return handles[slots[i]];
    }

    void add(TimerHandle t) {
        add(t, t.when, t.seq);
    }

    void add(Object entry, double when, long seq) {
        if (size == whens.length) {
            grow();
        }
        int slot = freeSlots[--freeCount];
        handles[slot] = entry;
        siftUp(size++, when, seq, slot);
    }

    /** Doubles the capacity; the heap is full, so every new slot is free. */
    private void grow() {
        int n = size * 2;
        whens = Arrays.copyOf(whens, n);
        seqs = Arrays.copyOf(seqs, n);
        slots = Arrays.copyOf(slots, n);
        handles = Arrays.copyOf(handles, n);
        freeSlots = freeSlots(new int[n], size);
        freeCount = n - size;
    }

    /** Fills {@code free} with the slots {@code [from, free.length)}, the lowest on top; returns it. */
    private static int[] freeSlots(int[] free, int from) {
        for (int i = 0, slot = free.length - 1; slot >= from; i++, slot--) {
            free[i] = slot;
        }
        return free;
    }

    /** Removes the first entry; read its due time and seq before. */
    Object poll() {
        int slot = slots[0];
        Object top = handles[slot];
        handles[slot] = null;
        freeSlots[freeCount++] = slot;
        int last = --size;
        if (last > 0) {
            siftDown(0, whens[last], seqs[last], slots[last]);
        }
        return top;
    }

    /** Drops every cancelled timer and restores the heap order; O(n). */
    void removeCancelled() {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            int slot = slots[i];
            Object t = handles[slot];
            if (isCancelled(t, seqs[i])) {
                unscheduled(t);
                handles[slot] = null;
                freeSlots[freeCount++] = slot;
            } else {
                whens[kept] = whens[i];
                seqs[kept] = seqs[i];
                slots[kept] = slot;
                kept++;
            }
        }
        size = kept;
        for (int i = (size - 2) >>> 2; size > 1 && i >= 0; i--) {
            siftDown(i, whens[i], seqs[i], slots[i]);
        }
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            unscheduled(handles[slots[i]]);
        }
        Arrays.fill(handles, null);
        size = 0;
        freeSlots(freeSlots, 0);
        freeCount = freeSlots.length;
    }

    private static boolean before(double w1, long s1, double w2, long s2) {
        return w1 < w2 || (w1 == w2 && s1 < s2);
    }

    private void siftUp(int i, double when, long seq, int slot) {
        double[] w = whens;
        long[] s = seqs;
        int[] sl = slots;
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            if (!before(when, seq, w[parent], s[parent])) {
                break;
            }
            w[i] = w[parent];
            s[i] = s[parent];
            sl[i] = sl[parent];
            i = parent;
        }
        w[i] = when;
        s[i] = seq;
        sl[i] = slot;
    }

    private void siftDown(int i, double when, long seq, int slot) {
        double[] w = whens;
        long[] s = seqs;
        int[] sl = slots;
        int n = size;
        while (true) {
            int first = 4 * i + 1;
            if (first >= n) {
                break;
            }
            int child = first;
            int end = Math.min(first + 4, n);
            for (int c = first + 1; c < end; c++) {
                if (before(w[c], s[c], w[child], s[child])) {
                    child = c;
                }
            }
            if (!before(w[child], s[child], when, seq)) {
                break;
            }
            w[i] = w[child];
            s[i] = s[child];
            sl[i] = sl[child];
            i = child;
        }
        w[i] = when;
        s[i] = seq;
        sl[i] = slot;
    }
}
