package org.asyncio4j.future;

import java.util.NoSuchElementException;

/**
 * A variable whose value depends on the current {@link Context} (Python's
 * {@code contextvars.ContextVar}): the asyncio counterpart of a {@link ThreadLocal}, which
 * would leak across the many tasks that share the loop's thread.
 *
 * <pre>{@code
 * static final ContextVar<String> REQUEST_ID = new ContextVar<>("request_id");
 *
 * ContextVar.Token<String> t = REQUEST_ID.set("r-42");
 * try {
 *     handle();                 // REQUEST_ID.get() == "r-42", in this task only
 * } finally {
 *     REQUEST_ID.reset(t);
 * }
 * }</pre>
 *
 * @param <T> the value type
 */
public final class ContextVar<T> {
    /** Marks "no value" in a {@link Token} and as "no default". */
    private static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "<MISSING>";
        }
    };

    private final String name;
    private final Object defaultValue;

    /**
     * A variable without a default: {@link #get()} fails until it is set.
     *
     * @param name the name, for messages and {@code toString}
     */
    public ContextVar(String name) {
        this.name = requireName(name);
        this.defaultValue = MISSING;
    }

    /**
     * A variable with a default, returned by {@link #get()} where it has no value.
     *
     * @param name the name, for messages and {@code toString}
     * @param defaultValue the default (may be {@code null})
     */
    public ContextVar(String name, T defaultValue) {
        this.name = requireName(name);
        this.defaultValue = defaultValue;
    }

    private static String requireName(String name) {
        if (name == null) {
            throw new NullPointerException("name must not be null");
        }
        return name;
    }

    /** @return the variable's name */
    public String name() {
        return name;
    }

    /**
     * The value in the current context, else the variable's default.
     *
     * @return the value
     * @throws NoSuchElementException if there is neither (Python's {@code LookupError})
     */
    @SuppressWarnings("unchecked")
    public T get() {
        Object[] m = Context.current().map;
        int i = Context.indexOf(m, this);
        if (i >= 0) {
            return (T) m[i + 1];
        }
        if (defaultValue == MISSING) {
            throw new NoSuchElementException("context variable '" + name + "' has no value in the current context and no default");
        }
        return (T) defaultValue;
    }

    /**
     * The value in the current context, else {@code fallback} (which wins over the
     * variable's default, as in Python's {@code var.get(default)}).
     *
     * @param fallback returned when the variable has no value in the current context
     * @return the value or {@code fallback}
     */
    @SuppressWarnings("unchecked")
    public T get(T fallback) {
        Object[] m = Context.current().map;
        int i = Context.indexOf(m, this);
        return i >= 0 ? (T) m[i + 1] : fallback;
    }

    /**
     * Sets the value in the current context.
     *
     * @param value the new value (may be {@code null})
     * @return a token that {@link #reset} uses to restore the previous value
     */
    public Token<T> set(T value) {
        Context ctx = Context.currentForWrite();
        Object[] m = ctx.map;
        int i = Context.indexOf(m, this);
        Token<T> token = new Token<>(this, ctx, i >= 0 ? m[i + 1] : MISSING);
        ctx.map = Context.with(m, this, value);
        return token;
    }

    /**
     * Restores the value the variable had before the {@link #set} that returned
     * {@code token}, removing it from the context if it had none.
     *
     * @param token the token of that {@code set}
     * @throws IllegalStateException if the token was used already
     * @throws IllegalArgumentException if the token belongs to another variable, or was
     *     created in another context than the current one
     */
    public void reset(Token<T> token) {
        if (token.var != this) {
            throw new IllegalArgumentException("token " + token + " was created by a different ContextVar than " + this);
        }
        Context ctx = Context.currentForWrite();
        if (token.context != ctx) {
            throw new IllegalArgumentException("token " + token + " was created in a different Context");
        }
        if (token.used) {
            throw new IllegalStateException("token " + token + " has already been used once");
        }
        token.used = true;
        ctx.map = token.oldValue == MISSING ? Context.without(ctx.map, this) : Context.with(ctx.map, this, token.oldValue);
    }

    @Override
    public String toString() {
        return "<ContextVar name='" + name + "'" + (defaultValue == MISSING ? "" : " default=" + defaultValue) + ">";
    }

    /**
     * What {@link ContextVar#set} returns: enough to undo that one change
     * (Python's {@code contextvars.Token}).
     *
     * @param <T> the variable's value type
     */
    public static final class Token<T> {
        private final ContextVar<T> var;
        private final Context context;
        private final Object oldValue;
        private boolean used;

        Token(ContextVar<T> var, Context context, Object oldValue) {
            this.var = var;
            this.context = context;
            this.oldValue = oldValue;
        }

        /** @return the variable that was set */
        public ContextVar<T> var() {
            return var;
        }

        /** @return whether the variable had a value before the {@code set} */
        public boolean hadOldValue() {
            return oldValue != MISSING;
        }

        /**
         * @return the value before the {@code set}
         * @throws NoSuchElementException if there was none (Python's {@code Token.MISSING})
         */
        @SuppressWarnings("unchecked")
        public T oldValue() {
            if (oldValue == MISSING) {
                throw new NoSuchElementException("context variable '" + var.name + "' had no value before this set");
            }
            return (T) oldValue;
        }

        @Override
        public String toString() {
            return "<Token" + (used ? " used" : "") + " var=" + var + ">";
        }
    }
}
