package org.asyncio4j.junit;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.List;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.testing.VirtualClock;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The JUnit 5 extension behind {@link AsyncIOTest}: runs each test method as the main task
 * of a fresh event loop, as {@code AsyncIO.run} would, and fails the test for what it leaves
 * behind. Register it with {@code @AsyncIOTest} on a method, or with
 * {@code @ExtendWith(AsyncIOExtension.class)} on a class for its {@code @Test} methods
 * (then with {@link AsyncIOTest}'s defaults). No asyncio counterpart: pytest-asyncio's
 * role, with the checks of asyncio's and Trio's own test suites.
 *
 * <ul>
 *   <li><b>Loop.</b> A new loop per test (per run, when fuzzing), on a
 *       {@link VirtualClock} unless {@code realTime = true}. Test method parameters of type
 *       {@link EventLoop} and {@link VirtualClock} receive that loop and clock (a real-time
 *       test has no virtual clock). {@code @BeforeEach} and {@code @AfterEach} methods run
 *       outside the loop, on JUnit's thread.
 *   <li><b>Timeout.</b> With {@code timeout} set, the test is cancelled and fails as timed
 *       out after that many seconds of the loop's clock (none by default).
 *   <li><b>Leaks.</b> When the test method returns, the test fails if tasks are still
 *       pending, if callbacks or timers are still scheduled (each is named), or if the
 *       loop's exception handler was called during the test or while closing the loop (each
 *       message is listed; the first exception is the failure's cause). If the test failed
 *       anyway, these come as a suppressed exception of its failure.
 *   <li><b>Blocked loop.</b> The loop runs on a thread of its own; if the test is not over
 *       after {@code realTimeLimit} wall-clock seconds (default 60), it fails as blocked with
 *       the loop thread's stack as the cause, and the run is abandoned.
 *   <li><b>Nested loops.</b> A test that runs a loop of its own inside ({@code AsyncIO.run},
 *       {@code runUntilComplete}) fails with a message that says to await directly.
 *   <li><b>Schedule fuzzing.</b> {@code seeds = N} runs the test N times under a
 *       {@link org.asyncio4j.testing.ScheduleFuzzer} seeded 1 to N and stops at the first
 *       failure, reported (and printed to standard error) with its seed and the line that
 *       replays it; the failing seed is run once more first, and when that run passes the
 *       report says the seed does not replay and why (real time, I/O or threads decide the
 *       outcome, not the schedule); {@code seed = S} makes one run under seed S.
 * </ul>
 *
 * <p>Implementation overview: JUnit resolves the parameters first; the resolver makes the
 * first {@link TestRun} and keeps it in the test's store (closed there if the test never
 * runs). The interceptor then takes over the invocation ({@code skip()}, then calls the
 * method reflectively once per run, with the run's loop and clock in place of the resolved
 * ones), because a fuzzed test is called several times.
 */
public final class AsyncIOExtension implements ParameterResolver, InvocationInterceptor {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(AsyncIOExtension.class);
    private static final String FIRST_RUN = "first run";

    /** Made by JUnit, through {@link AsyncIOTest} or {@code @ExtendWith}. */
    public AsyncIOExtension() {
    }

    /**
     * @return whether the parameter is an {@link EventLoop} or {@link VirtualClock} of the
     *     test method itself
     */
    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return (type == EventLoop.class || type == VirtualClock.class)
                && extensionContext.getTestMethod().map(m -> m.equals(parameterContext.getDeclaringExecutable())).orElse(false);
    }

    /**
     * @return the loop or the virtual clock of the test's first run
     * @throws ParameterResolutionException for a {@link VirtualClock} of a real-time test
     */
    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        TestRun run = firstRun(extensionContext);
        Object value = valueFor(parameterContext.getParameter(), run);
        if (value == null) {
            throw new ParameterResolutionException("a realTime @AsyncIOTest has no VirtualClock: take the EventLoop "
                    + "parameter instead, or drop realTime = true");
        }
        return value;
    }

    private static TestRun firstRun(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        Settings settings = Settings.of(context.getRequiredTestMethod());
        return store.getOrComputeIfAbsent(FIRST_RUN, k -> new TestRun(settings, firstSeed(settings)), TestRun.class);
    }

    private static Long firstSeed(Settings s) {
        return s.seeds() > 0 ? Long.valueOf(1) : s.seed() != AsyncIOTest.NO_SEED ? Long.valueOf(s.seed()) : null;
    }

    private static Object valueFor(Parameter p, TestRun run) {
        return p.getType() == EventLoop.class ? run.loop() : run.clock();
    }

    /** Runs the test method on the loop (once, or once per seed). */
    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext) throws Throwable {
        invocation.skip();
        Method method = invocationContext.getExecutable();
        Object target = invocationContext.getTarget().orElse(null);
        List<Object> resolved = invocationContext.getArguments();
        Settings settings = Settings.of(method);
        TestRun first = firstRun(extensionContext);
        if (settings.seeds() == 0) {
            execute(first, method, target, resolved);
            return;
        }
        for (int seed = 1; seed <= settings.seeds(); seed++) {
            TestRun run = seed == 1 ? first : new TestRun(settings, (long) seed);
            try {
                execute(run, method, target, resolved);
            } catch (Throwable failure) {
                String report = "failed under schedule seed " + seed + " (run " + seed + " of " + settings.seeds() + "); "
                        + (replays(settings, seed, method, target, resolved)
                                ? "replay it with: @AsyncIOTest(seed = " + seed + ")"
                                : "but seed " + seed + " does not replay: run again under it, the test passed, so its "
                                        + "outcome depends on something the seed does not control (real time, real I/O "
                                        + "or other threads); @AsyncIOTest(seed = " + seed + ") may not show the failure");
                System.err.println(method.getDeclaringClass().getName() + "." + method.getName() + " " + report);
                throw new AssertionError(report + ": " + failure, failure);
            }
        }
    }

    /** Runs the test once more under {@code seed}: whether it fails again, as a replay must. */
    private static boolean replays(Settings settings, long seed, Method method, Object target, List<Object> resolved) {
        try {
            execute(new TestRun(settings, seed), method, target, resolved);
            return false;
        } catch (Throwable again) {
            return true;
        }
    }

    private static void execute(TestRun run, Method method, Object target, List<Object> resolved) throws Throwable {
        Parameter[] params = method.getParameters();
        Object[] args = resolved.toArray();
        for (int i = 0; i < params.length; i++) {
            Class<?> type = params[i].getType();
            if (type == EventLoop.class || type == VirtualClock.class) {
                args[i] = valueFor(params[i], run);
            }
        }
        run.execute(() -> ReflectionSupport.invokeMethod(method, target, args));
    }
}
