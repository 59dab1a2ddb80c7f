package org.asyncio4j.debug;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.ParkingLot;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.Origin;
import org.asyncio4j.queue.Queue;
import org.asyncio4j.sync.Lock;

/**
 * A snapshot of every live task of one loop and of who waits for whom, taken on the loop's
 * thread at one moment: the model behind {@link TaskDump}. It holds the tasks, what each
 * waited on, and the two relations below as index arrays; the text of each task (its
 * state and frames, which cost a stack walk each) is read later, on the loop's thread
 * again, by {@link TaskDumpReader}, a batch at a time.
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
 * the set, found by removing, from the tasks with known wakers, each task with a waker
 * outside the set and then, transitively, the tasks that needed it. A task with no
 * possible waker at all (a queue join in a loop with no other task) is in it by itself.
 * Everything here is linear in the tasks and waits, so a million tasks take a moment, not
 * the square of a million.
 */
final class WaitGraph {
    private static final int[] NONE = new int[0];
    /** How many tasks a deadlock line names before it says how many more there are. */
    private static final int NAMED_WAKERS = 10;

    /** Who could wake one suspended task: some tasks, or every other task (a queue). */
    private record Wakers(String reason, int[] tasks, boolean anyOther) {
    }

    /** The live tasks at the snapshot, in the loop's registry order. */
    final Task<?>[] tasks;
    /** What each task waited on at the snapshot (null when ready, running or sleeping). */
    final Future<?>[] waitingOn;
    /** For each task, the tasks that await it (arrays may be shared between tasks: never written). */
    final int[][] awaiters;
    /** For each task, the tasks it awaits (the reverse of {@link #awaiters}): its children in the tree. */
    final int[][] awaited;
    /** The deadlocked tasks. */
    final BitSet deadlocked;
    /** The deadlocks, their text made at the snapshot. */
    final List<Deadlock> deadlocks;
    private final Wakers[] wakers;

