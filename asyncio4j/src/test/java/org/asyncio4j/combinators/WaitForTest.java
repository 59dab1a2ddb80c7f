package org.asyncio4j.combinators;

import static org.asyncio4j.combinators.Running.now;
import static org.asyncio4j.combinators.Running.loop;
import static org.asyncio4j.Errors.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.Steps;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.ContextVar;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import org.asyncio4j.future.TimeoutError;
import org.asyncio4j.testing.VirtualTimeLoop;
import org.junit.jupiter.api.Test;

/** {@code AsyncIO.waitFor} (asyncio's {@code asyncio.wait_for}, Python 3.12 semantics). */
@org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS)
class WaitForTest {

    @Test
    void returnsTheResultWhenTheFutureCompletesInTime() {
        VirtualTimeLoop.runMain(() -> {
            Task<String> t = AsyncIO.createTask(() -> AsyncIO.sleep(1, "ok"));
            assertEquals("ok", AsyncIO.waitFor(t, 2));
            assertEquals(1.0, now());
            assertEquals("ok", AsyncIO.waitFor(AsyncIO.createTask(() -> AsyncIO.sleep(1, "ok")), Duration.ofSeconds(5)));
        });
    }

    @Test
    void theDocumentedEternityExampleTimesOutAfterOneSecond() {
        VirtualTimeLoop.runMain(() -> {
            // asyncio docs: async def eternity(): await asyncio.sleep(3600)
            //               await asyncio.wait_for(eternity(), timeout=1.0)  -> TimeoutError
            assertThrows(TimeoutError.class, () -> AsyncIO.waitFor(() -> AsyncIO.sleep(3600, "yay!"), 1.0));
            assertEquals(1.0, now());
        });
    }

    @Test
    void theFuturesExceptionIsRethrownUnchanged() {
        VirtualTimeLoop.runMain(() -> {
            IOException io = new IOException("boom");
            Task<String> t = AsyncIO.createTask(() -> {
                AsyncIO.sleep(1);
                throw io;
            });
            assertSame(io, assertThrows(IOException.class, () -> AsyncIO.waitFor(t, 5)));
        });
    }

    @Test
    void onTimeoutTheTaskIsCancelledAndWaitedForThenTimeoutErrorIsRaised() {
        Steps s = new Steps();
        VirtualTimeLoop.runMain(() -> {
            Task<String> slow = AsyncIO.createTask(() -> {
                try {
                    return AsyncIO.sleep(60, "too late");
                } catch (CancelledError e) {
                    s.expect(1);
                    AsyncIO.sleep(1); // its cleanup takes a second
                    s.expect(2);
                    throw e;
                }
            });
            TimeoutError e = assertThrows(TimeoutError.class, () -> AsyncIO.waitFor(slow, 5));
            s.finish(3);
            assertInstanceOf(CancelledError.class, e.getCause());
            assertTrue(slow.cancelled(), "the task is not running any more when waitFor returns");
            assertEquals(6.0, now());
            assertEquals(0, AsyncIO.currentTask().cancelling());
        });
    }

    @Test
    void aResultArrivingInTheSameIterationAsTheTimeoutIsReturned() {
        VirtualTimeLoop.runMain(() -> {
            Future<String> f = loop().createFuture();
            // due together with the deadline and scheduled before it: the result comes first
            loop().callLater(5, () -> f.setResult("just in time"));
            assertEquals("just in time", AsyncIO.waitFor(f, 5));
            assertFalse(f.cancelled());
            assertEquals(0, AsyncIO.currentTask().cancelling());
            AsyncIO.sleep(1); // no cancellation left behind
        });
    }

    @Test
    void anExceptionArrivingInTheSameIterationAsTheTimeoutIsRaised() {
        VirtualTimeLoop.runMain(() -> {
            IOException io = new IOException("failed just in time");
            Future<String> f = loop().createFuture();
            loop().callLater(5, () -> f.setException(io));
            assertSame(io, assertThrows(IOException.class, () -> AsyncIO.waitFor(f, 5)));
        });
    }

    @Test
    void aTimeoutThatFiresFirstInTheIterationCancelsAPlainFutureAndRaises() {
        VirtualTimeLoop.runMain(() -> {
            Future<String> f = loop().createFuture();
            // scheduled by a task that runs once waitFor has set its deadline: due together, runs after it
            AsyncIO.createTask(() -> {
                loop().callLater(5, () -> {
                    if (!f.done()) {
                        f.setResult("too late");
                    }
                });
            });
            assertThrows(TimeoutError.class, () -> AsyncIO.waitFor(f, 5));
            assertTrue(f.cancelled());
            assertEquals(5.0, now());
        });
    }

    @Test
    void aTaskThatCatchesTheCancellationAndReturnsAValueMakesWaitForReturnIt() {
        VirtualTimeLoop.runMain(() -> {
            Task<String> stubborn = AsyncIO.createTask(() -> {
                try {
                    AsyncIO.sleep(60);
                    return "finished";
                } catch (CancelledError e) {
                    AsyncIO.sleep(1);
                    return "partial";
                }
            });
            assertEquals("partial", AsyncIO.waitFor(stubborn, 5));
            assertEquals(6.0, now());
            assertEquals(0, AsyncIO.currentTask().cancelling());
        });
    }

