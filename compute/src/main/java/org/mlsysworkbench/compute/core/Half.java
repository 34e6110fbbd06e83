package org.mlsysworkbench.compute.core;

/**
 * IEEE-754 binary16 conversions for fp16 buffers (Java 17 has no {@code Float.floatToFloat16}).
 * Round-to-nearest-even, with subnormals, infinities and NaN. Thread-safe.
 */
public final class Half {

    private Half() {
    }

    /** The binary16 bits nearest to {@code f}. */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = bits >>> 16 & 0x8000;
        int exp = bits >>> 23 & 0xFF;
        int mant = bits & 0x7FFFFF;
        if (exp == 0xFF) {
            return (short) (sign | 0x7C00 | (mant != 0 ? 0x200 | mant >>> 13 : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            int m = mant | 0x800000;
            int shift = 14 - e;
            int half = m >>> shift;
            int rem = m & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rem > mid || rem == mid && (half & 1) != 0) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = e << 10 | mant >>> 13;
        int rem = mant & 0x1FFF;
        if (rem > 0x1000 || rem == 0x1000 && (half & 1) != 0) {
            half++;
        }
        return (short) (sign | half);
    }

    /** The float value of binary16 {@code bits} (exact). */
    public static float toFloat(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exp = h >>> 10 & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | mant << 13);
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | (exp - 15 + 127) << 23 | mant << 13);
    }
}
