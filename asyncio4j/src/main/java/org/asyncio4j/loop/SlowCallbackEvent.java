package org.asyncio4j.loop;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * The JFR event of a slow callback in debug mode: the same callbacks the loop logs as
 * "Executing ... took N seconds" (asyncio's slow-callback warning). Its duration is the
 * callback's. In the kernel because the loop times callbacks itself, only in debug mode.
 */
@Name("org.asyncio4j.SlowCallback")
@Label("Slow Callback")
@Category("asyncio4j")
@Description("A callback or task step that ran longer than the loop's slowCallbackDuration, in debug mode")
final class SlowCallbackEvent extends jdk.jfr.Event {
    @Label("Callback")
    @Description("The handle, or the task whose step it was")
    String callback;
}