    @Test
    void cancellingTheTaskBlockedInWaitForCancelsTheInnerTaskAndRaisesCancelledError() {
        VirtualTimeLoop.runMain(() -> {
            Task<String> inner = AsyncIO.createTask(() -> AsyncIO.sleep(60, "inner"));
            Task<String> outer = AsyncIO.createTask(() -> AsyncIO.waitFor(inner, 10));
            AsyncIO.sleep(1);
            outer.cancel();
            assertThrows(CancelledError.class, outer::await, "never TimeoutError");
            assertTrue(outer.cancelled());
            assertTrue(inner.cancelled());
            assertEquals(1.0, now());
        });
    }

    @Test
    void aCancellationArrivingWithTheResultPropagatesAndTheFutureKeepsItsResult() {
        VirtualTimeLoop.runMain(() -> {
            Future<String> f = loop().createFuture();
            Task<String> outer = AsyncIO.createTask(() -> AsyncIO.waitFor(f, 10));
            AsyncIO.sleep(0);
            loop().callLater(1, () -> {
                f.setResult("arrived");
                outer.cancel(); // same iteration: outer is woken by both
            });
            assertThrows(CancelledError.class, outer::await);
            assertEquals("arrived", f.result(), "the future is not cancelled after the fact");
            assertFalse(f.cancelled());
        });
    }

    @Test
    void aZeroTimeoutReturnsTheResultOfAFutureThatIsAlreadyDone() {
        VirtualTimeLoop.runMain(() -> {
            Future<String> f = loop().createFuture();
            f.setResult("ready");
            assertEquals("ready", AsyncIO.waitFor(f, 0));
            assertEquals("ready", AsyncIO.waitFor(f, -1));
        });
    }

    @Test
    void aZeroOrNegativeTimeoutCancelsAPendingFutureWaitsForItAndRaises() {
        VirtualTimeLoop.runMain(() -> {
            for (double timeout : new double[] {0, -3}) {
                Task<String> t = AsyncIO.createTask(() -> AsyncIO.sleep(1, "x"));
                TimeoutError e = assertThrows(TimeoutError.class, () -> AsyncIO.waitFor(t, timeout));
                assertInstanceOf(CancelledError.class, e.getCause());
                assertTrue(t.cancelled());
            }
            assertEquals(0.0, now());
        });
    }

    @Test
    void aZeroTimeoutReturnsTheResultOfATaskThatFinishesDespiteTheCancellation() {
        VirtualTimeLoop.runMain(() -> {
            Task<String> stubborn = AsyncIO.createTask(() -> {
                try {
                    return AsyncIO.sleep(1, "normal");
                } catch (CancelledError e) {
                    return "despite it";
                }
            });
            AsyncIO.sleep(0); // let it start
            assertEquals("despite it", AsyncIO.waitFor(stubborn, 0));
        });
    }

    @Test
    void aZeroTimeoutOnACoroutineNeverRunsIt() {
        VirtualTimeLoop.runMain(() -> {
            boolean[] ran = new boolean[1];
            assertThrows(TimeoutError.class, () -> AsyncIO.waitFor(() -> {
                ran[0] = true;
                return 1;
            }, 0));
            assertFalse(ran[0]);
        });
    }

    @Test
    void anInfiniteTimeoutWaitsAsLongAsItTakes() {
        VirtualTimeLoop.runMain(() -> {
            Task<String> t = AsyncIO.createTask(() -> AsyncIO.sleep(1e6, "eventually"));
            assertEquals("eventually", AsyncIO.waitFor(t, Double.POSITIVE_INFINITY));
            assertEquals(42, AsyncIO.waitFor(() -> 42, Double.POSITIVE_INFINITY));
        });
    }

    @Test
    void aCoroutineRunsInTheCallingTaskUnderTheDeadline() {
        ContextVar<String> user = new ContextVar<>("user");
        VirtualTimeLoop.runMain(() -> {
            Task<?> self = AsyncIO.currentTask();
            String r = AsyncIO.waitFor(() -> {
                assertSame(self, AsyncIO.currentTask(), "no task is created for the coroutine");
                user.set("ada");
                return AsyncIO.sleep(1, "done");
            }, 5);
            assertEquals("done", r);
            assertEquals("ada", user.get(null), "it ran in the caller's context");
            assertThrows(TimeoutError.class, () -> AsyncIO.waitFor(() -> AsyncIO.sleep(10), 2));
            assertEquals(3.0, now());
        });
    }

    @Test
    void shieldingTheFutureKeepsItRunningPastTheTimeout() {
        VirtualTimeLoop.runMain(() -> {
            Task<String> t = AsyncIO.createTask(() -> AsyncIO.sleep(10, "survived"));
            assertThrows(TimeoutError.class, () -> AsyncIO.waitFor(AsyncIO.shield(t), 1));
            assertFalse(t.done());
            assertEquals("survived", t.await());
            assertEquals(10.0, now());
        });
    }

    @Test
    void badInputIsRejectedWithAClearError() {
        VirtualTimeLoop.runMain(() -> {
            Future<String> f = loop().createFuture();
            assertThrowsWith(IllegalArgumentException.class, () -> AsyncIO.waitFor(f, Double.NaN), "timeout", "NaN");
            assertThrowsWith(IllegalArgumentException.class, () -> AsyncIO.waitFor(() -> 1, Double.NaN), "timeout", "NaN");
            assertThrowsWith(NullPointerException.class, () -> AsyncIO.waitFor((Future<String>) null, 1), "fut");
        });
        try (VirtualTimeLoop vt = new VirtualTimeLoop()) {
            Future<String> f = vt.loop().createFuture();
            assertThrowsWith(IllegalStateException.class, () -> AsyncIO.waitFor(f, 1), "waitFor()", "inside a task");
        }
    }
}
