package org.asyncio4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** Each surefire execution pins the engine it expects; this test checks the automatic choice. */
class EngineTest {
    @Test
    void theExpectedEngineIsChosenAutomatically() {
        String expected = System.getProperty("asyncio4j.test.expectEngine");
        assumeTrue(expected != null, "run through the build, which sets asyncio4j.test.expectEngine");
        assertEquals(expected, AsyncIO.coroutineEngine());
    }
}
