package org.asyncio4j.debug;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.JMRuntimeException;
import javax.management.JMX;
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
 * a JVM answers for itself, so the dump is consistent (taken on each loop's thread). The
 * dump comes in pieces of a few hundred tasks, printed as they come, so a million tasks
 * are never one string on either side.
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
        Set<ObjectName> loops = new TreeSet<>(
                Comparator.comparingLong(ProcessView::loopNumber).thenComparing(Comparator.naturalOrder()));
        loops.addAll(findLoops(server));
        if (loops.isEmpty()) {
            err.println("asyncio4j: process " + pid + " has no asyncio4j event loop (no org.asyncio4j:type=EventLoop "
                    + "MBean): it does not use the library, no loop has run yet, or it runs with -Dasyncio4j.jmx=false");
            return 1;
        }
        int status = 0;
        for (ObjectName loop : loops) {
            EventLoopMXBean view = JMX.newMXBeanProxy(server, loop, EventLoopMXBean.class);
            try {
                out.println("event loop " + loopNumber(loop) + " (thread " + view.getThreadName() + ", iterations "
                        + view.getIterations() + ", tasks alive " + view.getTasksAlive() + ", ready "
                        + view.getReadyQueueLength() + String.format(", %.1f s in select, %.1f s in callbacks)",
                        view.getSelectSeconds(), view.getCallbackSeconds()));
                copyDump(view, tree, out);
                out.println();
            } catch (RuntimeException e) {
                // the loop closed meanwhile, or does not answer (the message then shows what holds it)
                out.flush();
                err.println("asyncio4j: cannot read event loop " + loopNumber(loop) + " of process " + pid + ": "
                        + reason(e));
                status = 1;
            }
        }
        return status;
    }

    /**
     * The loops' views. A target whose platform MBean server the agent has just built
     * registers them within one of {@link LoopMBeans}' polls, so an empty answer is asked
     * again, at that period, for up to half a second before it counts.
     */
    private static Set<ObjectName> findLoops(MBeanServerConnection server) throws IOException, JMException {
        ObjectName pattern = new ObjectName("org.asyncio4j:type=EventLoop,*");
        Set<ObjectName> found = server.queryNames(pattern, null);
        for (long waited = 0; waited < 500 && found.isEmpty(); waited += LoopMBeans.STARTUP_POLL_MILLIS) {
            try {
                Thread.sleep(LoopMBeans.STARTUP_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            found = server.queryNames(pattern, null);
        }
        return found;
    }

    /** Prints one dump as its pieces come. */
    private static void copyDump(EventLoopMXBean view, boolean tree, PrintStream out) {
        long dump = view.openDump(tree);
        boolean read = false;
        try {
            for (String piece = view.readDump(dump); piece != null; piece = view.readDump(dump)) {
                out.print(piece);
            }
            read = true;
        } finally {
            if (!read) {
                try {
                    view.closeDump(dump);
                } catch (RuntimeException e) {
                    // the loop or the connection is gone: nothing left to release
                }
            }
        }
    }

    private static long loopNumber(ObjectName loop) {
        String id = loop.getKeyProperty("id");
        return id != null && id.matches("\\d{1,18}") ? Long.parseLong(id) : Long.MAX_VALUE;
    }

    /** @return the message of what the target threw, out of JMX's and the proxy's wrappers */
    private static String reason(Throwable e) {
        Throwable t = e;
        while ((t instanceof JMRuntimeException || t instanceof UndeclaredThrowableException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof InstanceNotFoundException) {
            return "it closed";
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}
