package org.mlsysworkbench.algorithms.nerf;

import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.snn.LifNeuron;
import org.mlsysworkbench.algorithms.snn.TemporalPacking;

/**
 * The colour network {@code Linear(39 -> H) -> act -> Linear(H -> H) -> act -> Linear(H -> 3) -> sigmoid}, no biases
 * (spec sheet section 2). Input: the k0 feature (C channels), the unit view direction (3) and
 * {@code sin/cos(view_dir * 2^i)}, i = 0..3 (24); 39 values when C = 12.
 *
 * <p>{@link Kind#ANN}: act = ReLU, each sample independent. {@link Kind#SNN}: act = LIF ({@link LifNeuron}), and the
 * k-th surviving sample of a ray is time step k ({@link TemporalPacking}).
 *
 * <p>Weights are stored input-major (transposed), row-major float arrays: {@code w1[c * H + j]} is the weight from
 * input c to hidden unit j, {@code w2[i * H + j]} from unit i of layer 1 to unit j of layer 2, {@code w3[i * 3 + k]}
 * from unit i of layer 2 to colour k. Not thread-safe for writes; reads during rendering are safe.
 */
public final class ColorNet {

    /** ANN (ReLU) or spiking (LIF). */
    public enum Kind { ANN, SNN }

    /** View-direction encoding width: 3 + 2 * 3 * 4. */
    public static final int VIEW_WIDTH = 27;
    static final int FREQUENCIES = 4;

    public final Kind kind;
    public final int features;
    public final int hidden;
    public final LifNeuron neuron;
    public final TemporalPacking packing;
    public final float[] w1;
    public final float[] w2;
    public final float[] w3;

    public ColorNet(Kind kind, int features, int hidden, LifNeuron neuron, TemporalPacking packing,
                    float[] w1, float[] w2, float[] w3) {
        this.kind = kind;
        this.features = features;
        this.hidden = hidden;
        this.neuron = neuron;
        this.packing = packing;
        this.w1 = w1;
        this.w2 = w2;
        this.w3 = w3;
        if (w1.length != inputs() * hidden || w2.length != hidden * hidden || w3.length != hidden * 3) {
            throw new IllegalArgumentException("weights do not match " + inputs() + "-" + hidden + "-" + hidden + "-3");
        }
    }

    /**
     * A freshly initialised network: uniform in {@code +-gain / sqrt(fan_in)} (PyTorch's Linear default for gain 1).
     * The SNN uses gain 2 on the hidden layers so that some neurons reach the threshold from the start.
     */
    public static ColorNet init(Kind kind, int features, int hidden, LifNeuron neuron, TemporalPacking packing,
                                SplittableRandom rnd) {
        int in = features + VIEW_WIDTH;
        float g = kind == Kind.SNN ? 2f : 1f;
        return new ColorNet(kind, features, hidden, neuron, packing, uniform(in * hidden, g / Math.sqrt(in), rnd),
                uniform(hidden * hidden, g / Math.sqrt(hidden), rnd), uniform(hidden * 3, 1 / Math.sqrt(hidden), rnd));
    }

    private static float[] uniform(int n, double bound, SplittableRandom rnd) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
        }
        return w;
    }

    /** Input width, 39 for 12 feature channels. */
    public int inputs() {
        return features + VIEW_WIDTH;
    }

    /** A deep copy. */
    public ColorNet copy() {
        return new ColorNet(kind, features, hidden, neuron, packing, w1.clone(), w2.clone(), w3.clone());
    }

    /** The view-direction encoding {@code [d, sin(d 2^i), cos(d 2^i)]} of a unit direction into {@code out[0..26]}. */
    public static void encodeView(float dx, float dy, float dz, float[] out) {
        out[0] = dx;
        out[1] = dy;
        out[2] = dz;
        for (int i = 0; i < FREQUENCIES; i++) {
            float s = 1 << i;
            for (int a = 0; a < 3; a++) {
                float v = (a == 0 ? dx : a == 1 ? dy : dz) * s;
                out[3 + 3 * i + a] = (float) Math.sin(v);
                out[3 + 3 * FREQUENCIES + 3 * i + a] = (float) Math.cos(v);
            }
        }
    }

    /** The view part of layer 1 for one ray: {@code base[j] = sum_q w1[(C + q) * H + j] enc[q]}. */
    public void viewBase(float[] enc, float[] base) {
        int h = hidden;
        java.util.Arrays.fill(base, 0, h, 0f);
        for (int q = 0; q < VIEW_WIDTH; q++) {
            float e = enc[q];
            int off = (features + q) * h;
            for (int j = 0; j < h; j++) {
                base[j] += e * w1[off + j];
            }
        }
    }
}
