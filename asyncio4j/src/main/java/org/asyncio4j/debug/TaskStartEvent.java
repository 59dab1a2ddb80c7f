package org.asyncio4j.debug;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * The JFR event of a task made on a loop, committed by {@link TaskEvents}. Disabled by
 * default (a busy program starts millions of tasks): enable {@code org.asyncio4j.TaskStart}
 * in the recording's settings. Its thread is the loop's; its stack trace, when the settings
 * keep one, shows the code that created the task.
 */
@Name("org.asyncio4j.TaskStart")
@Label("Task Start")
@Category("asyncio4j")
@Description("A task was created on an event loop; its first step has not run yet")
@Enabled(false)
final class TaskStartEvent extends jdk.jfr.Event {
    @Label("Task")
    @Description("The task's name")
    String task;

    @Label("Task Id")
    @Description("The task's identity, as the task dumps and bin/asyncio4j ps show it")
    String taskId;

    @Label("Parent")
    @Description("The name of the task that created it, or empty when no task was running")
    String parent;
}
