package org.asyncio4j;

import static org.asyncio4j.Errors.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.asyncio4j.combinators.Timeout;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.queue.Queue;
import org.asyncio4j.sync.Barrier;
import org.asyncio4j.sync.BoundedSemaphore;
import org.asyncio4j.sync.Condition;
import org.asyncio4j.sync.Event;
import org.asyncio4j.sync.Lock;
import org.asyncio4j.sync.Semaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.function.Executable;

/**
 * Issue 7: a public method of a loop-bound object (future, task, synchronizer, queue,
 * timeout scope) called from another thread while the loop runs fails before it changes
 * anything, whether or not a task waits, and the message names callSoonThreadsafe; the
 * correct retry through callSoonThreadsafe then works.
 */
@org.junit.jupiter.api.Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
class ForeignThreadTest {

    /**
     * Runs {@code action} on a platform thread while the loop keeps running (the calling
     * task waits for it without blocking the loop) and asserts it was refused.
     */
    private static void refusedFromAnotherThread(Executable action) {
        Future<Throwable> outcome = AsyncIO.getRunningLoop().createFuture();
        EventLoop loop = AsyncIO.getRunningLoop();
        Thread.ofPlatform().name("foreign").start(() -> {
            Throwable t = Errors.caught(() -> assertThrowsWith(IllegalStateException.class, action,
                    "foreign", "callSoonThreadsafe", "nothing was changed"));
            loop.callSoonThreadsafe(() -> outcome.setResult(t));
        });
        Throwable failure = outcome.await();
        if (failure != null) {
            throw new AssertionError("the call from another thread was not refused as it should be", failure);
        }
    }

    private static void yieldTimes(int n) {
        for (int i = 0; i < n; i++) {
            AsyncIO.sleep(0);
        }
    }

    @Test
    void eventSetFromAnotherThreadChangesNothingAndTheThreadsafeRetryWakesTheWaiter() throws InterruptedException {
        AsyncIO.run(() -> {
            Event event = new Event();
            Task<Void> waiter = AsyncIO.createTask(event::await);
            yieldTimes(1);
            refusedFromAnotherThread(event::set);
            assertFalse(event.isSet());
            assertEquals(1, event.statistics().tasksWaiting());
            EventLoop loop = AsyncIO.getRunningLoop();
            Thread.ofPlatform().start(() -> loop.callSoonThreadsafe(event::set)).join();
            waiter.await();
            assertTrue(event.isSet());
        });
    }

