package org.asyncio4j.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.management.MBeanServerFactory;
import org.asyncio4j.AsyncIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LoopMBeansTest {

    /**
     * Runs a loop that ends at once, lets the JMX registrar finish, and prints whether an
     * MBean server exists: a fresh JVM, since the test JVM may have built one already.
     */
    static final class ShortProgram {
        public static void main(String[] args) throws Exception {
            AsyncIO.run(() -> 42);
            LoopMBeans.awaitRegistrar();
            System.out.println(MBeanServerFactory.findMBeanServer(null).isEmpty() ? "no MBean server" : "MBean server");
        }
    }

    @Test
    void aLoopThatClosesInItsFirstSecondNeverBuildsThePlatformMBeanServer() throws Exception {
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ShortProgram.class.getName()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("no MBean server", r.readLine());
        assertEquals(0, p.waitFor());
    }
}
