package org.asyncio4j.bench;

/**
 * CPython's {@code random.Random(seed)} for a non-negative int seed that fits in 32 bits:
 * the MT19937 generator seeded the way CPython seeds it ({@code init_by_array} with the
 * seed as its one-word key), and {@code random()} / {@code uniform()} computed the way
 * CPython computes them. So {@code new PyRandom(42).uniform(0.1, 1.0)} returns the same
 * doubles as {@code random.Random(42).uniform(0.1, 1.0)}, and a Java workload can sleep
 * exactly as long as its Python counterpart ({@code ../shared/bench/sleepers.py}).
 */
final class PyRandom {
    private static final int N = 624;
    private static final int M = 397;
    private final int[] mt = new int[N];
    private int index = N;

    PyRandom(int seed) {
        if (seed < 0) {
            throw new IllegalArgumentException("seed must be a non-negative int, not " + seed);
        }
        seedByArray(new int[] {seed});
    }

    /** {@code random.random()}: 53 random bits from two 32-bit outputs, in [0, 1). */
    double random() {
        long a = Integer.toUnsignedLong(next()) >>> 5;
        long b = Integer.toUnsignedLong(next()) >>> 6;
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
    }

    /** {@code random.uniform(a, b)}: {@code a + (b - a) * random()}. */
    double uniform(double a, double b) {
        return a + (b - a) * random();
    }

    private void seedWord(int s) {
        mt[0] = s;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
    }

    private void seedByArray(int[] key) {
        seedWord(19650218);
        int i = 1;
        int j = 0;
        for (int k = Math.max(N, key.length); k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
            i++;
            j++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if (j >= key.length) {
                j = 0;
            }
        }
        for (int k = N - 1; k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
            i++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x80000000;
        index = N;
    }

    private int next() {
        if (index >= N) {
            for (int k = 0; k < N; k++) {
                int y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff);
                mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
            }
            index = 0;
        }
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }
}
