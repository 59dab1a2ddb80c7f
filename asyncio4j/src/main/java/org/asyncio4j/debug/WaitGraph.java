package org.asyncio4j.debug;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.ParkingLot;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.Origin;
import org.asyncio4j.queue.Queue;
import org.asyncio4j.sync.Lock;

/**
 * A snapshot of every live task of one loop and of who waits for whom, taken on the loop's
 * thread and read anywhere afterwards: the model behind {@link TaskDump}. It holds strings
 * and indices only, never the tasks, so formatting it on another thread races with nothing.
 *
 * <p>Two relations. <b>Awaited by</b> (for the tree): task {@code i} is awaited by the
 * tasks parked on it and, through futures that wait without a task ({@code gather}, a task
 * group's parent), by the tasks waiting for those. <b>Needs</b> (for deadlocks): the tasks
 * that could wake a suspended task: the task it awaits; the holder of the {@link Lock} it
 * waits for ({@link Lock#owner()}); a gather's unfinished children; for a {@link Queue}
 * (get, put or join), every other task; for a plain future, the task that created it
 * (known in debug mode only, from {@link Origin}; the waiting task itself does not count).
 * Anything else (an {@code Event}, a timer, I/O, another thread) may be woken from outside,
 * so its waiter is never reported.
 *
 * <p>Deadlock: the largest set of suspended tasks in which every task's wakers all lie in
 * the set (computed by removing, until nothing changes, any task with a waker outside it).
 * A task with no possible waker at all (a queue join in a loop with no other task) is in it
 * by itself.
 */
final class WaitGraph {
    /** Frames kept per task: enough to see where it waits, bounded for big dumps. */
    static final int MAX_FRAMES = 12;

    /** One live task: its name, identity, state and frames at the snapshot. */
    record Node(String name, String id, String state, String waitsFor, List<StackTraceElement> stack) {
        /** @return {@code Task(name='...', id=0x...)} */
        String label() {
            return "Task(name='" + name + "', id=" + id + ")";
        }
    }

    final List<Node> nodes = new ArrayList<>();
    /** For each node, the nodes that await it. */
    final List<List<Integer>> awaiters = new ArrayList<>();
    /** For each node, the nodes that could wake it and why; null when unknown (outside wakers). */
    final List<Map<Integer, String>> wakers = new ArrayList<>();
    /** The deadlocked nodes. */
    final BitSet deadlocked;

    private WaitGraph(EventLoop loop) {
        List<Task<?>> tasks = new ArrayList<>(loop.allTasks());
        Map<Future<?>, Integer> index = new IdentityHashMap<>();
        for (Task<?> t : tasks) {
            index.put(t, index.size());
        }
        Map<Future<?>, List<Future<?>>> children = childrenOfWaiters(tasks);
        for (Task<?> t : tasks) {
            Future<?> w = t.waitingOn();
            List<StackTraceElement> stack = Arrays.asList(t.getStack());
            nodes.add(new Node(t.getName(), idOf(t),
                    t.done() ? "done" : w == null ? "ready" : "suspended", w == null ? null : describe(w),
                    stack.size() > MAX_FRAMES ? List.copyOf(stack.subList(0, MAX_FRAMES)) : stack));
            List<Integer> by = new ArrayList<>();
            resolveAwaiters(t, index, by, new IdentityHashMap<>());
            awaiters.add(by);
            wakers.add(wakersOf(t, w, index, children));
        }
        deadlocked = deadlockedSet();
    }

    /**
     * Takes the snapshot. Must run on the loop's thread, or while the loop is not running.
     *
     * @param loop the loop
     * @return the snapshot
     */
    static WaitGraph of(EventLoop loop) {
        loop.checkThread("TaskDump");
        return new WaitGraph(loop);
    }

    /** For every future some future waits for by record (gather, task group), the futures it waits for. */
    private static Map<Future<?>, List<Future<?>>> childrenOfWaiters(List<Task<?>> tasks) {
        Map<Future<?>, List<Future<?>>> children = new IdentityHashMap<>();
        Map<Future<?>, Boolean> seen = new IdentityHashMap<>();
        Deque<Future<?>> todo = new ArrayDeque<>(tasks);
        while (!todo.isEmpty()) {
            Future<?> f = todo.poll();
            for (Future<?> waiter : f.awaitedBy()) {
                children.computeIfAbsent(waiter, k -> new ArrayList<>()).add(f);
                if (!(waiter instanceof Task<?>) && seen.put(waiter, Boolean.TRUE) == null) {
                    todo.add(waiter);
                }
            }
        }
        return children;
    }

    /** The tasks awaiting {@code f}, looking through futures that wait without a task. */
    private static void resolveAwaiters(Future<?> f, Map<Future<?>, Integer> index, List<Integer> out,
            Map<Future<?>, Boolean> seen) {
        for (Future<?> waiter : f.awaitedBy()) {
            Integer i = index.get(waiter);
            if (i != null) {
                if (!out.contains(i)) {
                    out.add(i);
                }
            } else if (seen.put(waiter, Boolean.TRUE) == null) {
                resolveAwaiters(waiter, index, out, seen);
            }
        }
    }

