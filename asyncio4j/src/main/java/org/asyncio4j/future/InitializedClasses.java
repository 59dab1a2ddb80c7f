package org.asyncio4j.future;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The classes whose static initializer can no longer start on one coroutine's thread, so
 * that the virtual-thread engine can tell that a suspending stack holds no class
 * initializer without naming its frames. A walk that reads only each frame's class costs
 * about a third of one that reads method names (JDK 25, a task's stack: ~1 µs against
 * ~3.4 µs), and the naming walk ({@link SuspendRefusal#classInitializer()}) was most of a
 * switch on that engine.
 *
 * <p>Why a class qualifies. A class's initializer runs once, on the thread that initializes
 * the class. A method of class K runs on thread T before K is initialized only if T is
 * initializing K, and then an initializer (K's, or a superclass's that called into K) is
 * below it on T's stack; or if another thread is initializing K and an instance escaped
 * to T, and then K's initializer runs on that other thread. So every class with a frame on
 * a stack that holds no initializer is initialized, or is being initialized by a thread
 * that already exists: its initializer will not start afterwards on the thread that
 * walked the stack, nor on any thread started later. A stack made only of such classes
 * holds no initializer.
 *
 * <p>Implementation overview: a strand keeps two things (fields of its own, so a task pays
 * 12 bytes, not an object): the tick of {@code CLOCK} when it was made ({@link #now()}),
 * and the classes it learned on its own stack, an identity hash table (open addressing,
 * linear probing, at most half full) that is replaced, never changed, when it learns more.
 * What any strand learned is shared through a {@link ClassValue} (kept with each class, so
 * nothing here keeps a class loader alive) stamped from {@code CLOCK}: a strand trusts a
 * shared class only if it was stamped before the strand was made, and so before its thread
 * was started. Invariant: a class is in a strand's table, or stamped, only after a walk with
 * method names found no initializer on a stack that held it.
 */
final class InitializedClasses {
    /** A strand's table before it learned anything. */
    static final Class<?>[] NONE = {};
    private static final StackWalker CLASS_WALKER = StackWalker.getInstance(
            Set.of(StackWalker.Option.DROP_METHOD_INFO, StackWalker.Option.RETAIN_CLASS_REFERENCE));
    /** Orders the stamps of learned classes against the making of strands. */
    private static final AtomicLong CLOCK = new AtomicLong();
    /** When any strand first learned a class ({@code Long.MAX_VALUE}: never). */
    private static final ClassValue<Stamp> LEARNED = new ClassValue<>() {
        @Override
        protected Stamp computeValue(Class<?> type) {
            return new Stamp();
        }
    };

    /**
     * A class's stamp: {@code Long.MAX_VALUE} until a strand learns the class, then a tick of
     * {@code CLOCK} taken after that strand's walk (strands learning it at once may each
     * write theirs; any of them is a tick taken after a clean walk).
     */
    private static final class Stamp {
        volatile long learnedAt = Long.MAX_VALUE;
    }

    private InitializedClasses() {
    }

    /** @return a new tick, for a strand being made (before its thread starts) */
    static long now() {
        return CLOCK.incrementAndGet();
    }

    /**
     * @param born the strand's tick ({@link #now()})
     * @param own the classes the strand learned itself
     * @return whether every class with a frame on the caller's stack is known to hold no
     *     initializer there; false means "not known", not "an initializer is there"
     */
    static boolean coverStack(long born, Class<?>[] own) {
        return CLASS_WALKER.walk(frames -> {
            for (Iterator<StackWalker.StackFrame> it = frames.iterator(); it.hasNext(); ) {
                Class<?> c = it.next().getDeclaringClass();
                if (!contains(own, c) && LEARNED.get(c).learnedAt >= born) {
                    return false;
                }
            }
            return true;
        });
    }

    /**
     * Learns every class on the caller's stack; call only once that stack was found free of
     * initializers.
     *
     * @param own the classes the strand learned itself
     * @return {@code own} with the stack's classes added (a new table if any was missing)
     */
    static Class<?>[] learnStack(Class<?>[] own) {
        List<Class<?>> classes = CLASS_WALKER.walk(frames -> frames.map(StackWalker.StackFrame::getDeclaringClass)
                .toList());
        List<Class<?>> missing = new ArrayList<>();
        for (Class<?> c : classes) {
            if (!contains(own, c) && !missing.contains(c)) {
                missing.add(c);
            }
            Stamp stamp = LEARNED.get(c);
            if (stamp.learnedAt == Long.MAX_VALUE) {
                stamp.learnedAt = CLOCK.incrementAndGet();
            }
        }
        return missing.isEmpty() ? own : with(own, missing);
    }

    private static boolean contains(Class<?>[] table, Class<?> c) {
        int mask = table.length - 1;
        if (mask < 0) {
            return false;
        }
        for (int i = System.identityHashCode(c) & mask; ; i = (i + 1) & mask) {
            Class<?> e = table[i];
            if (e == c) {
                return true;
            }
            if (e == null) {
                return false;
            }
        }
    }

    /** @return a new table holding {@code table}'s classes and {@code more}, at most half full */
    private static Class<?>[] with(Class<?>[] table, List<Class<?>> more) {
        int count = more.size();
        for (Class<?> e : table) {
            if (e != null) {
                count++;
            }
        }
        Class<?>[] grown = new Class<?>[Math.max(16, Integer.highestOneBit(count) * 4)];
        for (Class<?> e : table) {
            if (e != null) {
                insert(grown, e);
            }
        }
        for (Class<?> c : more) {
            insert(grown, c);
        }
        return grown;
    }

    private static void insert(Class<?>[] table, Class<?> c) {
        int mask = table.length - 1;
        int i = System.identityHashCode(c) & mask;
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        table[i] = c;
    }
}
