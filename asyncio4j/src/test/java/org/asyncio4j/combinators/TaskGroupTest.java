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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.Steps;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.Task;
import org.asyncio4j.future.TimeoutError;
import org.asyncio4j.loop.ExceptionContext;
import org.asyncio4j.testing.VirtualTimeLoop;
import org.junit.jupiter.api.Test;

/** {@link TaskGroup} (asyncio's {@code asyncio.TaskGroup}) and the {@link ExceptionGroup} it raises. */
@org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS)
class TaskGroupTest {

    /** A coroutine body that sleeps, then throws {@code error}. */
    private static <T> T failAfter(double seconds, Exception error) throws Exception {
        AsyncIO.sleep(seconds);
        throw error;
    }

    @Test
    void theGroupWaitsForEveryTaskAndReturnsTheBodysResult() {
        VirtualTimeLoop.runMain(() -> {
            List<Task<String>> tasks = new ArrayList<>();
            String r = TaskGroup.call(tg -> {
                tasks.add(tg.createTask(() -> AsyncIO.sleep(2, "a")));
                tasks.add(tg.createTask(() -> AsyncIO.sleep(1, "b"), "named"));
                return "body";
            });
            assertEquals("body", r);
            assertEquals(2.0, now());
            assertEquals("a", tasks.get(0).result());
            assertEquals("named", tasks.get(1).getName());

            // an expression body that returns the tasks: their results are there after the call
            List<Task<Integer>> squares = TaskGroup.call(tg -> List.of(1, 2, 3).stream()
                    .map(i -> tg.createTask(() -> AsyncIO.sleep(i, i * i))).toList());
            assertEquals(List.of(1, 4, 9), squares.stream().map(Task::result).toList());
        });
    }

    @Test
    void theInstanceFormRunsABodyThatCapturesTheGroup() {
        VirtualTimeLoop.runMain(() -> {
            TaskGroup tg = new TaskGroup();
            int[] ran = new int[1];
            tg.run(() -> {
                tg.createTask(() -> {
                    AsyncIO.sleep(1);
                    ran[0]++;
                });
            });
            assertEquals(1, ran[0]);
            assertEquals(7, new TaskGroup().run(() -> 7));
        });
    }

