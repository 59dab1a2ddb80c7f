package org.asyncio4j.loop;

import java.util.Arrays;
import java.util.function.Consumer;

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
 * <p>Runs: timers scheduled in ascending order (the same delay from a steady clock, or a
 * batch of timers spread over an interval) need no heap among themselves. A timer that
 * orders after the last one of the open run is chained behind it ({@code next}, with its
 * key in {@code chainWhens} and {@code chainSeqs}) instead of entering the heap. Any other
 * timer enters the heap and closes the open run; if it is the {@link #RUN_STREAK}-th in a
 * row to come in ascending order, it opens a new run as its head (a heap entry whose slot
 * is stored as {@code ~slot}). Polling a run head puts the next timer of its run in its
 * place. The 200,000 timers of {@code timers}, over 1,000 due times in ascending cycles,
 * make a heap of about a thousand entries; timers in random order seldom make a streak,
 * so nearly all of them go straight into the heap and pay a branch or two per operation.
 *
 * <p>An entry is a {@link TimerHandle}, or a sleeping {@link org.asyncio4j.future.Task}
 * ({@link EventLoop#scheduleStepAt}), which is cancelled when the task no longer sleeps
 * on that entry's {@code seq} (asked through the {@link EventLoop.TaskStepper}).
 *
 * <p>Invariants: {@code [0, entries)} of the heap arrays describes every run head and every
 * timer not in a run, cancelled or not, with {@code whens[i]} and {@code seqs[i]} the due
 * time and sequence number of the handle in slot {@code slots[i]} (or {@code ~slots[i]}
 * for a run head), and each parent orders before its children. A run is ordered by
 * (when, seq), strictly, along {@code next} ({@code -1} ends it); a run head's own key is
 * also in {@code chainWhens}/{@code chainSeqs}. {@code openRun} is the slot of the last
 * timer of the run that may still grow, or {@code -1}. Cancelled timers are removed lazily:
 * at the top by {@link #poll()}, in bulk by {@link #removeCancelled()}.
 */
final class TimerHeap {
    /** Ascending timers in a row before the next one opens a run. */
    static final int RUN_STREAK = 4;

    private double[] whens = new double[64];
    private long[] seqs = new long[64];
    private int[] slots = new int[64];
    /** Heap entries: run heads and timers outside runs. */
    private int entries;
    /** Timers, in the heap or in runs behind their heads. */
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
    /** By slot, for timers in runs: the next timer of the run, or -1; and the timer's key. */
    private int[] next = new int[64];
    private double[] chainWhens = new double[64];
    private long[] chainSeqs = new long[64];
    /** The last timer of the run that may still grow, or -1; its key. */
    private int openRun = -1;
    private double openWhen;
    private long openSeq;
    /** The key of the timer added last, and how many timers in a row came in ascending order. */
    private double lastWhen = Double.NEGATIVE_INFINITY;
    private long lastSeq = Long.MIN_VALUE;
    private int streak;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** @return whether the first timer is cancelled; the heap must not be empty */
    boolean peekCancelled() {
        return isCancelled(handles[slotOf(slots[0])], seqs[0]);
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

    /** Gives every entry (a TimerHandle or a sleeping Task), in no particular order: for inspection only. */
    void forEach(Consumer<Object> action) {
        for (int i = 0; i < entries; i++) {
            int s = slots[i];
            if (s >= 0) {
                action.accept(handles[s]);
            } else {
                for (int slot = ~s; slot >= 0; slot = next[slot]) {
                    action.accept(handles[slot]);
                }
            }
        }
    }

    void add(TimerHandle t) {
        add(t, t.when, t.seq);
    }

    void add(Object entry, double when, long seq) {
        if (freeCount == 0) {
            grow();
        }
        int slot = freeSlots[--freeCount];
        handles[slot] = entry;
        size++;
        streak = before(lastWhen, lastSeq, when, seq) ? streak + 1 : 0;
        lastWhen = when;
        lastSeq = seq;
        if (openRun >= 0 && before(openWhen, openSeq, when, seq)) {
            next[openRun] = slot;   // extends the open run
        } else if (streak >= RUN_STREAK) {
            siftUp(entries++, when, seq, ~slot);   // opens a run
        } else {
            openRun = -1;
            siftUp(entries++, when, seq, slot);
            return;
        }
        next[slot] = -1;
        chainWhens[slot] = when;
        chainSeqs[slot] = seq;
        openRun = slot;
        openWhen = when;
        openSeq = seq;
    }

    /** Doubles the capacity; every slot is in use, so every new slot is free. */
    private void grow() {
        int n = size * 2;
        whens = Arrays.copyOf(whens, n);
        seqs = Arrays.copyOf(seqs, n);
        slots = Arrays.copyOf(slots, n);
        handles = Arrays.copyOf(handles, n);
        next = Arrays.copyOf(next, n);
        chainWhens = Arrays.copyOf(chainWhens, n);
        chainSeqs = Arrays.copyOf(chainSeqs, n);
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

    private static int slotOf(int heapSlot) {
        return heapSlot >= 0 ? heapSlot : ~heapSlot;
    }

    /** Removes the first entry; read its due time and seq before. */
    Object poll() {
        int top = slots[0];
        int slot = slotOf(top);
        Object first = handles[slot];
        handles[slot] = null;
        freeSlots[freeCount++] = slot;
        size--;
        if (top < 0) {
            if (slot == openRun) {
                openRun = -1;
            }
            int following = next[slot];
            if (following >= 0) {
                siftDown(0, chainWhens[following], chainSeqs[following], ~following);
                return first;
            }
        }
        int last = --entries;
        if (last > 0) {
            siftDown(0, whens[last], seqs[last], slots[last]);
        }
        return first;
    }

    /** Drops every cancelled timer and restores the heap order; O(n). */
    void removeCancelled() {
        int kept = 0;
        for (int i = 0; i < entries; i++) {
            int s = slots[i];
            if (s >= 0) {
                if (!drop(s, seqs[i])) {
                    whens[kept] = whens[i];
                    seqs[kept] = seqs[i];
                    slots[kept++] = s;
                }
                continue;
            }
            int head = -1;
            int last = -1;
            for (int slot = ~s, following; slot >= 0; slot = following) {
                following = next[slot];
                if (drop(slot, chainSeqs[slot])) {
                    continue;
                }
                if (head < 0) {
                    head = slot;
                } else {
                    next[last] = slot;
                }
                last = slot;
            }
            if (head >= 0) {
                next[last] = -1;
                whens[kept] = chainWhens[head];
                seqs[kept] = chainSeqs[head];
                slots[kept++] = ~head;
            }
        }
        entries = kept;
        openRun = -1;   // its last timer may be gone
        for (int i = (entries - 2) >>> 2; entries > 1 && i >= 0; i--) {
            siftDown(i, whens[i], seqs[i], slots[i]);
        }
    }

    /** Frees {@code slot} if its timer is cancelled; returns whether it did. */
    private boolean drop(int slot, long seq) {
        Object t = handles[slot];
        if (!isCancelled(t, seq)) {
            return false;
        }
        unscheduled(t);
        handles[slot] = null;
        freeSlots[freeCount++] = slot;
        size--;
        return true;
    }

    void clear() {
        forEach(TimerHeap::unscheduled);
        Arrays.fill(handles, null);
        entries = 0;
        size = 0;
        openRun = -1;
        streak = 0;
        lastWhen = Double.NEGATIVE_INFINITY;
        lastSeq = Long.MIN_VALUE;
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
        int n = entries;
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
