package org.asyncio4j.debug;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.Task;
import org.asyncio4j.sync.Event;

/**
 * The JVM {@link ProcessViewTest} looks at: with {@code loop [N]}, a loop whose task
 * "parent" awaits "worker", parked on an event, beside N tasks "idle-i" parked on it too;
 * prints {@code ready} once its JMX view is registered, then waits until its standard input
 * closes. With {@code blocked} instead of {@code loop}, it waits so on the loop's thread,
 * which then answers nothing. Without an argument it uses no loop at all and never loads
 * the library's classes: a process without the library.
 */
final class ObservedProgram {
    private ObservedProgram() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.out.println("ready");
            System.in.read();
            return;
        }
        AsyncIO.run(() -> {
            Event never = new Event();
            Task<Object> worker = AsyncIO.createTask(() -> {
                never.await();
                return null;
            }, "worker");
            AsyncIO.createTask(() -> worker.await(), "parent");
            int idle = args.length > 1 ? Integer.parseInt(args[1]) : 0;
            for (int i = 0; i < idle; i++) {
                AsyncIO.createTask(() -> {
                    never.await();
                    return null;
                }, "idle-" + i);
            }
            ObjectName views = new ObjectName("org.asyncio4j:type=EventLoop,*");
            while (ManagementFactory.getPlatformMBeanServer().queryNames(views, null).isEmpty()) {
                AsyncIO.sleep(0.01); // registered off the loop thread, soon after the first run
            }
            System.out.println("ready");
            if (args[0].equals("blocked")) {
                System.in.read(); // holds the loop's thread on purpose
            } else {
                AsyncIO.toThread(() -> System.in.read());
            }
        });
    }
}
