package org.asyncio4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A step recorder that pins interleavings exactly (the habit of kotlinx.coroutines'
 * TestBase): each {@code expect(n)} must be the n-th step, and {@code finish(n)} checks
 * that the last step was n and nothing ran after it.
 *
 * <pre>{@code
 * Steps s = new Steps();
 * AsyncIO.run(() -> {
 *     s.expect(1);
 *     Task<Void> t = AsyncIO.createTask(() -> s.expect(3));
 *     s.expect(2);
 *     t.await();
 *     s.finish(4);
 * });
 * }</pre>
 */
public final class Steps {
    private int last;
    private boolean finished;

    /**
     * Records step {@code n}, which must follow the previous one directly.
     *
     * @param n the step number, starting at 1
     */
    public void expect(int n) {
        if (finished) {
            fail("step " + n + " ran after finish(" + last + ")");
        }
        assertEquals(last + 1, n, "steps ran out of order");
        last = n;
    }

    /**
     * Records the final step {@code n}; any later step fails.
     *
     * @param n the last step number
     */
    public void finish(int n) {
        expect(n);
        finished = true;
    }

    /** Fails: the code path must not be reached. */
    public void unreached() {
        fail("unreachable step reached after step " + last);
    }

    /** @return the last step recorded */
    public int last() {
        return last;
    }
}