    /** Who could wake {@code t}, suspended on {@code w}; null if something outside the tasks may. */
    private static Map<Integer, String> wakersOf(Task<?> t, Future<?> w, Map<Future<?>, Integer> index,
            Map<Future<?>, List<Future<?>>> children) {
        if (w == null || w.done()) {
            return null;
        }
        Integer self = index.get(t);
        Map<Integer, String> wakers = new LinkedHashMap<>();
        if (w instanceof Task<?>) {
            Integer i = index.get(w);
            if (i != null) {
                wakers.put(i, "awaits");
            }
            return i == null ? null : wakers;
        }
        ParkingLot lot = ParkingLot.lotOf(w);
        if (lot != null) {
            if (lot.synchronizer() instanceof Lock lock) {
                Integer holder = lock.owner() == null ? null : index.get(lock.owner());
                if (holder == null || holder.equals(self)) {
                    return null;
                }
                wakers.put(holder, "waits for " + lock + " held by");
                return wakers;
            }
            if (lot.synchronizer() instanceof Queue<?> q) {
                // any task may get, put or call taskDone(); a callback rarely does
                for (int i = 0; i < index.size(); i++) {
                    if (i != self) {
                        wakers.put(i, "waits on " + q + ", which only another task could move:");
                    }
                }
                return wakers;
            }
            return null;
        }
        List<Integer> kids = new ArrayList<>();
        collectChildTasks(w, children, index, kids, new IdentityHashMap<>());
        for (Integer k : kids) {
            wakers.put(k, "waits for " + describe(w) + " of");
        }
        if (!wakers.isEmpty()) {
            return wakers;
        }
        Origin origin = Origin.of(w);
        Task<?> creator = origin == null ? null : origin.creator();
        Integer c = creator == null ? null : index.get(creator);
        if (c == null || c.equals(self)) {
            return null;
        }
        wakers.put(c, "waits for " + describe(w) + " (" + origin + ") created by");
        return wakers;
    }

    private static void collectChildTasks(Future<?> f, Map<Future<?>, List<Future<?>>> children,
            Map<Future<?>, Integer> index, List<Integer> out, Map<Future<?>, Boolean> seen) {
        for (Future<?> child : children.getOrDefault(f, List.of())) {
            Integer i = index.get(child);
            if (i != null) {
                out.add(i);
            } else if (seen.put(child, Boolean.TRUE) == null) {
                collectChildTasks(child, children, index, out, seen);
            }
        }
    }

    private BitSet deadlockedSet() {
        BitSet set = new BitSet();
        for (int i = 0; i < nodes.size(); i++) {
            if (wakers.get(i) != null) {
                set.set(i);
            }
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1)) {
                for (int j : wakers.get(i).keySet()) {
                    if (!set.get(j)) {
                        set.clear(i);
                        changed = true;
                        break;
                    }
                }
            }
        }
        return set;
    }

    /**
     * The deadlocks, one per group of deadlocked tasks that wait for each other.
     *
     * @return the deadlocks, possibly none
     */
    List<Deadlock> deadlocks() {
        List<Deadlock> out = new ArrayList<>();
        BitSet left = (BitSet) deadlocked.clone();
        for (int start = left.nextSetBit(0); start >= 0; start = left.nextSetBit(0)) {
            List<Integer> group = new ArrayList<>();
            Deque<Integer> todo = new ArrayDeque<>(List.of(start));
            left.clear(start);
            while (!todo.isEmpty()) {
                int i = todo.poll();
                group.add(i);
                for (int j = 0; j < nodes.size(); j++) {
                    if (left.get(j) && (wakers.get(i).containsKey(j) || wakers.get(j).containsKey(i))) {
                        left.clear(j);
                        todo.add(j);
                    }
                }
            }
            List<String> names = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            for (int i : group) {
                names.add(nodes.get(i).name());
                lines.add(waitLine(i));
            }
            out.add(new Deadlock(names, lines));
        }
        return out;
    }

    /** @return e.g. {@code Task(name='a', ...) waits for <Lock [locked]> held by Task(name='b', ...)} */
    private String waitLine(int i) {
        Map<Integer, String> w = wakers.get(i);
        StringBuilder sb = new StringBuilder(nodes.get(i).label());
        if (w.isEmpty()) {
            return sb.append(' ').append(nodes.get(i).waitsFor()).append(": no other task could wake it").toString();
        }
        String reason = w.values().iterator().next();
        sb.append(' ').append(reason);
        String sep = " ";
        for (int j : w.keySet()) {
            sb.append(sep).append(nodes.get(j).label());
            sep = ", ";
        }
        return sb.toString();
    }

    /**
     * @param task a task
     * @return its identity as dumps show it, e.g. {@code 0x1f2e3d}
     */
    static String idOf(Task<?> task) {
        return "0x" + Integer.toHexString(System.identityHashCode(task));
    }

    /** @return a one-line description of a future a task waits on */
    static String describe(Future<?> w) {
        ParkingLot lot = ParkingLot.lotOf(w);
        if (lot != null && lot.synchronizer() != null) {
            return lot.synchronizer().toString();
        }
        return w instanceof Task<?> t ? "Task(name='" + t.getName() + "')" : w.toString();
    }
}
