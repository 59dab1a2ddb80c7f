package org.asyncio4j.combinators;

import static org.asyncio4j.Errors.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ExceptionGroup} (Python's built-in {@code ExceptionGroup}). */
class ExceptionGroupTest {

    @Test
    void itHoldsTheExceptionsInOrderAndAlsoAsSuppressed() {
        IOException a = new IOException("a");
        IllegalStateException b = new IllegalStateException("b");
        ExceptionGroup eg = new ExceptionGroup("several things", List.of(a, b));
        assertEquals(List.of(a, b), eg.getExceptions());
        assertArrayEquals(new Throwable[] {a, b}, eg.getSuppressed());
        assertNull(eg.getCause(), "raised from None");
    }

    @Test
    void theMessageCountsTheExceptionsAsPythonPrintsIt() {
        assertEquals("m (1 sub-exception)", new ExceptionGroup("m", List.of(new IOException())).getMessage());
        ExceptionGroup two = new ExceptionGroup("m", List.of(new IOException(), new IOException()));
        assertEquals("m (2 sub-exceptions)", two.getMessage());
        assertEquals("m", two.message());
    }

    @Test
    void theListIsACopyAndUnmodifiable() {
        List<Throwable> list = new ArrayList<>(List.of(new IOException()));
        ExceptionGroup eg = new ExceptionGroup("m", list);
        list.clear();
        assertEquals(1, eg.getExceptions().size());
        assertThrows(UnsupportedOperationException.class, () -> eg.getExceptions().clear());
    }

    @Test
    void anEmptyListNullsAndANullMessageAreRejected() {
        assertThrowsWith(IllegalArgumentException.class, () -> new ExceptionGroup("m", List.of()), "at least one");
        List<Throwable> withNull = new ArrayList<>();
        withNull.add(null);
        assertThrowsWith(NullPointerException.class, () -> new ExceptionGroup("m", withNull), "null");
        assertThrowsWith(NullPointerException.class, () -> new ExceptionGroup(null, List.of(new IOException())), "message");
        assertThrowsWith(NullPointerException.class, () -> new ExceptionGroup("m", null), "exceptions");
    }
}