    private WaitGraph(EventLoop loop) {
        tasks = loop.allTasks().toArray(new Task<?>[0]);
        int n = tasks.length;
        waitingOn = new Future<?>[n];
        Map<Future<?>, Integer> index = new IdentityHashMap<>(n);
        for (int i = 0; i < n; i++) {
            index.put(tasks[i], i);
            waitingOn[i] = tasks[i].waitingOn();
        }
        Map<Future<?>, List<Future<?>>> children = childrenOfWaiters(tasks);
        Map<Future<?>, int[]> resolved = new IdentityHashMap<>();
        Map<Future<?>, Boolean> onPath = new IdentityHashMap<>(); // empty again after each call
        awaiters = new int[n][];
        wakers = new Wakers[n];
        for (int i = 0; i < n; i++) {
            awaiters[i] = resolveAwaiters(tasks[i], index, resolved, onPath);
            wakers[i] = wakersOf(i, waitingOn[i], index, children);
        }
        awaited = reverse(awaiters);
        deadlocked = deadlockedSet();
        deadlocks = groupDeadlocks();
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

    /** @return the number of tasks */
    int size() {
        return tasks.length;
    }

    /** For every future some future waits for by record (gather, task group), the futures it waits for. */
    private static Map<Future<?>, List<Future<?>>> childrenOfWaiters(Task<?>[] tasks) {
        Map<Future<?>, List<Future<?>>> children = new IdentityHashMap<>();
        Map<Future<?>, Boolean> seen = new IdentityHashMap<>();
        ArrayList<Future<?>> todo = new ArrayList<>(Arrays.asList(tasks));
        for (int k = 0; k < todo.size(); k++) {
            for (Future<?> waiter : todo.get(k).awaitedBy()) {
                children.computeIfAbsent(waiter, x -> new ArrayList<>()).add(todo.get(k));
                if (!(waiter instanceof Task<?>) && seen.put(waiter, Boolean.TRUE) == null) {
                    todo.add(waiter);
                }
            }
        }
        return children;
    }

    /**
     * The tasks awaiting {@code f}, looking through futures that wait without a task; what
     * such a future resolves to is kept in {@code resolved}, as a gather of a million tasks
     * is awaited by all of them. {@code onPath} guards against a cycle of such futures.
     */
    private static int[] resolveAwaiters(Future<?> f, Map<Future<?>, Integer> index, Map<Future<?>, int[]> resolved,
            Map<Future<?>, Boolean> onPath) {
        List<Future<?>> waiters = f.awaitedBy();
        if (waiters.isEmpty()) {
            return NONE;
        }
        Set<Integer> out = new LinkedHashSet<>();
        for (Future<?> waiter : waiters) {
            Integer i = index.get(waiter);
            if (i != null) {
                out.add(i);
                continue;
            }
            int[] through = resolved.get(waiter);
            if (through == null && onPath.put(waiter, Boolean.TRUE) == null) {
                through = resolveAwaiters(waiter, index, resolved, onPath);
                resolved.put(waiter, through);
                onPath.remove(waiter);
            }
            if (through != null && waiters.size() == 1) {
                return through; // the common case (a gather's child): share the gather's array
            }
            for (int t : through == null ? NONE : through) {
                out.add(t);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** @return for each node, the nodes whose lists name it */
    private static int[][] reverse(int[][] lists) {
        int n = lists.length;
        int[] count = new int[n];
        for (int[] l : lists) {
            for (int j : l) {
                count[j]++;
            }
        }
        int[][] out = new int[n][];
        for (int j = 0; j < n; j++) {
            out[j] = count[j] == 0 ? NONE : new int[count[j]];
            count[j] = 0;
        }
        for (int i = 0; i < n; i++) {
            for (int j : lists[i]) {
                out[j][count[j]++] = i;
            }
        }
        return out;
    }

    /** Who could wake task {@code self}, suspended on {@code w}; null if something outside the tasks may. */
    private Wakers wakersOf(int self, Future<?> w, Map<Future<?>, Integer> index,
            Map<Future<?>, List<Future<?>>> children) {
        if (w == null || w.done()) {
            return null;
        }
        if (w instanceof Task<?>) {
            Integer i = index.get(w);
            return i == null ? null : new Wakers("awaits", new int[] {i}, false);
        }
        ParkingLot lot = ParkingLot.lotOf(w);
        if (lot != null) {
            if (lot.synchronizer() instanceof Lock lock) {
                Integer holder = lock.owner() == null ? null : index.get(lock.owner());
                if (holder == null || holder == self) {
                    return null;
                }
                return new Wakers("waits for " + lock + " held by", new int[] {holder}, false);
            }
            if (lot.synchronizer() instanceof Queue<?> q) {
                // any task may get, put or call taskDone(); a callback rarely does
                return new Wakers("waits on " + q + ", which only another task could move:", NONE, true);
            }
            return null;
        }
        BitSet kids = new BitSet();
        for (Future<?> child : childTasks(w, children)) {
            Integer i = index.get(child);
            if (i != null) {
                kids.set(i);
            }
        }
        if (!kids.isEmpty()) {
            return new Wakers("waits for " + describe(w) + " of", kids.stream().toArray(), false);
        }
        Origin origin = Origin.of(w);
        Task<?> creator = origin == null ? null : origin.creator();
        Integer c = creator == null ? null : index.get(creator);
        if (c == null || c == self) {
            return null;
        }
        return new Wakers("waits for " + describe(w) + " (" + origin + ") created by", new int[] {c}, false);
    }

    /** The tasks under {@code f} through futures that wait without a task (a gather of gathers). */
    private static List<Future<?>> childTasks(Future<?> f, Map<Future<?>, List<Future<?>>> children) {
        List<Future<?>> out = new ArrayList<>();
        Map<Future<?>, Boolean> seen = new IdentityHashMap<>();
        ArrayList<Future<?>> todo = new ArrayList<>(List.of(f));
        for (int k = 0; k < todo.size(); k++) {
            for (Future<?> child : children.getOrDefault(todo.get(k), List.of())) {
                if (child instanceof Task<?>) {
                    out.add(child);
                } else if (seen.put(child, Boolean.TRUE) == null) {
                    todo.add(child);
                }
            }
        }
        return out;
    }

    /** Removes, transitively, every task with a waker outside the set (see the class comment). */
    private BitSet deadlockedSet() {
        int n = tasks.length;
        BitSet set = new BitSet(n);
        int[][] needs = new int[n][];
        for (int i = 0; i < n; i++) {
            needs[i] = wakers[i] == null ? NONE : wakers[i].tasks();
            if (wakers[i] != null) {
                set.set(i);
            }
        }
        int[][] neededBy = reverse(needs);
        int[] todo = new int[n];
        int top = 0;
        boolean anyOut = set.cardinality() < n;
        for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1)) {
            boolean out = wakers[i].anyOther() && anyOut;
            for (int j : needs[i]) {
                out |= !set.get(j);
            }
            if (out) {
                todo[top++] = i;
            }
        }
        for (int k = 0; k < top; k++) {
            set.clear(todo[k]);
        }
        boolean anyOthersGone = false;
        while (top > 0) {
            int gone = todo[--top];
            for (int i : neededBy[gone]) {
                if (set.get(i)) {
                    set.clear(i);
                    todo[top++] = i;
                }
            }
            if (!anyOthersGone) {
                anyOthersGone = true; // a task outside the set now: whoever needs any other task goes
                for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1)) {
                    if (wakers[i].anyOther()) {
                        set.clear(i);
                        todo[top++] = i;
                    }
                }
            }
        }
        return set;
    }

