package org.asyncio4j.debug;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Set;
import java.util.TreeSet;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * {@code bin/asyncio4j ps <pid>} and {@code bin/asyncio4j pstree <pid>}: the tasks of every
 * event loop of another JVM (asyncio 3.14's {@code python -m asyncio ps} and
 * {@code pstree}). {@code ps} prints one line per task, {@code pstree} the tree of who
 * awaits whom with each task's frames, and the deadlocks.
 *
 * <p>How: the JDK's attach API ({@code jdk.attach}) asks the target JVM to start its local
 * JMX agent, and the tool reads the {@link EventLoopMXBean}s that {@link LoopMBeans}
 * registered there. The target needs no flag, as with {@code jcmd}: only the same user, and
 * no {@code -XX:+DisableAttachMechanism}. asyncio reads the other process's memory instead;
 * a JVM answers for itself, so the dump is consistent (taken on each loop's thread).
 */
public final class ProcessView {
    private static final String USAGE = "usage: asyncio4j ps <pid> | asyncio4j pstree <pid>";

    private ProcessView() {
    }

    /**
     * Runs the tool and exits with its status.
     *
     * @param args {@code ps <pid>} or {@code pstree <pid>}
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the tool.
     *
     * @param args {@code ps <pid>} or {@code pstree <pid>}
     * @param out where the dump goes
     * @param err where errors go
     * @return 0 on success, 1 if the process could not be read, 2 on bad arguments
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2 || !(args[0].equals("ps") || args[0].equals("pstree")) || !args[1].matches("\\d+")) {
            err.println(USAGE);
            return 2;
        }
        String pid = args[1];
        boolean tree = args[0].equals("pstree");
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(pid);
        } catch (AttachNotSupportedException | IOException e) {
            err.println("asyncio4j: cannot attach to process " + pid + ": " + e.getMessage() + ". It must be a running "
                    + "JVM of the same user, started without -XX:+DisableAttachMechanism.");
            return 1;
        }
        try {
            String address = vm.startLocalManagementAgent();
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                return print(connector.getMBeanServerConnection(), pid, tree, out, err);
            }
        } catch (IOException | JMException e) {
            err.println("asyncio4j: cannot read the event loops of process " + pid + ": " + e);
            return 1;
        } finally {
            try {
                vm.detach();
            } catch (IOException e) {
                // the target went away: nothing to release
            }
        }
    }

    private static int print(MBeanServerConnection server, String pid, boolean tree, PrintStream out, PrintStream err)
            throws IOException, JMException {
        Set<ObjectName> loops = new TreeSet<>(server.queryNames(new ObjectName("org.asyncio4j:type=EventLoop,*"), null));
        if (loops.isEmpty()) {
            err.println("asyncio4j: process " + pid + " has no asyncio4j event loop (no org.asyncio4j:type=EventLoop "
                    + "MBean): it does not use the library, no loop has run yet, or it runs with -Dasyncio4j.jmx=false");
            return 1;
        }
        for (ObjectName loop : loops) {
            out.println("event loop " + loop.getKeyProperty("id") + " (thread "
                    + server.getAttribute(loop, "ThreadName") + ", iterations " + server.getAttribute(loop, "Iterations")
                    + ", tasks alive " + server.getAttribute(loop, "TasksAlive") + ", ready "
                    + server.getAttribute(loop, "ReadyQueueLength") + ")");
            out.print(server.invoke(loop, tree ? "dumpTree" : "dumpTasks", null, null));
            out.println();
        }
        return 0;
    }
}