    @Test
    void lockReleaseFromAnotherThreadLeavesItLockedWithItsWaiter() {
        AsyncIO.run(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<Void> waiter = AsyncIO.createTask(() -> {
                lock.acquire();
                lock.release();
            });
            yieldTimes(1);
            refusedFromAnotherThread(lock::release);
            assertEquals(new Lock.Statistics(true, 1), lock.statistics());
            lock.release();
            waiter.await();
            assertFalse(lock.locked());
        });
    }

    @Test
    void queuePutNowaitAndGetNowaitFromAnotherThreadNeitherStoreNorLose() {
        AsyncIO.run(() -> {
            Queue<String> queue = new Queue<>();
            Task<String> getter = AsyncIO.createTask(queue::get);
            yieldTimes(1);
            refusedFromAnotherThread(() -> queue.putNowait("x"));
            assertEquals(0, queue.qsize());
            assertEquals(1, queue.statistics().tasksWaitingGet());
            queue.putNowait("a");
            assertEquals("a", getter.await());
            queue.putNowait("b");
            refusedFromAnotherThread(queue::getNowait);
            assertEquals(1, queue.qsize());
            assertEquals("b", queue.getNowait());
        });
    }

    @Test
    void withNoTaskWaitingTheCallsAreRefusedToo() {
        AsyncIO.run(() -> {
            Event event = new Event();
            Queue<Integer> queue = new Queue<>();
            refusedFromAnotherThread(event::set);
            refusedFromAnotherThread(() -> queue.putNowait(1));
            assertFalse(event.isSet());
            assertTrue(queue.empty());
        });
    }

    @Test
    void anObjectMadeOutsideAnyLoopIsBoundByItsFirstUseAndThenChecked() {
        Event event = new Event();
        event.set();      // unbound: nothing to check against
        event.clear();
        AsyncIO.run(() -> {
            event.clear(); // binds it to this loop
            refusedFromAnotherThread(event::set);
            assertFalse(event.isSet());
        });
        AsyncIO.run(() -> {
            event.set();   // the first loop is gone: it binds to the new one
            assertTrue(event.isSet());
        });
    }

    /**
     * Every public mutator of sync, queue, future and combinators, from another thread
     * while a task waits on the object: each is refused and the object's state is unchanged.
     */
    @Test
    void everyPublicMutatorIsRefusedFromAnotherThreadAndChangesNothing() {
        AsyncIO.run(() -> {
            Map<String, Supplier<Object>> states = new LinkedHashMap<>();
            List<Executable> calls = new ArrayList<>();

            Event event = new Event();
            AsyncIO.createTask(event::await);
            states.put("event", event::toString);
            calls.add(event::set);
            calls.add(event::clear);

            Lock lock = new Lock();
            lock.acquire();
            AsyncIO.createTask(lock::acquire);
            states.put("lock", lock::toString);
            calls.add(lock::release);

            Condition condition = new Condition();
            AsyncIO.createTask(() -> {
                try (var held = condition.acquired()) {
                    condition.await();
                }
            });
            states.put("condition", condition::toString);
            calls.add(condition::release);

            Semaphore semaphore = new Semaphore(0);
            AsyncIO.createTask(semaphore::acquire);
            states.put("semaphore", semaphore::toString);
            calls.add(semaphore::release);

            BoundedSemaphore bounded = new BoundedSemaphore(1);
            bounded.acquire();
            AsyncIO.createTask(bounded::acquire);
            states.put("bounded", bounded::toString);
            calls.add(bounded::release);

            Barrier barrier = new Barrier(2);
            AsyncIO.createTask(barrier::await);
            states.put("barrier", barrier::toString);
            calls.add(barrier::reset);
            calls.add(barrier::abort);

            Queue<Integer> queue = new Queue<>(1);
            queue.putNowait(1);
            AsyncIO.createTask(() -> queue.put(2));
            Queue<Integer> empty = new Queue<>();
            AsyncIO.createTask(empty::get);
            states.put("queue", queue::toString);
            states.put("empty queue", empty::toString);
            calls.add(() -> empty.putNowait(3));
            calls.add(queue::getNowait);
            calls.add(queue::taskDone);
            calls.add(queue::shutdown);
            calls.add(() -> queue.shutdown(true));

            Future<String> future = AsyncIO.getRunningLoop().createFuture();
            AsyncIO.createTask(future::await);
            java.util.function.Consumer<Future<String>> callback = f -> { };
            future.addDoneCallback(callback);
            states.put("future", future::toString);
            calls.add(() -> future.setResult("x"));
            calls.add(() -> future.setException(new RuntimeException("x")));
            calls.add(future::cancel);
            calls.add(() -> future.addDoneCallback(f -> { }));
            calls.add(() -> future.removeDoneCallback(callback));

            Task<Void> task = AsyncIO.createTask(() -> AsyncIO.sleep(3600));
            states.put("task", () -> task + " cancelling=" + task.cancelling());
            calls.add(task::cancel);
            calls.add(task::uncancel);
            calls.add(() -> task.setName("renamed"));

            Future<List<Object>> gathered = AsyncIO.gather(false, List.of(AsyncIO.getRunningLoop().createFuture()));
            states.put("gather", gathered::toString);
            calls.add(gathered::cancel);

            Timeout scope = AsyncIO.timeout(3600);
            AsyncIO.createTask(() -> scope.run(() -> AsyncIO.sleep(3600)));
            states.put("timeout", scope::when);
            calls.add(() -> scope.reschedule(1));
            yieldTimes(2);
            Map<String, Object> before = snapshot(states);
            for (Executable call : calls) {
                refusedFromAnotherThread(call);
                assertEquals(before, snapshot(states), "a refused call changed something");
            }
            for (Task<?> t : AsyncIO.allTasks()) {
                if (t != AsyncIO.currentTask()) {
                    t.cancel();
                }
            }
        });
    }

    private static Map<String, Object> snapshot(Map<String, Supplier<Object>> states) {
        Map<String, Object> m = new LinkedHashMap<>();
        states.forEach((k, v) -> m.put(k, String.valueOf(v.get())));
        return m;
    }
}