    /** Groups the deadlocked tasks that wait for each other (union-find over their wakers). */
    private List<Deadlock> groupDeadlocks() {
        int n = tasks.length;
        int[] parent = new int[n];
        int anyOtherRoot = -1;
        for (int i = deadlocked.nextSetBit(0); i >= 0; i = deadlocked.nextSetBit(i + 1)) {
            parent[i] = i;
        }
        for (int i = deadlocked.nextSetBit(0); i >= 0; i = deadlocked.nextSetBit(i + 1)) {
            for (int j : wakers[i].tasks()) {
                union(parent, i, j);
            }
            if (wakers[i].anyOther()) {
                anyOtherRoot = anyOtherRoot < 0 ? i : anyOtherRoot;
            }
        }
        if (anyOtherRoot >= 0) {
            // a task that any other task could wake is deadlocked only with every other task
            for (int i = deadlocked.nextSetBit(0); i >= 0; i = deadlocked.nextSetBit(i + 1)) {
                union(parent, anyOtherRoot, i);
            }
        }
        Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = deadlocked.nextSetBit(0); i >= 0; i = deadlocked.nextSetBit(i + 1)) {
            groups.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(i);
        }
        List<Deadlock> out = new ArrayList<>();
        for (List<Integer> group : groups.values()) {
            List<String> names = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            for (int i : group) {
                names.add(tasks[i].getName());
                lines.add(waitLine(i, group));
            }
            out.add(new Deadlock(names, lines));
        }
        return out;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        parent[find(parent, a)] = find(parent, b);
    }

    /** @return e.g. {@code Task(name='a', ...) waits for <Lock [locked]> held by Task(name='b', ...)} */
    private String waitLine(int i, List<Integer> group) {
        Wakers w = wakers[i];
        StringBuilder sb = new StringBuilder(label(tasks[i]));
        List<Integer> who = new ArrayList<>();
        if (w.anyOther()) {
            for (int j : group) {
                if (j != i) {
                    who.add(j);
                }
            }
        } else {
            for (int j : w.tasks()) {
                who.add(j);
            }
        }
        if (who.isEmpty()) {
            return sb.append(' ').append(describe(waitingOn[i])).append(": no other task could wake it").toString();
        }
        sb.append(' ').append(w.reason());
        String sep = " ";
        for (int k = 0; k < Math.min(who.size(), NAMED_WAKERS); k++) {
            sb.append(sep).append(label(tasks[who.get(k)]));
            sep = ", ";
        }
        if (who.size() > NAMED_WAKERS) {
            sb.append(" and ").append(who.size() - NAMED_WAKERS).append(" more");
        }
        return sb.toString();
    }

    /**
     * @param task a task
     * @return {@code Task(name='...', id=0x...)}
     */
    static String label(Task<?> task) {
        return "Task(name='" + task.getName() + "', id=" + idOf(task) + ")";
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
