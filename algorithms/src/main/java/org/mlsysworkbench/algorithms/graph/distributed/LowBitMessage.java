package org.mlsysworkbench.algorithms.graph.distributed;

/**
 * One coded boundary message as it travels: {@code rows} rows of width {@code d}, {@code bits} bits per value.
 * Per row the side information {@code lo[r]} and {@code range[r]} (already rounded to bfloat16 when that is
 * how it travels) and the codes, bit-packed little-end first: value j of row r occupies bits
 * {@code [(j * bits) % 32, +bits)} of {@code words[r * wordsPerRow + (j * bits) / 32]}, where
 * {@code wordsPerRow = ceil(d * bits / 32)}; values never straddle a word (bits is 1, 2, 4 or 8).
 * Arrays are owned by the message and not copied; treat them as read-only.
 *
 * @param seed the 32-bit counter-RNG seed the codes were drawn with (for diagnostics and parity tests)
 */
public record LowBitMessage(int rows, int d, int bits, LowBitCodec.Side side, int seed, float[] lo, float[] range,
                            int[] words) {

    /** 32-bit words per packed row. */
    public static int wordsPerRow(int d, int bits) {
        return (d * bits + 31) / 32;
    }

    /** Bytes on the wire: {@code rows * (bits * d + side bits)}, rounded up to whole bytes. */
    public long payloadBytes() {
        return ((long) rows * (new LowBitCodec(bits, side).payloadBits(d)) + 7) / 8;
    }

    /** The code of value j of row r. */
    public int code(int r, int j) {
        int bit = j * bits;
        return (words[r * wordsPerRow(d, bits) + (bit >>> 5)] >>> (bit & 31)) & ((1 << bits) - 1);
    }
}
