package org.asyncio4j.testing;

import static org.asyncio4j.Errors.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.loop.EventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link VirtualClock}: the clock that moves only when the loop is idle or when told to. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VirtualClockTest {

    @Test
    void itStartsAtZeroOrAtTheTimeGiven() {
        assertEquals(0.0, new VirtualClock().time());
        assertEquals(100.5, new VirtualClock(100.5).time());
        assertThrowsWith(IllegalArgumentException.class, () -> new VirtualClock(Double.NaN), "finite");
        assertThrowsWith(IllegalArgumentException.class, () -> new VirtualClock(Double.POSITIVE_INFINITY), "finite");
    }

    @Test
    void advanceMovesItForwardOnlyAndRejectsBadAmounts() {
        VirtualClock c = new VirtualClock();
        c.advance(1.5);
        c.advance(Duration.ofMillis(500));
        c.advance(0);
        assertEquals(2.0, c.time());
        assertThrowsWith(IllegalArgumentException.class, () -> c.advance(-1), "never goes back");
        assertThrowsWith(IllegalArgumentException.class, () -> c.advance(Double.NaN), "NaN");
        assertThrowsWith(IllegalArgumentException.class, () -> c.advance(Double.POSITIVE_INFINITY), "Infinity");
        assertThrowsWith(IllegalArgumentException.class, () -> c.advance(Duration.ofSeconds(-1)), "PT-1S");
        assertEquals(2.0, c.time());
    }

    @Test
    void whenTheLoopIsIdleItJumpsToTheNextTimerAndAsksForNoRealWait() {
        VirtualClock c = new VirtualClock();
        assertEquals(0.0, c.idle(5));
        assertEquals(5.0, c.time());
        assertEquals(1, c.jumps());
        assertEquals(Double.POSITIVE_INFINITY, c.idle(Double.POSITIVE_INFINITY), "nothing scheduled: wait for real");
        assertEquals(5.0, c.time());
        assertEquals(1, c.jumps());
    }

    @Test
    void aLoopOnTheClockSleepsAnHourInNoTime() {
        VirtualClock c = new VirtualClock();
        long start = System.nanoTime();
        try (EventLoop loop = new EventLoop(c)) {
            loop.runUntilComplete(loop.createTask(() -> AsyncIO.sleep(3600)));
        }
        assertEquals(3600.0, c.time());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
    }

    @Test
    void timersRunInDueOrderAtTheirOwnTimesAcrossJumps() {
        VirtualClock c = new VirtualClock();
        List<String> log = new ArrayList<>();
        try (EventLoop loop = new EventLoop(c)) {
            loop.callLater(3, () -> log.add("a@" + c.time()));
            loop.callLater(1, () -> log.add("b@" + c.time()));
            loop.callLater(2, () -> log.add("c@" + c.time()));
            loop.callLater(2, () -> log.add("d@" + c.time()));
            loop.callLater(3.5, loop::stop);
            loop.runForever();
        }
        assertEquals(List.of("b@1.0", "c@2.0", "d@2.0", "a@3.0"), log);
        assertEquals(3.5, c.time());
        assertEquals(4, c.jumps());
    }

    @Test
    void toStringShowsTheTime() {
        VirtualClock c = new VirtualClock(2);
        assertEquals("<VirtualClock time=2.0 jumps=0>", c.toString());
    }
}
