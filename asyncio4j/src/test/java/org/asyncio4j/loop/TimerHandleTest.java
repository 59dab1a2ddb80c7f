package org.asyncio4j.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.asyncio4j.LoopFixture;
import org.asyncio4j.ManualClock;
import org.asyncio4j.future.ContextVar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link TimerHandle}: when, cancel, and the loop's lazy removal of cancelled timers (heap
 * rebuild when they are the majority). Runs on a {@link ManualClock}, so it is exact and
 * takes no real time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TimerHandleTest extends LoopFixture {
    /** The loop's clock: it moves only when the loop waits for a timer or a test advances it. */
    private final ManualClock clock = (ManualClock) loop.clock();

    TimerHandleTest() {
        super(new ManualClock());
    }

    /** Runs the loop until loop time {@code when}. */
    private void runUntil(double when) {
        loop.callAt(when, loop::stop);
        loop.runForever();
    }

    /** The number of timers in the heap, cancelled ones included, as the loop's repr shows it. */
    private int timersInHeap() {
        Matcher m = Pattern.compile("timers=(\\d+)").matcher(loop.toString());
        assertTrue(m.find(), loop.toString());
        return Integer.parseInt(m.group(1));
    }

    @Test
    void whenIsTheLoopTimeTheTimerIsDueAt() {
        clock.advance(100);
        assertEquals(105.5, loop.callAt(105.5, () -> { }).when());
        assertEquals(102, loop.callLater(2, () -> { }).when());
        assertEquals(100.25, loop.callLater(Duration.ofMillis(250), () -> { }).when());
    }

    @Test
    void aCancelledTimerNeverRunsAndTheOthersDo() {
        List<String> ran = new ArrayList<>();
        TimerHandle a = loop.callLater(1, () -> ran.add("a"));
        loop.callLater(2, () -> ran.add("b"));
        assertFalse(a.cancelled());
        a.cancel();
        a.cancel(); // idempotent
        assertTrue(a.cancelled());
        assertTrue(a.toString().contains("cancelled"), a.toString());
        runUntil(3);
        assertEquals(List.of("b"), ran);
    }

    @Test
    void aTimerCancelledByAnEarlierTimerOfTheSameIterationDoesNotRun() {
        List<String> ran = new ArrayList<>();
        TimerHandle[] second = new TimerHandle[1];
        loop.callAt(1, () -> {
            ran.add("first");
            second[0].cancel();
        });
        second[0] = loop.callAt(1, () -> ran.add("second"));
        runUntil(2);
        assertEquals(List.of("first"), ran);
    }

    @Test
    void cancellingATimerThatAlreadyRanHasNoEffect() {
        List<String> ran = new ArrayList<>();
        TimerHandle t = loop.callAt(1, () -> ran.add("ran"));
        runUntil(2);
        t.cancel();
        assertTrue(t.cancelled());
        loop.callAt(3, () -> ran.add("later"));
        runUntil(4);
        assertEquals(List.of("ran", "later"), ran);
        assertEquals(0, timersInHeap());
    }

    @Test
    void aFewCancelledTimersAreDroppedLazilyFromTheTopOfTheHeap() {
        List<TimerHandle> timers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            timers.add(loop.callAt(1000 + i, () -> { }));
        }
        for (int i = 0; i < 10; i++) {
            timers.get(i).cancel(); // the ten earliest: the top of the heap
        }
        timers.get(50).cancel(); // one in the middle stays until it reaches the top
        assertEquals(100, timersInHeap(), "cancel() alone removes nothing");
        runOnce();
        assertEquals(90, timersInHeap());
    }

    @Test
    void whenCancelledTimersAreTheMajorityTheHeapIsRebuiltAndTheRestRunInOrder() {
        List<Integer> ran = new ArrayList<>();
        List<TimerHandle> timers = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int n = i;
            timers.add(loop.callAt(1000 + i, () -> ran.add(n)));
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            if (i % 10 == 3) {
                expected.add(i);
            } else {
                timers.get(i).cancel();
            }
        }
        runOnce();
        assertEquals(100, timersInHeap(), "900 of 1000 timers cancelled: the heap should be rebuilt without them");
        assertEquals(List.of(), ran);
        runUntil(3000);
        assertEquals(expected, ran);
        assertEquals(0, timersInHeap());
    }

    /** A timer a property test scheduled: its id (its scheduling order) and due time. */
    private record Timer(int id, double when) { }

    /** The ids of the timers not cancelled, in the order the loop must run them. */
    private static List<Integer> whenThenSchedulingOrder(List<Timer> specs, Set<Integer> cancelled) {
        return specs.stream()
                .filter(s -> !cancelled.contains(s.id()))
                .sorted(Comparator.comparingDouble(Timer::when).thenComparingInt(Timer::id))
                .map(Timer::id)
                .toList();
    }

    /** A property test of the heap under cancellation, with many equal due times. */
    @Test
    void randomTimersWithRandomCancellationsRunInWhenThenSchedulingOrder() {
        Random random = new Random(42);
        List<Timer> specs = new ArrayList<>();
        List<Integer> ran = new ArrayList<>();
        List<TimerHandle> handles = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            Timer spec = new Timer(i, 1 + random.nextInt(200));
            specs.add(spec);
            handles.add(loop.callAt(spec.when(), () -> ran.add(spec.id())));
        }
        Set<Integer> cancelled = new HashSet<>();
        // cancel 60% now, in random order
        for (int i = 0; i < 1800; i++) {
            int id = random.nextInt(3000);
            handles.get(id).cancel();
            cancelled.add(id);
        }
        // and some more from a timer half-way through (only later ones can still be stopped)
        List<Integer> midRun = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int id = random.nextInt(3000);
            if (specs.get(id).when() > 100.5) {
                midRun.add(id);
            }
        }
        loop.callAt(100.5, () -> midRun.forEach(id -> handles.get(id).cancel()));
        cancelled.addAll(midRun);
        runUntil(300);
        assertEquals(whenThenSchedulingOrder(specs, cancelled), ran);
        assertEquals(0, timersInHeap());
    }

    /**
     * The heap's runs (timers scheduled in ascending order chain behind one heap entry): runs
     * of random length with equal due times inside, broken by descending ones, then
     * cancellations of heads, middles and ends of runs, a rebuild, and timers added as others
     * fire: everything runs in (when, scheduling) order.
     */
    @Test
    void timersScheduledInAscendingRunsRunInWhenThenSchedulingOrderThroughCancellationsAndRebuilds() {
        Random random = new Random(11);
        List<Timer> specs = new ArrayList<>();
        List<Integer> ran = new ArrayList<>();
        List<TimerHandle> handles = new ArrayList<>();
        for (int r = 0; r < 300; r++) {
            double when = 1 + random.nextInt(100);
            for (int k = 1 + random.nextInt(40); k > 0; k--) {
                when += random.nextInt(3);   // 0: an equal due time, later in scheduling order
                Timer spec = new Timer(specs.size(), when);
                specs.add(spec);
                handles.add(loop.callAt(when, () -> ran.add(spec.id())));
            }
        }
        int n = specs.size();
        assertEquals(n, loop.scheduledHandles().size(), "a timer in a run is missing from scheduledHandles()");
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(i);
        }
        java.util.Collections.shuffle(ids, random);
        Set<Integer> cancelled = new HashSet<>(ids.subList(0, n * 6 / 10));
        cancelled.forEach(id -> handles.get(id).cancel());
        runOnce();   // the majority is cancelled: this iteration rebuilds the heap without them
        assertEquals(n - cancelled.size(), timersInHeap());
        loop.callAt(0.5, () -> {
            // after the rebuild: more ascending timers, and cancellations of later ones
            for (int i = 0; i < 500; i++) {
                Timer spec = new Timer(specs.size(), 60 + i / 7);
                specs.add(spec);
                handles.add(loop.callAt(spec.when(), () -> ran.add(spec.id())));
            }
            for (int i = 0; i < 300; i++) {
                int id = random.nextInt(specs.size());
                handles.get(id).cancel();
                cancelled.add(id);
            }
        });
        runUntil(1e6);
        assertEquals(whenThenSchedulingOrder(specs, cancelled), ran);
        assertEquals(0, timersInHeap());
    }

    @Test
    void aTimerScheduledAfterARunRanToItsEndStillRuns() {
        List<Integer> ran = new ArrayList<>();
        TimerHandle far = loop.callAt(1000, loop::stop);   // keeps the heap from emptying
        for (int i = 1; i <= 10; i++) {   // ascending: they chain as a run
            int n = i;
            loop.callAt(i, () -> ran.add(n));
        }
        runUntil(15);   // the stop timer extends the run, and is its last timer
        loop.callAt(20, () -> ran.add(20));   // after the whole run fired: a new heap entry
        loop.callAt(21, () -> ran.add(21));
        runUntil(30);
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 21), ran);
        assertEquals(30.0, loop.time(), "the loop stopped at another timer than its own");
        far.cancel();
        runOnce();
        assertEquals(0, timersInHeap());
    }

    /** A timer the chained test scheduled: its scheduling order and due time. */
    private record Scheduled(int seq, double when) { }

    /** Schedules a timer that, when it runs, schedules up to two more 1-50 s later, until {@code limit} in all. */
    private void scheduleChained(double when, Random random, List<Scheduled> scheduled, List<Integer> ran, int limit) {
        int seq = scheduled.size();
        scheduled.add(new Scheduled(seq, when));
        loop.callAt(when, () -> {
            ran.add(seq);
            for (int k = random.nextInt(3); k > 0 && scheduled.size() < limit; k--) {
                scheduleChained(loop.time() + 1 + random.nextInt(50), random, scheduled, ran, limit);
            }
        });
    }

    @Test
    void timersScheduledAsOthersFireRunInWhenThenSchedulingOrderWhileTheHeapGrowsAndReusesSlots() {
        Random random = new Random(7);
        List<Scheduled> scheduled = new ArrayList<>();
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            scheduleChained(1 + random.nextInt(100), random, scheduled, ran, 20_000);
        }
        runUntil(1e6);
        // a timer only schedules timers due later than itself, so the whole run is one order
        List<Integer> expected = scheduled.stream()
                .sorted(Comparator.comparingDouble(Scheduled::when).thenComparingInt(Scheduled::seq))
                .map(Scheduled::seq)
                .toList();
        assertEquals(20_000, scheduled.size());
        assertEquals(expected, ran);
        assertEquals(0, timersInHeap());
    }

    @Test
    void aTimerRunsInTheContextCapturedWhenItWasScheduled() {
        ContextVar<String> var = new ContextVar<>("timer-test", "none");
        List<String> seen = new ArrayList<>();
        org.asyncio4j.future.Context ctx = org.asyncio4j.future.Context.copyContext();
        ctx.run(() -> {
            var.set("scheduler's");
            loop.callLater(1, () -> seen.add(var.get()));
        });
        runUntil(2);
        assertEquals(List.of("scheduler's"), seen);
    }
}
