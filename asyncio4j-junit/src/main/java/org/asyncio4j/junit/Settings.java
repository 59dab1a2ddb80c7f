package org.asyncio4j.junit;

import java.lang.reflect.Method;

/**
 * The checked settings of one test: its {@link AsyncIOTest} attributes, or their defaults
 * for a test that only has {@code @ExtendWith(AsyncIOExtension.class)}.
 *
 * @param realTime whether the loop runs on the system clock
 * @param timeout the limit in the loop's time, seconds, greater than 0
 * @param realTimeLimit the watchdog's limit in wall-clock seconds, finite, greater than 0
 * @param seeds how many fuzzing runs (0: one plain run)
 * @param seed the one fuzzing seed, or {@link AsyncIOTest#NO_SEED}
 */
record Settings(boolean realTime, double timeout, double realTimeLimit, int seeds, long seed) {
    Settings {
        if (!(timeout > 0)) {
            throw new IllegalArgumentException("@AsyncIOTest(timeout) must be > 0 seconds, got " + timeout);
        }
        if (!(realTimeLimit > 0) || Double.isInfinite(realTimeLimit)) {
            throw new IllegalArgumentException("@AsyncIOTest(realTimeLimit) must be a finite number of seconds > 0, got "
                    + realTimeLimit);
        }
        if (seeds < 0) {
            throw new IllegalArgumentException("@AsyncIOTest(seeds) must be >= 0, got " + seeds);
        }
        if (seeds > 0 && seed != AsyncIOTest.NO_SEED) {
            throw new IllegalArgumentException("@AsyncIOTest takes seeds (explore) or seed (replay one), not both: got seeds = "
                    + seeds + ", seed = " + seed);
        }
    }

    /** The settings of {@code method}: its annotation (or a meta-annotation), else the defaults. */
    static Settings of(Method method) {
        AsyncIOTest a = org.junit.platform.commons.support.AnnotationSupport.findAnnotation(method, AsyncIOTest.class)
                .orElseGet(Settings::defaults);
        return new Settings(a.realTime(), a.timeout(), a.realTimeLimit(), a.seeds(), a.seed());
    }

    private static AsyncIOTest defaults() {
        try {
            return Settings.class.getDeclaredMethod("annotatedWithDefaults").getAnnotation(AsyncIOTest.class);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    /** Carries {@link AsyncIOTest}'s default values; never called. */
    @AsyncIOTest
    @SuppressWarnings("unused")
    private static void annotatedWithDefaults() {
    }

    /** @return "virtual time" or "real time", for messages */
    String timeName() {
        return realTime ? "real time" : "virtual time";
    }
}
