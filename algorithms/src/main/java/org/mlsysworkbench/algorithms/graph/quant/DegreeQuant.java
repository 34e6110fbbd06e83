package org.mlsysworkbench.algorithms.graph.quant;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Degree-Quant (Tailor et al., ICLR 2021), the baseline A2Q is compared with: per-tensor affine INT8/INT4
 * fake quantization with percentile ranges (0.001 for INT8, 0.01 for INT4), and protective masking
 * during training only: node i stays full precision with probability
 * <pre>  p_i = low + (high - low) * rank(indeg_i) / n,   high = min(low + change, 1)  </pre>
 * redrawn every forward pass. At evaluation every node is quantized. Not thread-safe.
 */
public final class DegreeQuant {

    private final int bits;
    private final double[] protectProbability;

    /**
     * @param bits     8 or 4
     * @param inDegree in-degree per node
     * @param low      protection probability of the lowest-degree node (DQ default 0)
     * @param change   added for the highest-degree node (DQ default 0.1)
     */
    public DegreeQuant(int bits, int[] inDegree, double low, double change) {
        if (bits != 8 && bits != 4) {
            throw new IllegalArgumentException("Degree-Quant bits must be 8 or 4, got " + bits);
        }
        this.bits = bits;
        this.protectProbability = protectionProbabilities(inDegree, low, change);
    }

    /** p_i from in-degree ranks (ties broken by node index, as a stable sort does). */
    static double[] protectionProbabilities(int[] inDegree, double low, double change) {
        int n = inDegree.length;
        double high = Math.min(low + change, 1.0);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(inDegree[a], inDegree[b]));
        double[] p = new double[n];
        for (int rank = 0; rank < n; rank++) {
            p[order[rank]] = low + (high - low) * rank / n;
        }
        return p;
    }

    public int bits() {
        return bits;
    }

    /** The protection probability of each node (a copy). */
    public double[] protectionProbabilities() {
        return protectProbability.clone();
    }

    /** The percentile used for the range: 0.001 at INT8, 0.01 at INT4. */
    public double percentile() {
        return bits == 8 ? 0.001 : 0.01;
    }

    /**
     * Fake-quantizes x (n x f rows) into out. In training, each node is kept in full precision with
     * probability p_i (mask drawn from {@code random}); pass {@code training = false} to quantize all.
     *
     * @param keep receives the mask (true = full precision), may be null
     * @return the number of protected nodes
     */
    public int forward(float[] x, float[] out, int features, boolean training, SplittableRandom random,
                       boolean[] keep) {
        float lo = UniformQuantizer.percentile(x, percentile());
        float hi = UniformQuantizer.percentile(x, 1 - percentile());
        UniformQuantizer.affine(x, out, bits, lo, hi);
        int kept = 0;
        if (training) {
            for (int i = 0; i < protectProbability.length; i++) {
                boolean k = random.nextDouble() < protectProbability[i];
                if (keep != null) {
                    keep[i] = k;
                }
                if (k) {
                    System.arraycopy(x, i * features, out, i * features, features);
                    kept++;
                }
            }
        } else if (keep != null) {
            Arrays.fill(keep, false);
        }
        return kept;
    }
}
