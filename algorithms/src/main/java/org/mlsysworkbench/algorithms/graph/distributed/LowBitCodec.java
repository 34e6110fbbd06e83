package org.mlsysworkbench.algorithms.graph.distributed;

/**
 * The Low-bit Module: per-row min/max stochastic-rounding quantization of boundary messages (AdaQP's
 * formula, which the Sylvie-style design applies with b = 1):
 * <pre>
 *   per row:  lo = min_j h_j,  hi = max_j h_j,  scale = (2^b - 1) / (hi - lo)
 *             q_j = floor((h_j - lo) * scale + u_j),  u_j ~ U(0, 1)
 *   receive:  h^_j = q_j / scale + lo           E[h^_j] = h_j  (unbiased)
 * </pre>
 * A constant row (hi = lo) is sent as its value with no bits. {@code bits = 32} means FP32 (no quantization).
 * Payload per row of width d: FP32 {@code 32 d}; b-bit {@code b d + side}, where the side information
 * (lo and scale) costs 32 bits as two bfloat16 or 64 bits as two fp32. Stateless; thread-safe.
 */
public final class LowBitCodec {

    /** How lo and scale travel. */
    public enum Side {
        BFLOAT16(32), FP32(64);

        private final int bits;

        Side(int bits) {
            this.bits = bits;
        }

        public int bits() {
            return bits;
        }
    }

    private final int bits;
    private final Side side;

    public LowBitCodec(int bits, Side side) {
        if (bits != 1 && bits != 2 && bits != 4 && bits != 8 && bits != 32) {
            throw new IllegalArgumentException("message bits must be 1, 2, 4, 8 or 32, got " + bits);
        }
        this.bits = bits;
        this.side = side;
    }

    public int bits() {
        return bits;
    }

    public Side side() {
        return side;
    }

    /** Bits on the wire for one row of width d. */
    public long payloadBits(int d) {
        return bits == 32 ? 32L * d : (long) bits * d + side.bits();
    }

    /**
     * Quantizes and dequantizes one row: {@code out[off..off+d) = decode(encode(in[off..off+d)))}, as the
     * receiver sees it, with the rounding draws of {@link CpuLowBitKernels} for (seed, node, channel j), so
     * the result equals a message of {@link LowBitKernels} holding this row. FP32 copies.
     */
    public void roundTrip(float[] in, int inOff, float[] out, int outOff, int d, int seed, int node) {
        if (bits == 32) {
            System.arraycopy(in, inOff, out, outOff, d);
            return;
        }
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < d; j++) {
            lo = Math.min(lo, in[inOff + j]);
            hi = Math.max(hi, in[inOff + j]);
        }
        float range = hi - lo;
        float loSent = CpuLowBitKernels.sent(lo, side);
        if (!(range > 0)) {
            for (int j = 0; j < d; j++) {
                out[outOff + j] = loSent;
            }
            return;
        }
        int levels = (1 << bits) - 1;
        // quantize against the exact range, decode with what travels
        float step = CpuLowBitKernels.sent(range, side) * (1f / levels);
        for (int j = 0; j < d; j++) {
            int q = CpuLowBitKernels.code(in[inOff + j], lo, range, levels, levels,
                    CpuLowBitKernels.uniform(seed, node, j));
            out[outOff + j] = loSent + q * step;
        }
    }

    /** Rounds a float to the nearest bfloat16 (round half to even on the dropped 16 bits). */
    static float bf16(float f) {
        int b = Float.floatToRawIntBits(f);
        int lsb = (b >> 16) & 1;
        b += 0x7FFF + lsb;
        return Float.intBitsToFloat(b & 0xFFFF0000);
    }
}
