package org.asyncio4j.process;

import static java.nio.charset.StandardCharsets.UTF_8;

import org.asyncio4j.AsyncIO;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.stream.StreamReader;
import org.asyncio4j.stream.StreamWriter;

/**
 * The child JVM of {@link SignalsTest}: handles SIGTERM and SIGUSR1 on its loop, echoes
 * stdin through {@link Stdio}, and lets Ctrl-C cancel its main task. Prints a marker line
 * at each step. With the argument {@code stubborn}, its cleanup never ends, so only a
 * second SIGINT stops it.
 */
public final class SignalProgram {
    private SignalProgram() {
    }

    static void say(String marker) {
        System.out.println(marker);
        System.out.flush();
    }

    /**
     * @param args {@code normal} or {@code stubborn}
     */
    public static void main(String[] args) throws Exception {
        boolean stubborn = args.length > 0 && args[0].equals("stubborn");
        try {
            AsyncIO.run(() -> {
                EventLoop loop = EventLoop.getRunningLoop();
                AsyncIO.addSignalHandler(Signal.SIGTERM, () -> {
                    loop.checkThread("the SIGTERM handler");
                    say("TERM on loop " + (EventLoop.peekRunningLoop() == loop));
                });
                AsyncIO.addSignalHandler(Signal.SIGUSR1, () -> say("USR1"));
                StreamReader in = Stdio.stdinReader();
                StreamWriter out = Stdio.stdoutWriter();
                say("READY");
                try {
                    for (byte[] line : in.lines()) {
                        out.write(("ECHO " + new String(line, UTF_8)).getBytes(UTF_8));
                        out.drain();
                    }
                    AsyncIO.sleep(3600);
                } finally {
                    if (stubborn) {
                        say("UNWINDING");
                        AsyncIO.sleep(3600);
                    }
                    say("CLEANUP");
                }
            });
        } catch (KeyboardInterrupt e) {
            say("KEYBOARD-INTERRUPT");
            System.exit(KeyboardInterrupt.EXIT_STATUS);
        }
    }
}
