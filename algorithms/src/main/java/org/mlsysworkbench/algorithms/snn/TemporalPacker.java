package org.mlsysworkbench.algorithms.snn;

/**
 * Packs the surviving samples of R rays into a {@code [T, R]} tensor of slots (slot = {@code t * R + r}) and
 * back. Both packings are index permutations of the samples into the valid slots: a prefix sum over per-ray
 * counts gives every sample its (step, ray) slot, which maps onto a GPU scan plus a scatter.
 *
 * <p>Input layout (CSR): samples of ray r are {@code [rayStart[r], rayStart[r+1])}, in ray order, and
 * {@code step[i]} is sample i's index along its ray (strictly increasing within a ray). Stateless.
 */
public final class TemporalPacker {

    /**
     * A packed layout.
     *
     * @param steps        T, the number of time steps
     * @param rays         R
     * @param slotOfSample for each sample its slot {@code t * R + r}
     * @param sampleOfSlot for each of the {@code T * R} slots the sample it holds, or -1 for a padded slot
     * @param timeOfSample the step t each sample runs at
     */
    public record Packed(int steps, int rays, int[] slotOfSample, int[] sampleOfSlot, int[] timeOfSample) {

        /** Number of valid (non-padded) slots. */
        public int valid() {
            return slotOfSample.length;
        }

        /** Fraction of the {@code T * R} slots that hold a sample (tensor regularity). */
        public double occupancy() {
            long cells = (long) steps * rays;
            return cells == 0 ? 0 : (double) valid() / cells;
        }

        /** Scatters per-sample values ({@code width} floats each) into a {@code [T, R, width]} tensor, zeros elsewhere. */
        public float[] pack(float[] perSample, int width) {
            float[] out = new float[steps * rays * width];
            for (int i = 0; i < slotOfSample.length; i++) {
                System.arraycopy(perSample, i * width, out, slotOfSample[i] * width, width);
            }
            return out;
        }

        /** Gathers a {@code [T, R, width]} tensor back into per-sample order: the inverse of {@link #pack}. */
        public float[] unpack(float[] packed, int width) {
            float[] out = new float[slotOfSample.length * width];
            for (int i = 0; i < slotOfSample.length; i++) {
                System.arraycopy(packed, slotOfSample[i] * width, out, i * width, width);
            }
            return out;
        }
    }

    private TemporalPacker() {
    }

    /** Packs with the given mode; {@code rayStart} has R + 1 entries. */
    public static Packed pack(TemporalPacking mode, int[] rayStart, int[] step) {
        int rays = rayStart.length - 1;
        int n = rayStart[rays];
        int[] time = new int[n];
        int steps = 0;
        if (mode == TemporalPacking.CONDENSING) {
            for (int r = 0; r < rays; r++) {
                int count = rayStart[r + 1] - rayStart[r];
                for (int i = rayStart[r]; i < rayStart[r + 1]; i++) {
                    time[i] = i - rayStart[r];
                }
                steps = Math.max(steps, count);
            }
        } else {
            int min = Integer.MAX_VALUE;
            int max = Integer.MIN_VALUE;
            for (int i = 0; i < n; i++) {
                min = Math.min(min, step[i]);
                max = Math.max(max, step[i]);
            }
            for (int i = 0; i < n; i++) {
                time[i] = step[i] - min;
            }
            steps = n == 0 ? 0 : max - min + 1;
        }
        int[] slotOfSample = new int[n];
        int[] sampleOfSlot = new int[steps * rays];
        java.util.Arrays.fill(sampleOfSlot, -1);
        for (int r = 0; r < rays; r++) {
            for (int i = rayStart[r]; i < rayStart[r + 1]; i++) {
                int slot = time[i] * rays + r;
                if (sampleOfSlot[slot] != -1) {
                    throw new IllegalArgumentException("step: ray " + r + " has two samples at step " + step[i]);
                }
                slotOfSample[i] = slot;
                sampleOfSlot[slot] = i;
            }
        }
        return new Packed(steps, rays, slotOfSample, sampleOfSlot, time);
    }

    /**
     * Steps elapsed before each sample since the previous sample of its ray (the first sample of a ray: its own
     * time + 1, counted from a rested membrane). In the condensed layout every gap is 1.
     */
    public static int[] gaps(Packed p, int[] rayStart) {
        int[] gap = new int[p.valid()];
        for (int r = 0; r < rayStart.length - 1; r++) {
            int prev = -1;
            for (int i = rayStart[r]; i < rayStart[r + 1]; i++) {
                gap[i] = p.timeOfSample()[i] - prev;
                prev = p.timeOfSample()[i];
            }
        }
        return gap;
    }
}
