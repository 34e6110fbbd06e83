package org.mlsysworkbench.compute.core;

import static org.lwjgl.system.MemoryUtil.*;

/**
 * A Java array viewed as bytes for uploads and downloads: float32, int32, int8 or float16 (as the raw
 * bits in a {@code short[]}, see {@link Half}). Holds a reference only; elements are copied when a
 * sequence runs. Little-endian, tightly packed: the {@code std430} layout of a scalar array.
 */
public final class HostArray {

    private final Object array;
    private final int offset;
    private final int length;
    private final int elementBytes;

    private HostArray(Object array, int offset, int length, int elementBytes, int arrayLength) {
        if (offset < 0 || length < 0 || offset + length > arrayLength) {
            throw new IndexOutOfBoundsException("range [" + offset + ", " + (offset + length) + ") of an array of "
                    + arrayLength);
        }
        this.array = array;
        this.offset = offset;
        this.length = length;
        this.elementBytes = elementBytes;
    }

    public static HostArray of(float[] a) {
        return new HostArray(a, 0, a.length, 4, a.length);
    }

    public static HostArray of(float[] a, int offset, int length) {
        return new HostArray(a, offset, length, 4, a.length);
    }

    public static HostArray of(int[] a) {
        return new HostArray(a, 0, a.length, 4, a.length);
    }

    public static HostArray of(int[] a, int offset, int length) {
        return new HostArray(a, offset, length, 4, a.length);
    }

    public static HostArray of(byte[] a) {
        return new HostArray(a, 0, a.length, 1, a.length);
    }

    /** Float16 values as their raw IEEE-754 binary16 bits. */
    public static HostArray ofHalf(short[] bits) {
        return new HostArray(bits, 0, bits.length, 2, bits.length);
    }

    public long bytes() {
        return (long) length * elementBytes;
    }

    /** Copies the elements to native memory at {@code address}. */
    void copyTo(long address) {
        if (array instanceof float[]) {
            memFloatBuffer(address, length).put((float[]) array, offset, length);
        } else if (array instanceof int[]) {
            memIntBuffer(address, length).put((int[]) array, offset, length);
        } else if (array instanceof short[]) {
            memShortBuffer(address, length).put((short[]) array, offset, length);
        } else {
            memByteBuffer(address, length).put((byte[]) array, offset, length);
        }
    }

    /** Copies native memory at {@code address} into the elements. */
    void copyFrom(long address) {
        if (array instanceof float[]) {
            memFloatBuffer(address, length).get((float[]) array, offset, length);
        } else if (array instanceof int[]) {
            memIntBuffer(address, length).get((int[]) array, offset, length);
        } else if (array instanceof short[]) {
            memShortBuffer(address, length).get((short[]) array, offset, length);
        } else {
            memByteBuffer(address, length).get((byte[]) array, offset, length);
        }
    }
}
