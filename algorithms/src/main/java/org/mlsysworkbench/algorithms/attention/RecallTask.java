package org.mlsysworkbench.algorithms.attention;

import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * A synthetic associative-recall task: {@code pairs} key -> value pairs hidden at random depths in filler text,
 * then {@code queries} queries {@code ? key value} at the end; the last query stops after its key, so the model
 * must retrieve the value stored with that key, possibly hundreds of tokens back.
 *
 * <p>Token ids (vocabulary of {@link #VOCAB}): 0 unused, 1 BOS (always at position 0), 2 the query mark
 * {@code ?}, keys {@code [KEY0, KEY0 + KEYS)}, values {@code [VALUE0, VALUE0 + VALUES)}, pair tokens
 * {@code PAIR0 + key * VALUES + value} (each stored pair is one token, so one attention hop retrieves it: a
 * model of a few layers learns the task within minutes on a CPU), filler {@code [FILLER0, FILLER0 + FILLERS)}.
 * Keys within a sequence are distinct and stored once in the body.
 *
 * <p>Split: training draws come from {@code new SplittableRandom(seed ^ TRAIN_SALT)}, held-out draws from
 * {@code seed ^ HELD_OUT_SALT}; both are deterministic in the seed. Immutable and thread-safe.
 *
 * @param contextTokens sequence length T (position 0 is BOS)
 * @param pairs         key -> value pairs in the body
 */
public record RecallTask(int contextTokens, int pairs) {

    public static final int BOS = 1;
    public static final int QUERY = 2;
    public static final int KEY0 = 4;
    public static final int KEYS = 24;
    public static final int VALUE0 = KEY0 + KEYS;
    public static final int VALUES = 16;
    /** Pair tokens {@code PAIR0 + key * VALUES + value}: one token stores one key -> value pair. */
    public static final int PAIR0 = VALUE0 + VALUES;
    public static final int FILLER0 = PAIR0 + KEYS * VALUES;
    public static final int FILLERS = 20;
    /** Vocabulary size of the recall model. */
    public static final int VOCAB = FILLER0 + FILLERS;
    /** Pairs per sequence of the shipped recall model and its evaluation. */
    public static final int DEFAULT_PAIRS = 8;
    static final long TRAIN_SALT = 0x5DEECE66DL;
    static final long HELD_OUT_SALT = 0x9E3779B97F4A7C15L;

    public RecallTask {
        if (pairs < 1 || pairs > KEYS) {
            throw new IllegalArgumentException("pairs must be 1.." + KEYS + ", got " + pairs);
        }
        if (contextTokens < 2 * pairs + 3 * pairs + 2) {
            throw new IllegalArgumentException("context of " + contextTokens + " tokens too short for " + pairs
                    + " pairs");
        }
    }

    /**
     * One sequence.
     *
     * @param tokens      the model input, {@code contextTokens} ids starting with BOS
     * @param askAt       positions of the queried keys (the next token is the answer); the last is T - 1
     * @param answers     the value each query must produce
     * @param pairAt      position of the queried pair's token in the body (its depth)
     */
    public record Sample(int[] tokens, int[] askAt, int[] answers, int[] pairAt) {
    }

    /** The random stream of training sequences. */
    public static SplittableRandom trainStream(long seed) {
        return new SplittableRandom(seed ^ TRAIN_SALT);
    }

    /** The random stream of held-out sequences (disjoint from training draws by construction of the stream). */
    public static SplittableRandom heldOutStream(long seed) {
        return new SplittableRandom(seed ^ HELD_OUT_SALT);
    }

    /** Draws a sequence with {@code queries} queries (1 for evaluation). */
    public Sample sample(SplittableRandom rnd, int queries) {
        if (queries < 1 || queries > pairs) {
            throw new IllegalArgumentException("queries must be 1.." + pairs + ", got " + queries);
        }
        int t = contextTokens;
        int[] tokens = new int[t];
        tokens[0] = BOS;
        int bodyStart = 1;
        int bodyLen = t - 1 - (3 * queries - 1);
        for (int i = 0; i < bodyLen; i++) {
            tokens[bodyStart + i] = FILLER0 + rnd.nextInt(FILLERS);
        }
        int[] slots = distinctSorted(rnd, bodyLen, pairs);
        int[] keys = distinctSorted(rnd, KEYS, pairs);
        shuffle(rnd, keys);
        int[] keyAt = new int[pairs];
        int[] value = new int[pairs];
        for (int i = 0; i < pairs; i++) {
            keyAt[i] = bodyStart + slots[i];
            int v = rnd.nextInt(VALUES);
            value[i] = VALUE0 + v;
            tokens[keyAt[i]] = PAIR0 + keys[i] * VALUES + v;
        }
        int[] order = new int[pairs];
        for (int i = 0; i < pairs; i++) {
            order[i] = i;
        }
        shuffle(rnd, order);
        int[] askAt = new int[queries];
        int[] answers = new int[queries];
        int[] pairAt = new int[queries];
        int at = bodyStart + bodyLen;
        for (int qi = 0; qi < queries; qi++) {
            int p = order[qi];
            tokens[at] = QUERY;
            tokens[at + 1] = KEY0 + keys[p];
            askAt[qi] = at + 1;
            answers[qi] = value[p];
            pairAt[qi] = keyAt[p];
            if (qi + 1 < queries) {
                tokens[at + 2] = value[p];
            }
            at += 3;
        }
        return new Sample(tokens, askAt, answers, pairAt);
    }

    private static int[] distinctSorted(SplittableRandom rnd, int range, int count) {
        // Floyd's sampling of count distinct values in [0, range), then sorted
        TreeSet<Integer> set = new TreeSet<>();
        for (int j = range - count; j < range; j++) {
            int v = rnd.nextInt(j + 1);
            set.add(set.contains(v) ? j : v);
        }
        return set.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void shuffle(SplittableRandom rnd, int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }
}
