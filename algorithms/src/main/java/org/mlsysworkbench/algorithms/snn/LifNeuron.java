package org.mlsysworkbench.algorithms.snn;

/**
 * Leaky integrate-and-fire dynamics of SpikingJelly's multi-step {@code LIFNode} (decay input on, hard reset,
 * reset path detached), the neuron of SpikingNeRF's colour network:
 *
 * <pre>
 *   H_t = V_{t-1} + (X_t - (V_{t-1} - V_reset)) / tau
 *   S_t = Theta(H_t - V_th)
 *   V_t = H_t (1 - S_t) + V_reset S_t
 * </pre>
 *
 * with the sigmoid surrogate {@code dS/dH ~ alpha sigma(alpha x) (1 - sigma(alpha x))}, {@code x = H - V_th}.
 * Immutable and thread-safe.
 *
 * @param tau       membrane time constant (2.0 in the paper)
 * @param threshold firing threshold V_th (1.0)
 * @param reset     reset potential V_reset (0.0)
 * @param surrogateAlpha steepness alpha of the sigmoid surrogate (4.0)
 */
public record LifNeuron(float tau, float threshold, float reset, float surrogateAlpha) {

    /** The paper's neuron: tau 2, threshold 1, hard reset to 0, surrogate alpha 4. */
    public static final LifNeuron PAPER = new LifNeuron(2f, 1f, 0f, 4f);

    public LifNeuron {
        if (!(tau > 1f)) {
            throw new IllegalArgumentException("tau: expected > 1, found " + tau);
        }
    }

    /** Charge: {@code H = V + (X - (V - V_reset)) / tau}. */
    public float charge(float v, float x) {
        return v + (x - (v - reset)) / tau;
    }

    /** Fire: 1 when {@code H >= V_th}, else 0. */
    public float fire(float h) {
        return h >= threshold ? 1f : 0f;
    }

    /** Reset: {@code V = H (1 - S) + V_reset S}. */
    public float afterReset(float h, float s) {
        return h * (1 - s) + reset * s;
    }

    /** Surrogate derivative {@code alpha sigma(alpha (H - V_th)) (1 - sigma(...))}. */
    public float surrogateGrad(float h) {
        float sg = (float) (1.0 / (1.0 + Math.exp(-surrogateAlpha * (h - threshold))));
        return surrogateAlpha * sg * (1 - sg);
    }

    /**
     * Membrane after {@code steps} steps of zero input starting from {@code v} (no spike can occur when
     * {@code v < V_th} and {@code V_reset <= 0}): {@code V_reset + (v - V_reset) (1 - 1/tau)^steps}.
     * Used to skip padded time steps exactly.
     */
    public float decay(float v, int steps) {
        return reset + (v - reset) * decayFactor(steps);
    }

    /** {@code (1 - 1/tau)^steps}. */
    public float decayFactor(int steps) {
        return (float) Math.pow(1 - 1.0 / tau, steps);
    }

    /**
     * Runs one neuron over a whole input train (the reference for every fused implementation).
     *
     * @return the spike train, same length as {@code x}
     */
    public float[] run(float[] x) {
        float[] s = new float[x.length];
        float v = reset;
        for (int t = 0; t < x.length; t++) {
            float h = charge(v, x[t]);
            s[t] = fire(h);
            v = afterReset(h, s[t]);
        }
        return s;
    }
}
