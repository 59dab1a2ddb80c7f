package org.asyncio4j.debug;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The JFR event of a task that is done, committed by {@link TaskEvents}. Disabled by
 * default, as {@link TaskStartEvent} is: enable {@code org.asyncio4j.TaskFinish} in the
 * recording's settings. It records no stack trace (it would show only the loop's own
 * frames).
 */
@Name("org.asyncio4j.TaskFinish")
@Label("Task Finish")
@Category("asyncio4j")
@Description("A task is done: it returned, threw or was cancelled")
@Enabled(false)
@StackTrace(false)
final class TaskFinishEvent extends jdk.jfr.Event {
    @Label("Task")
    @Description("The task's name")
    String task;

    @Label("Task Id")
    @Description("The task's identity, as the task dumps and bin/asyncio4j ps show it")
    String taskId;

    @Label("Outcome")
    @Description("result, exception or cancelled")
    String outcome;

    @Label("Exception")
    @Description("What the task threw (class and message), or empty")
    String exception;
}
