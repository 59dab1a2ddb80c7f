package org.asyncio4j;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.function.Executable;

/**
 * Assertions about errors, for code that runs inside loop callbacks (where a failed
 * assertion would only reach the loop's exception handler): catch there with
 * {@link #caught}, check on the test thread with {@link #assertError}.
 */
public final class Errors {
    private Errors() {
    }

    /**
     * @param action what to run
     * @return what it threw, or {@code null}
     */
    public static Throwable caught(Executable action) {
        try {
            action.execute();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /**
     * Checks that {@code error} is a {@code type} whose message contains every fragment
     * (messages are part of the contract: they say what went wrong and how to do it right).
     *
     * @param type the expected class (or a superclass of it)
     * @param error what was thrown, or {@code null} if nothing was
     * @param fragments key phrases the message must contain
     * @param <T> the expected type
     * @return the error, cast
     */
    public static <T extends Throwable> T assertError(Class<T> type, Throwable error, String... fragments) {
        assertNotNull(error, "expected " + type.getSimpleName() + " but nothing was thrown");
        if (!type.isInstance(error)) {
            fail("expected " + type.getSimpleName() + " but got " + error, error);
        }
        String message = String.valueOf(error.getMessage());
        for (String f : fragments) {
            assertTrue(message.contains(f), "message of " + error.getClass().getSimpleName() + " should contain '" + f
                    + "' but was: " + message);
        }
        return type.cast(error);
    }

    /**
     * Runs {@code action} and checks it throws a {@code type} whose message contains every
     * fragment.
     *
     * @param type the expected class
     * @param action what to run
     * @param fragments key phrases the message must contain
     * @param <T> the expected type
     * @return the error
     */
    public static <T extends Throwable> T assertThrowsWith(Class<T> type, Executable action, String... fragments) {
        return assertError(type, caught(action), fragments);
    }
}
