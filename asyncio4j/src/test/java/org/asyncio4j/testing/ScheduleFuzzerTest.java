package org.asyncio4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.Coroutine;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.Handle;
import org.asyncio4j.loop.TimerHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ScheduleFuzzer} and the loop's wake-up hook: sound perturbations, replayable from a seed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScheduleFuzzerTest {

    /**
     * A check-then-act race across an await: two tasks look a key up and fetch it when it
     * is missing. B arrives two iterations after A and finds A's value only because A's
     * fetch answers within one iteration. Returns how many fetches were made (1 is right).
     */
    static int cacheRace() {
        EventLoop loop = AsyncIO.getRunningLoop();
        Map<String, String> cache = new HashMap<>();
        int[] fetches = {0};
        Coroutine<String> get = () -> {
            if (!cache.containsKey("k")) {
                Future<String> answer = loop.createFuture();
                loop.callSoon(() -> answer.setResult("v"));   // a fast server
                String v = answer.await();
                cache.put("k", v);
                fetches[0]++;
            }
            return cache.get("k");
        };
        Task<String> a = loop.createTask(get);
        Task<String> b = loop.createTask(() -> {
            AsyncIO.sleep(0);
            AsyncIO.sleep(0);
            return get.call();
        });
        AsyncIO.gather(a, b).await();
        return fetches[0];
    }

    private static int runCacheRace(Long seed) {
        try (VirtualTimeLoop vt = new VirtualTimeLoop()) {
            if (seed != null) {
                ScheduleFuzzer.install(vt.loop(), seed);
            }
            return vt.run(ScheduleFuzzerTest::cacheRace);
        }
    }

    @Test
    void aPlainRunNeverShowsTheCacheRace() {
        for (int i = 0; i < 20; i++) {
            assertEquals(1, runCacheRace(null));
        }
    }

    @Test
    void fuzzingFindsTheCacheRaceWithin100SeedsAndTheSeedReplaysIt() {
        Long failing = null;
        for (long seed = 1; seed <= 100 && failing == null; seed++) {
            if (runCacheRace(seed) != 1) {
                failing = seed;
            }
        }
        assertTrue(failing != null, "no seed in 1..100 exposed the race");
        for (int i = 0; i < 5; i++) {
            assertEquals(2, runCacheRace(failing), "seed " + failing + " replays the race");
        }
    }

    /** What each task saw at each step, for comparing two runs of one seed. */
    private static List<String> trace(long seed) {
        try (VirtualTimeLoop vt = new VirtualTimeLoop()) {
            ScheduleFuzzer.install(vt.loop(), seed);
            List<String> log = new ArrayList<>();
            vt.run(() -> {
                EventLoop loop = AsyncIO.getRunningLoop();
                List<Future<Integer>> fs = new ArrayList<>();
                List<Task<Void>> tasks = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    Future<Integer> f = loop.createFuture();
                    fs.add(f);
                    int n = i;
                    tasks.add(loop.createTask(() -> {
                        log.add(n + ":" + f.await());
                        AsyncIO.sleep(0.001 * (n % 3));
                        log.add(n + " after sleep at " + loop.time());
                    }));
                }
                AsyncIO.sleep(0);
                for (int i = 0; i < fs.size(); i++) {
                    fs.get(i).setResult(i);
                }
                AsyncIO.gather(tasks).await();
            });
            return log;
        }
    }

    @Test
    void theSameSeedGivesTheSameScheduleAndSeedsDiffer() {
        assertEquals(trace(7), trace(7));
        boolean someDiffer = false;
        for (long seed = 1; seed <= 20 && !someDiffer; seed++) {
            someDiffer = !trace(seed).equals(trace(seed + 1));
        }
        assertTrue(someDiffer, "20 seeds gave one single schedule");
    }

    @Test
    void tasksWokenByTheSameFutureResumeInTheOrderTheyWaited() {
        for (long seed = 1; seed <= 100; seed++) {
            long s = seed;
            try (VirtualTimeLoop vt = new VirtualTimeLoop()) {
                ScheduleFuzzer fuzzer = ScheduleFuzzer.install(vt.loop(), seed);
                List<Integer> order = vt.run(() -> {
                    EventLoop loop = AsyncIO.getRunningLoop();
                    Future<Void> gate = loop.createFuture();
                    List<Integer> out = new ArrayList<>();
                    List<Task<Void>> tasks = new ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        int n = i;
                        tasks.add(loop.createTask(() -> {
                            gate.await();
                            out.add(n);
                        }));
                    }
                    AsyncIO.sleep(0);
                    gate.setResult(null);
                    AsyncIO.gather(tasks).await();
                    return out;
                });
                assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), order, "seed " + s);
                assertTrue(fuzzer.wakeUps() >= 8, fuzzer.toString());
            }
        }
    }

    @Test
    void callSoonStaysFifoAndTimersKeepTheirOrderUnderFuzzing() {
        for (long seed = 1; seed <= 50; seed++) {
            try (VirtualTimeLoop vt = new VirtualTimeLoop()) {
                ScheduleFuzzer.install(vt.loop(), seed);
                List<String> log = vt.run(() -> {
                    EventLoop loop = AsyncIO.getRunningLoop();
                    List<String> out = new ArrayList<>();
                    for (int i = 0; i < 5; i++) {
                        int n = i;
                        loop.callSoon(() -> out.add("soon" + n));
                        loop.callLater(1 + i, () -> out.add("timer" + n));
                    }
                    AsyncIO.sleep(10);
                    return out;
                });
                assertEquals(List.of("soon0", "soon1", "soon2", "soon3", "soon4",
                        "timer0", "timer1", "timer2", "timer3", "timer4"), log, "seed " + seed);
            }
        }
    }

    @Test
    void aCancellationReachesADelayedTaskAtTheSameAwait() {
        for (long seed = 1; seed <= 30; seed++) {
            try (VirtualTimeLoop vt = new VirtualTimeLoop()) {
                ScheduleFuzzer.install(vt.loop(), seed);
                String outcome = vt.run(() -> {
                    EventLoop loop = AsyncIO.getRunningLoop();
                    Future<Void> f = loop.createFuture();
                    Task<String> t = loop.createTask(() -> {
                        try {
                            f.await();
                            return "resumed";
                        } catch (org.asyncio4j.future.CancelledError e) {
                            return "cancelled at the await";
                        }
                    });
                    AsyncIO.sleep(0);
                    f.setResult(null);
                    t.cancel();
                    return t.await();
                });
                assertEquals("cancelled at the await", outcome, "seed " + seed);
            }
        }
    }

    @Test
    void theHookIsUnsetByDefaultAndScheduledHandlesListsWhatIsWaiting() {
        try (VirtualTimeLoop vt = new VirtualTimeLoop()) {
            EventLoop loop = vt.loop();
            assertNull(loop.getWakeUpHook());
            Handle soon = loop.callSoon(() -> { });
            Handle gone = loop.callSoon(() -> { });
            gone.cancel();
            TimerHandle later = loop.callLater(5, () -> { });
            List<Handle> scheduled = loop.scheduledHandles();
            assertEquals(2, scheduled.size(), scheduled.toString());
            assertSame(soon, scheduled.get(0));
            assertSame(later, scheduled.get(1));
            later.cancel();
            vt.runUntilIdle();
            assertEquals(List.of(), loop.scheduledHandles());
            ScheduleFuzzer f = ScheduleFuzzer.install(loop, 3);
            assertSame(f, loop.getWakeUpHook());
            assertEquals(3, f.seed());
        }
    }
}