    @Test
    void tasksMayAddTasksToTheGroupWhileItWaits() {
        VirtualTimeLoop.runMain(() -> {
            int[] grandchildren = new int[1];
            TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    AsyncIO.sleep(1);
                    tg.createTask(() -> {
                        AsyncIO.sleep(1);
                        grandchildren[0]++;
                    });
                });
            });
            assertEquals(1, grandchildren[0]);
            assertEquals(2.0, now());
        });
    }

    @Test
    void theFirstFailureCancelsTheOtherTasksAndTheBody() {
        Steps s = new Steps();
        VirtualTimeLoop.runMain(() -> {
            Task<?> self = AsyncIO.currentTask();
            IOException io = new IOException("first");
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(tg -> {
                tg.createTask(() -> failAfter(1, io));
                tg.createTask(() -> {
                    try {
                        AsyncIO.sleep(10);
                    } catch (CancelledError e) {
                        s.expect(1);
                        throw e;
                    }
                });
                try {
                    AsyncIO.sleep(10);
                } catch (CancelledError e) {
                    s.expect(2);
                    throw e;
                }
            }));
            s.finish(3);
            assertEquals(List.of(io), eg.getExceptions());
            assertEquals(List.of(io), Arrays.asList(eg.getSuppressed()));
            assertEquals("unhandled errors in a TaskGroup (1 sub-exception)", eg.getMessage());
            assertEquals(1.0, now());
            assertEquals(0, self.cancelling(), "the group took back the cancellation it caused");
            AsyncIO.sleep(1); // the parent goes on normally
        });
    }

    @Test
    void failuresThatHappenTogetherComeOutTogetherInOrder() {
        VirtualTimeLoop.runMain(() -> {
            IOException a = new IOException("a");
            IllegalStateException b = new IllegalStateException("b");
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(tg -> {
                tg.createTask(() -> failAfter(1, a));
                tg.createTask(() -> failAfter(1, b));
            }));
            assertEquals(List.of(a, b), eg.getExceptions());
            assertEquals("unhandled errors in a TaskGroup (2 sub-exceptions)", eg.getMessage());
        });
    }

    @Test
    void theBodysExceptionCancelsTheTasksAndComesLastInTheGroup() {
        VirtualTimeLoop.runMain(() -> {
            IllegalStateException bodyError = new IllegalStateException("body");
            IOException cleanupError = new IOException("cleanup");
            Task<?>[] quiet = new Task<?>[1];
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(tg -> {
                quiet[0] = tg.createTask(() -> AsyncIO.sleep(10));
                tg.createTask(() -> {
                    try {
                        AsyncIO.sleep(10);
                    } catch (CancelledError e) {
                        AsyncIO.sleep(1);
                        throw cleanupError;
                    }
                });
                AsyncIO.sleep(1);
                throw bodyError;
            }));
            assertEquals(List.of(cleanupError, bodyError), eg.getExceptions());
            assertTrue(quiet[0].cancelled());
            assertEquals(2.0, now(), "the group waited for the cleanup");
        });
    }

    @Test
    void aCancelledTaskIsNotAFailure() {
        VirtualTimeLoop.runMain(() -> {
            Task<?>[] t = new Task<?>[1];
            String r = TaskGroup.call(tg -> {
                t[0] = tg.createTask(() -> AsyncIO.sleep(10));
                AsyncIO.sleep(1);
                t[0].cancel();
                return "fine";
            });
            assertEquals("fine", r);
            assertTrue(t[0].cancelled());
        });
    }

    @Test
    void oneTaskFailingWhileAnotherIsCancelledReportsOnlyTheFailure() {
        VirtualTimeLoop.runMain(() -> {
            IOException io = new IOException("a failed");
            Task<?>[] b = new Task<?>[1];
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(tg -> {
                tg.createTask(() -> failAfter(1, io));
                b[0] = tg.createTask(() -> AsyncIO.sleep(10));
                AsyncIO.sleep(1); // wakes in the same iteration as the failure
                b[0].cancel();
            }));
            assertEquals(List.of(io), eg.getExceptions());
            assertTrue(b[0].cancelled());
            assertEquals(0, AsyncIO.currentTask().cancelling());
        });
    }

    @Test
    void aTaskFailingAfterTheBodyFinishedStillFailsTheGroup() {
        VirtualTimeLoop.runMain(() -> {
            Task<?> self = AsyncIO.currentTask();
            IOException io = new IOException("late");
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.call(tg -> {
                tg.createTask(() -> failAfter(1, io));
                tg.createTask(() -> AsyncIO.sleep(10));
                return "body done";
            }));
            assertEquals(List.of(io), eg.getExceptions());
            assertEquals(1.0, now());
            assertEquals(0, self.cancelling());
            AsyncIO.sleep(1);
        });
    }

    @Test
    void cancellingTheTaskBlockedInTheGroupCancelsEveryTaskAndWaitsForTheirCleanup() {
        Steps s = new Steps();
        VirtualTimeLoop.runMain(() -> {
            List<Task<?>> children = new ArrayList<>();
            Task<Void> parent = AsyncIO.createTask(() -> TaskGroup.run(tg -> {
                for (int i = 0; i < 2; i++) {
                    children.add(tg.createTask(() -> {
                        try {
                            AsyncIO.sleep(10);
                        } catch (CancelledError e) {
                            AsyncIO.sleep(1);
                            throw e;
                        }
                    }));
                }
                try {
                    AsyncIO.sleep(10);
                } catch (CancelledError e) {
                    s.expect(1);
                    throw e;
                }
            }));
            AsyncIO.sleep(1);
            parent.cancel();
            assertThrows(CancelledError.class, parent::await);
            s.finish(2);
            assertTrue(parent.cancelled());
            assertTrue(children.get(0).cancelled() && children.get(1).cancelled());
            assertEquals(2.0, now(), "the parent ended after its children's cleanup");
        });
    }

    @Test
    void cancellingTheParentWhileTheGroupWaitsAfterTheBodyCancelsEveryTask() {
        VirtualTimeLoop.runMain(() -> {
            Task<?>[] child = new Task<?>[1];
            Task<Void> parent = AsyncIO.createTask(() -> TaskGroup.run(tg -> {
                child[0] = tg.createTask(() -> AsyncIO.sleep(10));
            }));
            AsyncIO.sleep(1);
            parent.cancel();
            assertThrows(CancelledError.class, parent::await);
            assertTrue(child[0].cancelled());
            assertEquals(1.0, now());
        });
    }

    @Test
    void aCancellationArrivingInTheIterationTheLastTaskFinishesStillPropagates() {
        VirtualTimeLoop.runMain(() -> {
            Task<?>[] child = new Task<?>[1];
            Task<?>[] parent = new Task<?>[1];
            parent[0] = AsyncIO.createTask(() -> TaskGroup.call(tg -> {
                child[0] = tg.createTask(() -> AsyncIO.sleep(1, "child"));
                // runs right after the group's own done callback, which has just released the parent
                child[0].addDoneCallback(c -> parent[0].cancel());
                return "body";
            }));
            assertThrows(CancelledError.class, parent[0]::await);
            assertTrue(parent[0].cancelled());
            assertEquals("child", child[0].result());
        });
    }

    @Test
    void aFailureDuringTheCleanupOfAnOuterCancellationRaisesTheGroupAndKeepsTheCancellation() {
        Steps s = new Steps();
        VirtualTimeLoop.runMain(() -> {
            IOException io = new IOException("cleanup failed");
            Task<Void> parent = AsyncIO.createTask(() -> {
                try {
                    TaskGroup.run(tg -> {
                        tg.createTask(() -> {
                            try {
                                AsyncIO.sleep(10);
                            } catch (CancelledError e) {
                                throw io;
                            }
                        });
                    });
                } catch (ExceptionGroup eg) {
                    s.expect(1);
                    assertEquals(List.of(io), eg.getExceptions());
                    assertEquals(1, AsyncIO.currentTask().cancelling(), "the outer request is still counted");
                }
                try {
                    AsyncIO.sleep(1);
                    s.unreached();
                } catch (CancelledError e) {
                    s.expect(2); // and still delivered at the next await
                    throw e;
                }
            });
            AsyncIO.sleep(1);
            parent.cancel();
            assertThrows(CancelledError.class, parent::await);
            s.finish(3);
        });
    }

    @Test
    void aTaskThatCatchesTheCancellationAndKeepsGoingIsWaitedFor() {
        VirtualTimeLoop.runMain(() -> {
            IOException io = new IOException("x");
            Task<?>[] stubborn = new Task<?>[1];
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(tg -> {
                tg.createTask(() -> failAfter(1, io));
                stubborn[0] = tg.createTask(() -> {
                    try {
                        AsyncIO.sleep(10);
                    } catch (CancelledError e) {
                        // keep going
                    }
                    return AsyncIO.sleep(2, "kept going");
                });
            }));
            assertEquals(List.of(io), eg.getExceptions());
            assertEquals("kept going", stubborn[0].result());
            assertEquals(3.0, now());
        });
    }

    @Test
    void aFailingNestedGroupFailsTheOuterGroupWithANestedExceptionGroup() {
        VirtualTimeLoop.runMain(() -> {
            IOException io = new IOException("deep");
            Task<?>[] outerChild = new Task<?>[1];
            ExceptionGroup outer = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(tg -> {
                outerChild[0] = tg.createTask(() -> AsyncIO.sleep(10));
                TaskGroup.run(inner -> {
                    inner.createTask(() -> failAfter(1, io));
                });
            }));
            assertEquals(1, outer.getExceptions().size());
            ExceptionGroup inner = assertInstanceOf(ExceptionGroup.class, outer.getExceptions().get(0));
            assertEquals(List.of(io), inner.getExceptions());
            assertTrue(outerChild[0].cancelled());
        });
    }

    @Test
    void aNestedGroupsFailureCaughtInTheOuterBodyLeavesTheOuterTasksAlone() {
        VirtualTimeLoop.runMain(() -> {
            Task<?>[] outerChild = new Task<?>[1];
            String r = TaskGroup.call(tg -> {
                outerChild[0] = tg.createTask(() -> AsyncIO.sleep(5, "outer child"));
                try {
                    TaskGroup.run(inner -> {
                        inner.createTask(() -> failAfter(1, new IOException("inner")));
                        inner.createTask(() -> AsyncIO.sleep(10));
                    });
                } catch (ExceptionGroup e) {
                    return "handled at " + now();
                }
                return "unreached";
            });
            assertEquals("handled at 1.0", r);
            assertEquals("outer child", outerChild[0].result());
            assertEquals(5.0, now());
        });
    }

    @Test
    void aTimeoutAroundAGroupCancelsItsTasksAndRaisesTimeoutError() {
        VirtualTimeLoop.runMain(() -> {
            List<Task<?>> children = new ArrayList<>();
            assertThrows(TimeoutError.class, () -> AsyncIO.timeout(1, () -> TaskGroup.run(tg -> {
                children.add(tg.createTask(() -> AsyncIO.sleep(10)));
                children.add(tg.createTask(() -> AsyncIO.sleep(20)));
            })));
            assertTrue(children.stream().allMatch(Task::cancelled));
            assertEquals(1.0, now());
            assertEquals(0, AsyncIO.currentTask().cancelling());
        });
    }

    @Test
    void aVirtualMachineErrorIsRethrownAsItIsAndTheOtherFailuresAreReported() {
        VirtualTimeLoop.runMain(() -> {
            List<ExceptionContext> reported = new ArrayList<>();
            loop().setExceptionHandler((l, c) -> reported.add(c));
            StackOverflowError soe = new StackOverflowError("simulated");
            IOException io = new IOException("ordinary");
            StackOverflowError e = assertThrows(StackOverflowError.class, () -> TaskGroup.run(tg -> {
                tg.createTask(() -> failAfter(1, io));
                tg.createTask(() -> {
                    AsyncIO.sleep(1);
                    throw soe;
                });
            }));
            assertSame(soe, e);
            assertEquals(1, reported.size());
            assertSame(io, reported.get(0).exception());
            assertTrue(reported.get(0).message().contains("not propagated"));
        });
    }

    @Test
    void anEagerTaskThatFailsAtOnceDoesNotCancelTheBodyBeforeItsNextAwait() {
        Steps s = new Steps();
        VirtualTimeLoop.runMain(() -> {
            loop().setTaskFactory(AsyncIO.eagerTaskFactory());
            IOException io = new IOException("eager");
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(tg -> {
                Task<Object> t = tg.createTask(() -> {
                    throw io;
                });
                s.expect(1);
                assertTrue(t.done(), "it ran inside createTask");
                try {
                    AsyncIO.sleep(1);
                    s.unreached();
                } catch (CancelledError e) {
                    s.expect(2);
                    throw e;
                }
            }));
            s.finish(3);
            assertEquals(List.of(io), eg.getExceptions());
            assertEquals(0.0, now());
        });
    }

    @Test
    void misuseIsRejectedWithAClearError() {
        Steps s = new Steps();
        VirtualTimeLoop.runMain(() -> {
            TaskGroup fresh = new TaskGroup();
            assertThrowsWith(IllegalStateException.class, () -> fresh.createTask(() -> 1), "not been entered");

            TaskGroup used = new TaskGroup();
            used.run(() -> used.createTask(() -> AsyncIO.sleep(1)));
            assertThrowsWith(IllegalStateException.class, () -> used.createTask(() -> 1), "is finished");
            assertThrowsWith(IllegalStateException.class, () -> used.run(() -> { }), "already been entered");

            assertThrows(ExceptionGroup.class, () -> TaskGroup.run(tg -> {
                tg.createTask(() -> failAfter(1, new IOException()));
                try {
                    AsyncIO.sleep(5);
                } catch (CancelledError e) {
                    s.expect(1);
                    assertThrowsWith(IllegalStateException.class, () -> tg.createTask(() -> 1), "shutting down");
                    throw e;
                }
            }));
            s.finish(2);
            assertThrowsWith(NullPointerException.class, () -> TaskGroup.run((TaskGroup.VoidBody) null), "body");
        });
        assertThrowsWith(IllegalStateException.class, () -> TaskGroup.run(tg -> { }), "TaskGroup.run()", "inside a task");
    }

    @Test
    void toStringShowsTheState() {
        VirtualTimeLoop.runMain(() -> {
            TaskGroup tg = new TaskGroup();
            assertEquals("<TaskGroup>", tg.toString());
            tg.run(() -> {
                tg.createTask(() -> AsyncIO.sleep(1));
                assertEquals("<TaskGroup tasks=1 entered>", tg.toString());
            });
            assertEquals("<TaskGroup finished>", tg.toString());
        });
    }

    @Test
    void cancelFromAnotherTaskCancelsTheTasksAndTheBodyAndExitsWithoutError() {
        VirtualTimeLoop.runMain(() -> {
            List<String> log = new ArrayList<>();
            TaskGroup tg = new TaskGroup();
            Task<Void> canceller = loop().createTask(() -> {
                AsyncIO.sleep(1);
                tg.cancel();
            });
            String result = tg.run(() -> {
                tg.createTask(() -> {
                    try {
                        AsyncIO.sleep(10);
                    } catch (CancelledError e) {
                        log.add("task cancelled at " + now());
                        throw e;
                    }
                });
                try {
                    AsyncIO.sleep(10);
                } catch (CancelledError e) {
                    log.add("body cancelled at " + now());
                    throw e;
                }
                return "unreached";
            });
            assertEquals(null, result);
            assertEquals(List.of("task cancelled at 1.0", "body cancelled at 1.0"), log);
            assertEquals(0, AsyncIO.currentTask().cancelling());
            canceller.await();
            AsyncIO.sleep(1);   // the running task is not cancelled any more
            assertEquals("<TaskGroup finished>", tg.toString());
        });
    }

    @Test
    void cancelFromTheBodyTakesEffectAtItsNextAwait() {
        VirtualTimeLoop.runMain(() -> {
            Steps steps = new Steps();
            TaskGroup.run(tg -> {
                Task<Void> t = tg.createTask(() -> AsyncIO.sleep(10));
                steps.expect(1);
                tg.cancel();
                assertEquals(List.of(t), tg.tasks());
                steps.expect(2);
                assertThrows(CancelledError.class, () -> AsyncIO.sleep(0));
                steps.expect(3);
                assertThrowsWith(IllegalStateException.class, () -> tg.createTask(() -> { }), "shutting down");
            });
            steps.finish(4);
            assertEquals(0.0, now());
        });
    }

    @Test
    void cancelAfterTheBodyStopsTheTasksItWaitsFor() {
        VirtualTimeLoop.runMain(() -> {
            TaskGroup tg = new TaskGroup();
            loop().callLater(2, tg::cancel);
            tg.run(() -> {
                tg.createTask(() -> AsyncIO.sleep(100));
            });
            assertEquals(2.0, now());
            assertEquals(List.of(), tg.tasks());
            tg.cancel();   // finished: nothing happens
        });
    }

    @Test
    void aFailureStillRaisesItsGroupAfterCancel() {
        VirtualTimeLoop.runMain(() -> {
            IOException io = new IOException("x");
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    try {
                        AsyncIO.sleep(10);
                    } catch (CancelledError e) {
                        throw io;
                    }
                });
                AsyncIO.sleep(1);
                tg.cancel();
                AsyncIO.sleep(1);
            }));
            assertEquals(List.of(io), eg.getExceptions());
            assertEquals(0, AsyncIO.currentTask().cancelling());
        });
    }

    @Test
    void anOutsideCancellationStillPropagatesAfterCancel() {
        VirtualTimeLoop.runMain(() -> {
            TaskGroup tg = new TaskGroup();
            Task<Void> runner = loop().createTask(() -> tg.run(() -> {
                tg.createTask(() -> AsyncIO.sleep(10));
                AsyncIO.sleep(10);
            }));
            AsyncIO.sleep(1);
            tg.cancel();
            runner.cancel();
            assertThrows(CancelledError.class, runner::await);
            assertTrue(runner.cancelled());
        });
    }

    @Test
    void cancelBeforeEnteringIsRefused() {
        assertThrowsWith(IllegalStateException.class, () -> new TaskGroup().cancel(), "has not been entered");
    }
}
