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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.Steps;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import org.asyncio4j.future.TimeoutError;
import org.asyncio4j.testing.VirtualTimeLoop;
import org.junit.jupiter.api.Test;

/** The {@link Timeout} scope: {@code AsyncIO.timeout}, {@code timeoutAt} (asyncio's {@code asyncio.timeout}). */
@org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimeoutTest {

    @Test
    void aBodyThatFinishesInTimeReturnsItsResultAndTheScopeIsNotExpired() {
        VirtualTimeLoop.runMain(() -> {
            Timeout cm = AsyncIO.timeout(10);
            String r = cm.run(() -> AsyncIO.sleep(3, "in time"));
            assertEquals("in time", r);
            assertFalse(cm.expired());
            assertEquals(3.0, now());
            assertEquals("<Timeout [finished]>", cm.toString());
        });
    }

    @Test
    void aOneHourTimeoutRaisesTimeoutErrorAfterExactlyOneHourOfVirtualTime() {
        long start = System.nanoTime();
        VirtualTimeLoop.runMain(() -> {
            Task<?> self = AsyncIO.currentTask();
            Timeout cm = AsyncIO.timeout(3600);
            TimeoutError e = assertThrows(TimeoutError.class, () -> cm.run(() -> AsyncIO.sleep(7200)));
            assertInstanceOf(CancelledError.class, e.getCause(), "the TimeoutError is raised from the CancelledError");
            assertTrue(cm.expired());
            assertEquals(3600.0, now());
            assertEquals(0, self.cancelling(), "the scope takes its cancellation request back");
            AsyncIO.sleep(1); // and the task is not cancelled any more
            assertEquals(3601.0, now());
        });
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "virtual time takes no real time");
    }

    @Test
    void theBodySeesCancelledErrorAndItsCleanupRunsBeforeTheTimeoutErrorIsRaised() {
        Steps s = new Steps();
        VirtualTimeLoop.runMain(() -> {
            s.expect(1);
            try {
                AsyncIO.timeout(1, () -> {
                    try {
                        s.expect(2);
                        AsyncIO.sleep(5);
                        s.unreached();
                    } catch (CancelledError e) {
                        s.expect(3);
                        AsyncIO.sleep(0.5); // cleanup may await
                        s.expect(4);
                        throw e;
                    }
                });
                s.unreached();
            } catch (TimeoutError e) {
                s.expect(5);
                assertEquals(1.5, now());
            }
            s.finish(6);
        });
    }

    @Test
    void theLambdaFormReturnsTheBodysValueAndAVoidBodyWorksToo() {
        VirtualTimeLoop.runMain(() -> {
            assertEquals(42, AsyncIO.timeout(1, () -> 42));
            AsyncIO.timeout(1, () -> AsyncIO.sleep(0.5));
            assertEquals(0.5, now());
            assertEquals("x", AsyncIO.timeout(Duration.ofSeconds(2)).run(() -> "x"));
        });
    }

    @Test
    void anInfiniteDelayNeverExpires() {
        VirtualTimeLoop.runMain(() -> {
            Timeout cm = AsyncIO.timeout(Double.POSITIVE_INFINITY);
            assertEquals(Double.POSITIVE_INFINITY, cm.when());
            cm.run(() -> {
                assertEquals("<Timeout [active] when=None>", cm.toString());
                AsyncIO.sleep(1e6);
            });
            assertFalse(cm.expired());
        });
    }

    @Test
    void aZeroOrNegativeDelayExpiresAtTheBodysFirstSuspension() {
        for (double delay : new double[] {0, -1, Double.NEGATIVE_INFINITY}) {
            Steps s = new Steps();
            VirtualTimeLoop.runMain(() -> {
                Timeout cm = AsyncIO.timeout(delay);
                assertThrows(TimeoutError.class, () -> cm.run(() -> {
                    s.expect(1); // the body starts
                    AsyncIO.sleep(1);
                    s.unreached();
                }));
                s.finish(2);
                assertTrue(cm.expired());
                assertEquals(0.0, now(), "expired at the next iteration, without waiting");
            });
        }
    }

    @Test
    void aBodyThatNeverSuspendsIsNotCancelledByADeadlineAlreadyPast() {
        VirtualTimeLoop.runMain(() -> {
            Timeout cm = AsyncIO.timeout(-5);
            assertEquals("done", cm.run(() -> "done"));
            assertFalse(cm.expired(), "the expiry callback never ran");
            AsyncIO.sleep(1); // no cancellation left behind
        });
    }

    @Test
    void anExitedScopeNeverCancelsTheTaskLater() {
        VirtualTimeLoop.runMain(() -> {
            AsyncIO.timeout(10, () -> AsyncIO.sleep(1));
            AsyncIO.sleep(100); // past the old deadline
            assertEquals(101.0, now());
            assertEquals(0, AsyncIO.currentTask().cancelling());
        });
    }

    @Test
    void timeoutAtTakesAnAbsoluteLoopTime() {
        VirtualTimeLoop.runMain(() -> {
            AsyncIO.sleep(10);
            Timeout cm = AsyncIO.timeoutAt(now() + 5);
            assertEquals(15.0, cm.when());
            assertThrows(TimeoutError.class, () -> cm.run(() -> AsyncIO.sleep(60)));
            assertEquals(15.0, now());
            assertEquals("v", AsyncIO.timeoutAt(now() + 1, () -> "v"));
            AsyncIO.timeoutAt(now() + 1, () -> AsyncIO.sleep(0.5));
            assertThrows(TimeoutError.class, () -> AsyncIO.timeoutAt(now() + 1, () -> AsyncIO.sleep(2)));
            assertEquals(16.5, now());
        });
    }

    @Test
    void rescheduleMovesTheDeadlineLaterOrEarlier() {
        VirtualTimeLoop.runMain(() -> {
            Timeout later = AsyncIO.timeout(1);
            later.run(() -> {
                later.reschedule(now() + 10);
                assertEquals(10.0, later.when());
                AsyncIO.sleep(5); // would have expired at 1
            });
            assertFalse(later.expired());
            assertEquals(5.0, now());

            Timeout earlier = AsyncIO.timeout(100);
            assertThrows(TimeoutError.class, () -> earlier.run(() -> {
                earlier.reschedule(now() + 2);
                AsyncIO.sleep(50);
            }));
            assertEquals(7.0, now());
        });
    }

    @Test
    void rescheduleToInfinityRemovesTheDeadlineAndToThePastExpiresAtOnce() {
        VirtualTimeLoop.runMain(() -> {
            Timeout none = AsyncIO.timeout(1);
            none.run(() -> {
                none.reschedule(Double.POSITIVE_INFINITY);
                AsyncIO.sleep(10);
            });
            assertFalse(none.expired());

            Timeout past = AsyncIO.timeout(100);
            assertThrows(TimeoutError.class, () -> past.run(() -> {
                past.reschedule(now() - 1);
                AsyncIO.sleep(1);
            }));
            assertEquals(10.0, now());
        });
    }

    @Test
    void rescheduleIsRefusedBeforeEntryAfterExpiryAndAfterExit() {
        VirtualTimeLoop.runMain(() -> {
            Timeout fresh = AsyncIO.timeout(1);
            assertThrowsWith(IllegalStateException.class, () -> fresh.reschedule(5), "not been entered");

            Timeout expired = AsyncIO.timeout(1);
            expired.run(() -> {
                try {
                    AsyncIO.sleep(2);
                } catch (CancelledError e) {
                    // expired: the deadline can no longer move, even inside the body
                    assertThrowsWith(IllegalStateException.class, () -> expired.reschedule(now() + 10), "expiring");
                }
            });
            assertThrowsWith(IllegalStateException.class, () -> expired.reschedule(now() + 10), "expired");

            Timeout exited = AsyncIO.timeout(1);
            exited.run(() -> { });
            assertThrowsWith(IllegalStateException.class, () -> exited.reschedule(now() + 10), "finished");
        });
    }

    @Test
    void aTimeoutIsUsedOnceAndReenteringItIsAnError() {
        VirtualTimeLoop.runMain(() -> {
            Timeout cm = AsyncIO.timeout(1);
            cm.run(() -> {
                assertThrowsWith(IllegalStateException.class, () -> cm.run(() -> { }), "already been entered");
            });
            assertThrowsWith(IllegalStateException.class, () -> cm.run(() -> { }), "already been entered");
        });
    }

    @Test
    void nanDelaysAndDeadlinesAreRejected() {
        VirtualTimeLoop.runMain(() -> {
            assertThrowsWith(IllegalArgumentException.class, () -> AsyncIO.timeout(Double.NaN), "NaN");
            assertThrowsWith(IllegalArgumentException.class, () -> AsyncIO.timeoutAt(Double.NaN), "NaN");
            assertThrowsWith(IllegalArgumentException.class, () -> AsyncIO.timeout(Double.NaN, () -> 1), "NaN");
            Timeout cm = AsyncIO.timeout(1);
            cm.run(() -> assertThrowsWith(IllegalArgumentException.class, () -> cm.reschedule(Double.NaN), "NaN"));
        });
    }

    @Test
    void usingATimeoutOutsideATaskIsAnError() {
        assertThrowsWith(IllegalStateException.class, () -> AsyncIO.timeout(1), "no running event loop");
        Timeout cm = new Timeout(5);
        assertThrowsWith(IllegalStateException.class, () -> cm.run(() -> { }), "inside a task");
        try (VirtualTimeLoop vt = new VirtualTimeLoop()) {
            Throwable[] inCallback = new Throwable[1];
            vt.loop().callSoon(() -> {
                try {
                    new Timeout(5).run(() -> { });
                } catch (Throwable t) {
                    inCallback[0] = t;
                }
            });
            vt.runUntilIdle();
            org.asyncio4j.Errors.assertError(IllegalStateException.class, inCallback[0], "Timeout.run()", "inside a task");
        }
    }

    @Test
    void aCancellationFromOutsidePropagatesAsCancelledErrorNotAsTimeout() {
        VirtualTimeLoop.runMain(() -> {
            Timeout[] cm = new Timeout[1];
            Task<Void> t = AsyncIO.createTask(() -> {
                cm[0] = AsyncIO.timeout(10);
                cm[0].run(() -> AsyncIO.sleep(20));
            });
            AsyncIO.sleep(1);
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            assertTrue(t.cancelled());
            assertFalse(cm[0].expired());
        });
    }

    @Test
    void anOuterCancellationInTheSameIterationAsTheExpiryWins() {
        VirtualTimeLoop.runMain(() -> {
            Task<?> self = AsyncIO.currentTask();
            // due at the same time as the scope's deadline, and scheduled before it: runs first
            loop().callLater(5, () -> self.cancel());
            Timeout cm = AsyncIO.timeout(5);
            assertThrows(CancelledError.class, () -> cm.run(() -> AsyncIO.sleep(10)));
            assertTrue(cm.expired());
            assertEquals(1, self.cancelling(), "the outer request stays counted");
            assertEquals(5.0, now());
            self.uncancel();
        });
    }

    @Test
    void anExpiryInTheSameIterationAsAnOuterCancellationStillLetsTheCancellationWin() {
        VirtualTimeLoop.runMain(() -> {
            Task<?> self = AsyncIO.currentTask();
            Timeout cm = AsyncIO.timeout(5);
            assertThrows(CancelledError.class, () -> cm.run(() -> {
                // scheduled after the scope's own timer: the expiry runs first this time
                loop().callLater(5, () -> self.cancel());
                AsyncIO.sleep(10);
            }));
            assertTrue(cm.expired());
            assertEquals(1, self.cancelling());
            self.uncancel();
        });
    }

    @Test
    void aBodyThatCatchesTheCancellationAndKeepsGoingEndsTheScopeNormally() {
        VirtualTimeLoop.runMain(() -> {
            Task<?> self = AsyncIO.currentTask();
            Timeout cm = AsyncIO.timeout(1);
            String r = cm.run(() -> {
                try {
                    AsyncIO.sleep(5);
                } catch (CancelledError swallowed) {
                    // keep going
                }
                AsyncIO.sleep(2);
                return "kept going";
            });
            assertEquals("kept going", r);
            assertTrue(cm.expired());
            assertEquals(3.0, now());
            assertEquals(0, self.cancelling());
            AsyncIO.sleep(1); // no cancellation is pending
        });
    }

    @Test
    void anotherExceptionAfterExpiryPropagatesWithATimeoutErrorAttached() {
        VirtualTimeLoop.runMain(() -> {
            IOException io = new IOException("cleanup failed");
            Timeout cm = AsyncIO.timeout(1);
            IOException e = assertThrows(IOException.class, () -> cm.run(() -> {
                try {
                    AsyncIO.sleep(5);
                } catch (CancelledError c) {
                    throw io;
                }
            }));
            assertSame(io, e);
            assertEquals(1, e.getSuppressed().length);
            assertInstanceOf(TimeoutError.class, e.getSuppressed()[0]);
        });
    }

    @Test
    void anExceptionOfABodyThatDidNotExpirePassesThroughUntouched() {
        VirtualTimeLoop.runMain(() -> {
            IOException io = new IOException("boom");
            IOException e = assertThrows(IOException.class, () -> AsyncIO.timeout(10, () -> {
                AsyncIO.sleep(1);
                throw io;
            }));
            assertSame(io, e);
            assertEquals(0, e.getSuppressed().length);
        });
    }

    @Test
    void theInnermostOfThreeNestedScopesExpiresAloneWhenItsDeadlineComesFirst() {
        VirtualTimeLoop.runMain(() -> {
            Timeout outer = AsyncIO.timeout(3);
            Timeout middle = AsyncIO.timeout(2);
            Timeout inner = AsyncIO.timeout(1);
            String r = outer.run(() -> middle.run(() -> {
                assertThrows(TimeoutError.class, () -> inner.run(() -> AsyncIO.sleep(10)));
                AsyncIO.sleep(0.5);
                return "middle went on";
            }));
            assertEquals("middle went on", r);
            assertEquals(List.of(true, false, false), List.of(inner.expired(), middle.expired(), outer.expired()));
            assertEquals(1.5, now());
        });
    }

    @Test
    void whenTheOutermostOfThreeNestedScopesExpiresOnlyItRaisesTimeoutError() {
        Steps s = new Steps();
        VirtualTimeLoop.runMain(() -> {
            Timeout outer = AsyncIO.timeout(1);
            Timeout middle = AsyncIO.timeout(2);
            Timeout inner = AsyncIO.timeout(3);
            TimeoutError e = assertThrows(TimeoutError.class, () -> outer.run(() -> {
                try {
                    middle.run(() -> {
                        try {
                            inner.run(() -> AsyncIO.sleep(10));
                        } catch (CancelledError c) {
                            s.expect(1); // the inner scope lets the outer scope's cancellation through
                            throw c;
                        }
                    });
                } catch (CancelledError c) {
                    s.expect(2);
                    throw c;
                }
            }));
            s.finish(3);
            assertInstanceOf(CancelledError.class, e.getCause());
            assertEquals(List.of(false, false, true), List.of(inner.expired(), middle.expired(), outer.expired()));
            assertEquals(1.0, now());
            assertEquals(0, AsyncIO.currentTask().cancelling());
        });
    }

    @Test
    void whenThreeNestedScopesExpireTogetherTheOutermostRaisesTimeoutError() {
        Steps s = new Steps();
        VirtualTimeLoop.runMain(() -> {
            Task<?> self = AsyncIO.currentTask();
            Timeout outer = AsyncIO.timeout(2);
            Timeout middle = AsyncIO.timeout(2);
            Timeout inner = AsyncIO.timeout(2);
            assertThrows(TimeoutError.class, () -> outer.run(() -> {
                try {
                    middle.run(() -> {
                        try {
                            inner.run(() -> AsyncIO.sleep(10));
                        } catch (CancelledError c) {
                            s.expect(1);
                            assertEquals(2, self.cancelling(), "two requests left: the middle's and the outer's");
                            throw c;
                        }
                    });
                } catch (CancelledError c) {
                    s.expect(2);
                    assertEquals(1, self.cancelling());
                    throw c;
                }
            }));
            s.finish(3);
            assertTrue(inner.expired() && middle.expired() && outer.expired());
            assertEquals(0, self.cancelling());
            AsyncIO.sleep(1); // nothing pending
        });
    }

    @Test
    void aScopeEnteredWhileTheTaskIsAlreadyBeingCancelledStillHandlesItsOwnExpiry() {
        VirtualTimeLoop.runMain(() -> {
            Task<?> self = AsyncIO.currentTask();
            loop().callSoon(() -> self.cancel());
            try {
                AsyncIO.sleep(1);
            } catch (CancelledError c) {
                // caught without uncancel(): one request stays counted
            }
            assertEquals(1, self.cancelling());
            assertThrows(TimeoutError.class, () -> AsyncIO.timeout(1, () -> AsyncIO.sleep(5)));
            assertEquals(1, self.cancelling());
            self.uncancel();
        });
    }

    @Test
    void aTaskBlockedInGatherInsideATimeoutHasTheChildrenCancelledAtExpiry() {
        VirtualTimeLoop.runMain(() -> {
            Task<String> a = AsyncIO.createTask(() -> AsyncIO.sleep(1, "a"));
            Task<String> b = AsyncIO.createTask(() -> AsyncIO.sleep(10, "b"));
            assertThrows(TimeoutError.class, () -> AsyncIO.timeout(5, () -> AsyncIO.gather(a, b).await()));
            assertEquals("a", a.result());
            assertTrue(b.cancelled());
            assertEquals(5.0, now());
        });
    }

    @Test
    void aResultArrivingWithTheExpiryIsNotSeenByTheBodyButStaysInItsFuture() {
        VirtualTimeLoop.runMain(() -> {
            Future<String> f = loop().createFuture();
            loop().callLater(1, () -> f.setResult("never seen"));
            Timeout cm = AsyncIO.timeout(1);
            // the result and the expiry are both due at t=1; the result's timer runs first,
            // yet the task is woken with the cancellation: the scope converts it
            assertThrows(TimeoutError.class, () -> cm.run(() -> f.await()));
            assertEquals("never seen", f.result(), "the future keeps its result");
        });
    }

    @Test
    void toStringShowsTheStateAndTheDeadline() {
        VirtualTimeLoop.runMain(() -> {
            Timeout cm = AsyncIO.timeout(2.5);
            assertEquals("<Timeout [created]>", cm.toString());
            cm.run(() -> assertEquals("<Timeout [active] when=2.500>", cm.toString()));
            Timeout ex = AsyncIO.timeout(0);
            assertThrows(TimeoutError.class, () -> ex.run(() -> AsyncIO.sleep(1)));
            assertEquals("<Timeout [expired]>", ex.toString());
        });
    }
}
