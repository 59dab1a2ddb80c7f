package org.asyncio4j.examples;

import java.io.IOException;
import java.util.Arrays;

/**
 * The showcase's entry point ({@code ./showcase}, or {@code java -jar
 * examples/target/asyncio4j-examples.jar}):
 *
 * <pre>
 *   ./showcase [net] [clients] [round-trips]   a stream echo server and 5,000 client tasks on loopback
 *   ./showcase tasks [tasks] [naps]           a million tasks napping on timers
 * </pre>
 *
 * Both run on one thread, print progress every second or so and a summary at the end; see
 * {@link NetShowcase} and {@link TaskShowcase}.
 */
public final class Showcase {
    private Showcase() {
    }

    /**
     * @param args {@code net} (the default) or {@code tasks}, then that showcase's arguments
     */
    public static void main(String[] args) throws IOException {
        String which = args.length > 0 && !Character.isDigit(args[0].charAt(0)) ? args[0] : "net";
        String[] rest = args.length > 0 && args[0].equals(which) ? Arrays.copyOfRange(args, 1, args.length) : args;
        switch (which) {
            case "net" -> NetShowcase.main(rest);
            case "tasks" -> TaskShowcase.main(rest);
            default -> {
                System.err.println("usage: ./showcase [net] [clients] [round-trips] | ./showcase tasks [tasks] [naps]");
                System.exit(2);
            }
        }
    }
}
