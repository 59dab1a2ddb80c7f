package org.asyncio4j.debug;

import java.util.List;

/**
 * A group of suspended tasks that only each other could wake, as {@link TaskDump} finds
 * them (asyncio has no counterpart). See {@link TaskDump#deadlocks} for which waits count.
 *
 * @param tasks the names of the tasks in the group
 * @param waits one line per task: what it waits for and which tasks of the group could
 *     wake it, e.g. {@code Task(name='a', id=0x1f) waits for <Lock [locked]> held by
 *     Task(name='b', id=0x2e)}
 */
public record Deadlock(List<String> tasks, List<String> waits) {
    /** Copies the lists. */
    public Deadlock {
        tasks = List.copyOf(tasks);
        waits = List.copyOf(waits);
    }

    @Override
    public String toString() {
        return "Deadlock: " + String.join("; ", waits);
    }
}
