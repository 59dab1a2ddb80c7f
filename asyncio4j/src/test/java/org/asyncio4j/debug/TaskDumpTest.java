package org.asyncio4j.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.queue.Queue;
import org.asyncio4j.sync.Event;
import org.asyncio4j.sync.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TaskDumpTest {

    /** Runs {@code setup} as a task until the loop has nothing left to run, then hands the stopped loop to {@code check}. */
    private static void withStuckLoop(boolean debug, Runnable setup, java.util.function.Consumer<EventLoop> check) {
        EventLoop loop = new EventLoop();
        loop.setDebug(debug);
        loop.setExceptionHandler((l, context) -> { });
        try {
            loop.runUntilComplete(loop.createTask(() -> {
                setup.run();
                for (int i = 0; i < 5; i++) {
                    AsyncIO.sleep(0);
                }
            }));
            check.accept(loop);
        } finally {
            // the deadlocked tasks stay pending: close() drops them without resuming them
            loop.close();
        }
    }

    private static String dumpOf(EventLoop loop) {
        StringBuilder sb = new StringBuilder();
        try {
            TaskDump.dump(loop, sb);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return sb.toString();
    }

    @Test
    void twoTasksAwaitingEachOtherAreADeadlock() {
        Task<?>[] b = new Task<?>[1];
        withStuckLoop(false, () -> {
            EventLoop loop = AsyncIO.getRunningLoop();
            Task<Object> a = loop.createTask(() -> b[0].await(), "a");
            b[0] = loop.createTask(() -> a.await(), "b");
        }, loop -> {
            List<Deadlock> found = TaskDump.deadlocks(loop);
            assertEquals(1, found.size(), found::toString);
            assertEquals(Set.of("a", "b"), Set.copyOf(found.get(0).tasks()));
            String text = dumpOf(loop);
            assertTrue(text.contains("Deadlock: these tasks can only be woken by each other:"), text);
            assertTrue(text.contains("Task(name='a', id=") && text.contains(" awaits Task(name='b'"), text);
            assertTrue(text.contains("(shown above: the await chain is a cycle)"), text);
        });
    }

    @Test
    void aLockHeldByATaskThatAwaitsAFutureTheWaiterCreatedIsADeadlockInDebugMode() {
        withStuckLoop(true, this::lockAndFuture, loop -> {
            List<Deadlock> found = TaskDump.deadlocks(loop);
            assertEquals(1, found.size(), found::toString);
            assertEquals(Set.of("first", "holder"), Set.copyOf(found.get(0).tasks()));
            String text = String.join("\n", found.get(0).waits());
            assertTrue(text.contains("waits for <Lock [locked, waiters:1]> held by Task(name='holder'"), text);
            assertTrue(text.contains("created by Task(name='first'"), text);
        });
    }

    @Test
    void withoutDebugModeTheCreatorOfAFutureIsUnknownSoNothingIsReported() {
        withStuckLoop(false, this::lockAndFuture, loop -> assertEquals(List.of(), TaskDump.deadlocks(loop)));
    }

    /** "holder" takes the lock and awaits a future that "first" makes, then waits for the lock. */
    private void lockAndFuture() {
        EventLoop loop = AsyncIO.getRunningLoop();
        Lock lock = new Lock();
        @SuppressWarnings("unchecked")
        Future<Void>[] promise = new Future[1];
        Event made = new Event();
        loop.createTask(() -> {
            lock.acquire();
            made.await();
            promise[0].await();
            lock.release();
            return null;
        }, "holder");
        loop.createTask(() -> {
            promise[0] = loop.createFuture();
            made.set();
            lock.acquire(); // then it would complete the promise
            promise[0].setResult(null);
            return null;
        }, "first");
    }

    @Test
    void aQueueJoinNobodyCanFinishIsADeadlock() {
        withStuckLoop(false, () -> {
            EventLoop loop = AsyncIO.getRunningLoop();
            Queue<String> q = new Queue<>();
            Lock lock = new Lock();
            loop.createTask(() -> {
                lock.acquire();
                q.put("job");
                q.join(); // the consumer needs the lock to finish the job
                return null;
            }, "producer");
            loop.createTask(() -> {
                q.get();
                lock.acquire();
                q.taskDone();
                return null;
            }, "consumer");
        }, loop -> {
            List<Deadlock> found = TaskDump.deadlocks(loop);
            assertEquals(1, found.size(), found::toString);
            assertEquals(Set.of("producer", "consumer"), Set.copyOf(found.get(0).tasks()));
            assertTrue(String.join("\n", found.get(0).waits()).contains("waits on <Queue"), found::toString);
        });
    }

    @Test
    void aQueueJoinWithNoOtherTaskIsADeadlockByItself() {
        withStuckLoop(false, () -> AsyncIO.getRunningLoop().createTask(() -> {
            Queue<String> q = new Queue<>();
            q.putNowait("job");
            q.join();
            return null;
        }, "alone"), loop -> {
            List<Deadlock> found = TaskDump.deadlocks(loop);
            assertEquals(List.of("alone"), found.get(0).tasks());
            assertTrue(found.get(0).waits().get(0).contains("no other task could wake it"), found::toString);
        });
    }

    @Test
    void anEventWaitIsNeverADeadlockSinceAnythingMaySetIt() {
        withStuckLoop(false, () -> AsyncIO.getRunningLoop().createTask(() -> {
            new Event().await();
            return null;
        }, "waiter"), loop -> assertEquals(List.of(), TaskDump.deadlocks(loop)));
    }

    @Test
    void manyTasksWaitingOnOneQueueAreOneDeadlockFoundInLinearTime() {
        int n = 20_000; // "every other task" for each of them was n * n wakers: 400 million
        withStuckLoop(false, () -> {
            Queue<String> q = new Queue<>();
            for (int i = 0; i < n; i++) {
                AsyncIO.createTask(() -> q.get(), "consumer-" + i);
            }
        }, loop -> {
            List<Deadlock> found = TaskDump.deadlocks(loop);
            assertEquals(1, found.size());
            assertEquals(n, found.get(0).tasks().size());
            assertTrue(found.get(0).waits().get(0).endsWith(" and " + (n - 1 - 10) + " more"), found.get(0).waits()::toString);
        });
    }

    @Test
    void aTaskThatFinishesDuringTheDumpSaysSo() {
        Event go = new Event();
        Task<?>[] quick = new Task<?>[1];
        withStuckLoop(false, () -> {
            quick[0] = AsyncIO.createTask(() -> {
                go.await();
                return null;
            }, "quick");
            AsyncIO.createTask(() -> {
                new Event().await();
                return null;
            }, "stays");
        }, loop -> {
            TaskDumpReader reader = new TaskDumpReader(loop, true, TaskDump.DEFAULT_TIMEOUT);
            loop.callSoon(go::set);
            loop.runUntilComplete(quick[0]);
            StringBuilder sb = new StringBuilder();
            for (String piece = reader.next(); piece != null; piece = reader.next()) {
                sb.append(piece);
            }
            String text = sb.toString();
            assertTrue(text.contains("* Task(name='quick', id=" + WaitGraph.idOf(quick[0]) + ") finished during the dump"),
                    text);
            assertTrue(text.contains("* Task(name='stays'") && text.contains("suspended waiting for <Event"), text);
        });
    }

    @Test
    void theDumpOfManyTasksComesInPiecesOfAtMostOneBatchEach() {
        int batch = 100;
        int n = 3 * batch + 10;
        withStuckLoop(false, () -> {
            Event never = new Event();
            for (int i = 0; i < n; i++) {
                AsyncIO.createTask(() -> {
                    never.await();
                    return null;
                }, "waiter-" + i);
            }
        }, loop -> {
            TaskDumpReader reader = new TaskDumpReader(loop, false, TaskDump.DEFAULT_TIMEOUT, batch);
            List<String> pieces = new java.util.ArrayList<>();
            for (String piece = reader.next(); piece != null; piece = reader.next()) {
                pieces.add(piece);
            }
            assertTrue(pieces.get(0).startsWith("task id "), pieces.get(0));
            assertTrue(pieces.size() >= 1 + 4, "a header, then pieces of at most a batch of tasks each: " + pieces.size());
            for (String piece : pieces) {
                assertTrue(piece.lines().count() <= batch, piece);
            }
            assertEquals(n, pieces.stream().flatMap(String::lines).filter(l -> l.contains(" waiter-")).count());
        });
    }

    @Test
    void aLongAwaitChainIsDumpedWithoutRecursionAndBoundedIndentation() {
        int n = 10_000;
        withStuckLoop(false, () -> {
            Event never = new Event();
            Task<Object> next = AsyncIO.createTask(() -> {
                never.await();
                return null;
            }, "link-0");
            for (int i = 1; i < n; i++) {
                Task<Object> awaited = next;
                next = AsyncIO.createTask(() -> awaited.await(), "link-" + i);
            }
        }, loop -> {
            String text = dumpOf(loop);
            assertTrue(text.startsWith("* Task(name='link-" + (n - 1) + "'"), text.substring(0, 200));
            assertTrue(text.contains("(depth " + (n - 1) + ") * Task(name='link-0'"), "the deepest line says its depth");
            assertTrue(text.lines().allMatch(l -> l.length() < 400), "indentation stops growing");
        });
    }

    @Test
    void aTaskAwaitedByTwoIsShownOnceWithFramesThenAsShownAbove() {
        withStuckLoop(false, () -> {
            Event never = new Event();
            Task<Object> shared = AsyncIO.createTask(() -> {
                never.await();
                return null;
            }, "shared");
            AsyncIO.createTask(() -> shared.await(), "one");
            AsyncIO.createTask(() -> shared.await(), "two");
        }, loop -> {
            String text = dumpOf(loop);
            assertEquals(2, text.split("\\* Task\\(name='shared'", -1).length - 1, text);
            assertTrue(text.contains(" (shown above)") && !text.contains("cycle"), text);
        });
    }

    @Test
    void aSleepingTaskIsShownAsSleeping() throws Exception {
        AsyncIO.run(() -> {
            Task<Object> napper = AsyncIO.createTask(() -> {
                AsyncIO.sleep(3600);
                return null;
            }, "napper");
            AsyncIO.sleep(0);
            StringBuilder table = new StringBuilder();
            TaskDump.table(AsyncIO.getRunningLoop(), table);
            assertTrue(table.toString().lines().anyMatch(l -> l.contains(" napper ") && l.contains(" sleeping ")),
                    table::toString);
            assertTrue(table.toString().lines().anyMatch(l -> l.contains(" running ")), table::toString);
            napper.cancel();
        });
    }

    @Test
    void theTreeShowsWhoAwaitsWhomWithFrames() throws Exception {
        AsyncIO.run(() -> {
            Event e = new Event();
            Task<Object> leaf = AsyncIO.createTask(() -> {
                e.await();
                return null;
            }, "leaf");
            Task<Object> mid = AsyncIO.createTask(() -> leaf.await(), "mid");
            AsyncIO.sleep(0);
            String text = dumpOf(AsyncIO.getRunningLoop());
            int midAt = text.indexOf("* Task(name='mid'");
            int leafAt = text.indexOf("   * Task(name='leaf'");
            assertTrue(midAt >= 0 && leafAt > midAt, text);
            assertTrue(text.contains("waiting for <Event [unset, waiters:1]>"), text);
            assertTrue(text.contains("|   at " + Event.class.getName() + ".await"), text);
            StringBuilder table = new StringBuilder();
            TaskDump.table(AsyncIO.getRunningLoop(), table);
            assertTrue(table.toString().lines().anyMatch(l -> l.contains(" leaf ") && l.endsWith("mid")), table::toString);
            e.set();
            mid.await();
        });
    }

    @Test
    void fromAnotherThreadTheDumpIsTakenOnTheLoopThread() throws Exception {
        EventLoop loop = new EventLoop();
        CountDownLatch running = new CountDownLatch(1);
        Thread t = Thread.ofPlatform().start(() -> loop.runUntilComplete(loop.createTask(() -> {
            Event never = new Event();
            loop.createTask(() -> {
                never.await();
                return null;
            }, "sleeper");
            running.countDown();
            AsyncIO.sleep(30);
        })));
        try {
            running.await();
            StringBuilder sb = new StringBuilder();
            TaskDump.dump(loop, sb, Duration.ofSeconds(30));
            assertTrue(sb.toString().contains("* Task(name='sleeper'"), sb::toString);
        } finally {
            loop.callSoonThreadsafe(loop::stop);
            t.join();
            loop.close();
        }
    }

    @Test
    void aLoopThatDoesNotAnswerFailsWithItsStack() throws Exception {
        EventLoop loop = new EventLoop();
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread t = Thread.ofPlatform().start(() -> loop.runUntilComplete(loop.createTask(() -> {
            blocked.countDown();
            release.await(); // blocks the loop on purpose
        })));
        try {
            blocked.await();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> TaskDump.dump(loop, new StringBuilder(), Duration.ofMillis(50)));
            assertTrue(e.getMessage().contains("did not answer within 50 ms") && e.getMessage().contains("CountDownLatch"),
                    e.getMessage());
        } finally {
            release.countDown();
            t.join();
            loop.close();
        }
    }
}
