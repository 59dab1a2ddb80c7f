package org.asyncio4j.future;

import static org.asyncio4j.Errors.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ContextVar}: get, set, reset(token) and their errors (Python's
 * {@code contextvars.ContextVar}). Each test runs in a fresh context so nothing leaks
 * between tests.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ContextVarTest {

    @Test
    void getWithoutValueOrDefaultFailsNamingTheVariable() {
        ContextVar<String> v = new ContextVar<>("request_id");
        new Context().run(() -> {
            assertThrowsWith(NoSuchElementException.class, v::get, "request_id", "no value");
            assertEquals("fallback", v.get("fallback"));
        });
        assertEquals("request_id", v.name());
        assertThrowsWith(NullPointerException.class, () -> new ContextVar<String>(null), "name");
    }

    @Test
    void theDefaultIsUsedWhereTheVariableHasNoValueButAnExplicitFallbackWins() {
        ContextVar<String> v = new ContextVar<>("v", "default");
        ContextVar<String> nullDefault = new ContextVar<>("n", null);
        new Context().run(() -> {
            assertEquals("default", v.get());
            assertEquals("fallback", v.get("fallback"), "get(fallback) wins over the variable's default");
            assertNull(nullDefault.get());
            v.set("set");
            assertEquals("set", v.get());
            assertEquals("set", v.get("fallback"));
        });
        assertTrue(v.toString().contains("default=default"), v.toString());
    }

    @Test
    void aNullValueIsAValue() {
        ContextVar<String> v = new ContextVar<>("v", "default");
        new Context().run(() -> {
            v.set(null);
            assertNull(v.get());
            assertNull(v.get("fallback"));
        });
    }

    @Test
    void resetRestoresThePreviousValueOrRemovesTheVariable() {
        ContextVar<String> v = new ContextVar<>("v");
        Context ctx = new Context();
        ctx.run(() -> {
            ContextVar.Token<String> first = v.set("one");
            assertSame(v, first.var());
            assertFalse(first.hadOldValue());
            assertThrowsWith(NoSuchElementException.class, first::oldValue, "no value before");
            ContextVar.Token<String> second = v.set("two");
            assertTrue(second.hadOldValue());
            assertEquals("one", second.oldValue());
            v.reset(second);
            assertEquals("one", v.get());
            v.reset(first);
            assertFalse(ctx.contains(v), "reset to a state without a value removes the variable");
            assertThrowsWith(NoSuchElementException.class, v::get, "v");
        });
    }

    @Test
    void aTokenCanBeUsedOnlyOnce() {
        ContextVar<String> v = new ContextVar<>("v");
        new Context().run(() -> {
            ContextVar.Token<String> t = v.set("x");
            v.reset(t);
            assertThrowsWith(IllegalStateException.class, () -> v.reset(t), "already been used");
            assertTrue(t.toString().contains("used"), t.toString());
        });
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aTokenOfAnotherVariableIsRejected() {
        ContextVar<String> a = new ContextVar<>("a");
        ContextVar<String> b = new ContextVar<>("b");
        new Context().run(() -> {
            ContextVar.Token<String> t = a.set("x");
            assertThrowsWith(IllegalArgumentException.class, () -> b.reset((ContextVar.Token) t), "different ContextVar");
            a.reset(t); // still usable by its own variable
        });
    }

    @Test
    void aTokenCreatedInAnotherContextIsRejected() {
        ContextVar<String> v = new ContextVar<>("v");
        Context one = new Context();
        @SuppressWarnings("unchecked")
        ContextVar.Token<String>[] token = new ContextVar.Token[1];
        one.run(() -> token[0] = v.set("in one"));
        new Context().run(() -> assertThrowsWith(IllegalArgumentException.class, () -> v.reset(token[0]), "different Context"));
        one.run(() -> v.reset(token[0]));
        assertFalse(one.contains(v));
    }

    @Test
    void setChangesOnlyTheCurrentContext() {
        ContextVar<String> v = new ContextVar<>("v", "default");
        Context a = new Context();
        Context b = new Context();
        a.run(() -> v.set("a"));
        b.run(() -> v.set("b"));
        assertEquals("a", a.get(v, null));
        assertEquals("b", b.get(v, null));
        new Context().run(() -> assertEquals("default", v.get()));
    }
}
