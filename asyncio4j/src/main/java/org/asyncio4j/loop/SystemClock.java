package org.asyncio4j.loop;

/** {@link Clock#system()}: {@link System#nanoTime()} in seconds. */
final class SystemClock implements Clock {
    static final SystemClock INSTANCE = new SystemClock();

    private SystemClock() {
    }

    @Override
    public double time() {
        return System.nanoTime() * 1e-9;
    }

    @Override
    public String toString() {
        return "Clock.system()";
    }
}
