package org.asyncio4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.combinators.Timeout;
import org.asyncio4j.testing.VirtualTimeLoop;
import org.junit.jupiter.api.Test;

/**
 * The methods that run a body themselves declare its checked exception, so the natural
 * {@code catch} of that very type compiles, and is reached. This file is the compile-level
 * test: if a signature lost its {@code throws E}, a {@code catch} below would not compile
 * ("exception is never thrown in body of corresponding try statement").
 */
@org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class CheckedExceptionsTest {
    /** A checked exception of the test's own, thrown after a suspension. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private static final Path MISSING = Path.of("no-such-dir-asyncio4j", "missing.txt");

    private final List<String> caught = new ArrayList<>();

    /** Suspends once, then throws the checked exception. */
    private static String refuse(String what) throws Refused {
        AsyncIO.sleep(0);
        throw new Refused(what);
    }

    private static void refuseVoid(String what) throws Refused {
        refuse(what);
    }

    @Test
    void asyncioRunAndRunnerRunDeclareTheMainCoroutinesException() {
        try {
            AsyncIO.run(() -> refuse("run"));
            fail("run returned");
        } catch (Refused e) {
            caught.add(e.getMessage());
        }
        try {
            AsyncIO.run(() -> {
                refuseVoid("run void");
            });
            fail("run returned");
        } catch (Refused e) {
            caught.add(e.getMessage());
        }
        try {
            AsyncIO.run(() -> refuse("run debug"), true);
            fail("run returned");
        } catch (Refused e) {
            caught.add(e.getMessage());
        }
        try (Runner runner = new Runner()) {
            try {
                runner.run(() -> refuse("runner"));
                fail("runner.run returned");
            } catch (Refused e) {
                caught.add(e.getMessage());
            }
            try {
                runner.run(() -> {
                    refuseVoid("runner void");
                });
                fail("runner.run returned");
            } catch (Refused e) {
                caught.add(e.getMessage());
            }
        }
        try {
            VirtualTimeLoop.runMain(() -> refuse("runMain"));
            fail("runMain returned");
        } catch (Refused e) {
            caught.add(e.getMessage());
        }
        assertEquals(List.of("run", "run void", "run debug", "runner", "runner void", "runMain"), caught);
    }

    @Test
    void toThreadDeclaresTheBlockingCallsException() throws IOException {
        AsyncIO.run(() -> {
            try {
                AsyncIO.toThread(() -> Files.readAllBytes(MISSING));
                fail("toThread returned");
            } catch (NoSuchFileException e) {
                caught.add("read " + e.getFile());
            }
            try {
                AsyncIO.toThread(() -> Files.delete(MISSING));   // no result
                fail("toThread returned");
            } catch (NoSuchFileException e) {
                caught.add("delete " + e.getFile());
            }
        });
        assertEquals(List.of("read " + MISSING, "delete " + MISSING), caught);
    }

    @Test
    void timeoutAndTimeoutAtDeclareTheBodysException() {
        AsyncIO.run(() -> {
            try {
                AsyncIO.timeout(5, () -> refuse("timeout"));
                fail("timeout returned");
            } catch (Refused e) {
                caught.add(e.getMessage());
            }
            try {
                AsyncIO.timeout(Duration.ofSeconds(5), () -> {
                    refuseVoid("timeout Duration void");
                });
                fail("timeout returned");
            } catch (Refused e) {
                caught.add(e.getMessage());
            }
            try {
                AsyncIO.timeoutAt(AsyncIO.getRunningLoop().time() + 5, () -> refuse("timeoutAt"));
                fail("timeoutAt returned");
            } catch (Refused e) {
                caught.add(e.getMessage());
            }
            try {
                Timeout.after(5).run(() -> {
                    refuseVoid("Timeout.run void");
                });
                fail("Timeout.run returned");
            } catch (Refused e) {
                caught.add(e.getMessage());
            }
        });
        assertEquals(List.of("timeout", "timeout Duration void", "timeoutAt", "Timeout.run void"), caught);
    }

    @Test
    void waitForOnACoroutineDeclaresItsException() {
        AsyncIO.run(() -> {
            try {
                AsyncIO.waitFor(() -> refuse("waitFor"), 5);
                fail("waitFor returned");
            } catch (Refused e) {
                caught.add(e.getMessage());
            }
            try {
                AsyncIO.waitFor(() -> refuse("waitFor no timeout"), Double.POSITIVE_INFINITY);
                fail("waitFor returned");
            } catch (Refused e) {
                caught.add(e.getMessage());
            }
            try {
                AsyncIO.waitFor(() -> {
                    refuseVoid("waitFor Duration void");
                }, Duration.ofSeconds(5));
                fail("waitFor returned");
            } catch (Refused e) {
                caught.add(e.getMessage());
            }
        });
        assertEquals(List.of("waitFor", "waitFor no timeout", "waitFor Duration void"), caught);
    }

    @Test
    void aBodyWithoutCheckedExceptionsNeedsNoCatchAndOneWithSeveralDeclaresTheirCommonSupertype() throws Exception {
        // E is inferred as RuntimeException: nothing to catch
        assertEquals("plain", AsyncIO.run(() -> AsyncIO.timeout(1, () -> "plain")));
        // two checked exceptions: E is their closest common supertype (here Exception)
        Exception e = null;
        try {
            AsyncIO.run(() -> {
                if (AsyncIO.getRunningLoop() != null) {
                    refuse("one of two");
                }
                Thread.sleep(0);
            });
        } catch (Exception thrown) {
            e = thrown;
        }
        assertSame(Refused.class, e.getClass());
    }
}
