package org.asyncio4j.combinators;

import static org.asyncio4j.Errors.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
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

    private static ExceptionGroup nested(IOException io1, IllegalStateException ise, IOException io2) {
        return new ExceptionGroup("outer", List.of(io1, new ExceptionGroup("inner", List.of(ise, io2))));
    }

    @Test
    void subgroupKeepsTheMatchingExceptionsAndTheNesting() {
        IOException io1 = new IOException("1");
        IllegalStateException ise = new IllegalStateException("2");
        IOException io2 = new IOException("3");
        ExceptionGroup eg = nested(io1, ise, io2);
        ExceptionGroup ios = eg.subgroup(IOException.class);
        assertEquals("outer", ios.message());
        assertEquals(io1, ios.getExceptions().get(0));
        ExceptionGroup inner = (ExceptionGroup) ios.getExceptions().get(1);
        assertEquals("inner", inner.message());
        assertEquals(List.of(io2), inner.getExceptions());
        assertArrayEquals(eg.getStackTrace(), ios.getStackTrace(), "the copy keeps the original's stack trace");
        assertNull(eg.subgroup(ArithmeticException.class), "nothing matches");
        assertSame(eg, eg.subgroup(Exception.class), "everything matches: the group itself");
        assertSame(eg, eg.subgroup(t -> t instanceof ExceptionGroup g && g.message().equals("outer")));
    }

    @Test
    void splitSeparatesBothSidesAndLeavesUnchangedGroupsAsTheyAre() {
        IOException io1 = new IOException("1");
        IllegalStateException ise = new IllegalStateException("2");
        IOException io2 = new IOException("3");
        ExceptionGroup eg = nested(io1, ise, io2);
        ExceptionGroup.Split s = eg.split(IllegalStateException.class);
        ExceptionGroup match = s.match();
        assertEquals(1, match.getExceptions().size());
        assertEquals(List.of(ise), ((ExceptionGroup) match.getExceptions().get(0)).getExceptions());
        ExceptionGroup rest = s.rest();
        assertEquals(io1, rest.getExceptions().get(0));
        assertEquals(List.of(io2), ((ExceptionGroup) rest.getExceptions().get(1)).getExceptions());
        assertNotSame(eg, rest);

        ExceptionGroup flat = new ExceptionGroup("flat", List.of(io1, io2));
        assertEquals(new ExceptionGroup.Split(flat, null), flat.split(IOException.class));
        assertEquals(new ExceptionGroup.Split(null, flat), flat.split(ArithmeticException.class));
        assertThrows(NullPointerException.class, () -> flat.split((java.util.function.Predicate<Throwable>) null));
    }

    @Test
    void aSubclassKeepsItsTypeThroughDerive() {
        class Mine extends ExceptionGroup {
            Mine(String m, List<? extends Throwable> excs) {
                super(m, excs);
            }

            @Override
            public ExceptionGroup derive(List<? extends Throwable> excs) {
                return new Mine(message(), excs);
            }
        }
        Mine m = new Mine("mine", List.of(new IOException(), new IllegalStateException()));
        assertEquals(Mine.class, m.subgroup(IOException.class).getClass());
    }
}
