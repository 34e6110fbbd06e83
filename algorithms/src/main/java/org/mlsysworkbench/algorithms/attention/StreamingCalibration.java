package org.mlsysworkbench.algorithms.attention;

import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.core.CancellationToken;

/**
 * Chooses streaming heads of a model without training: for each KV head, the relative error
 * {@code sqrt(sum ||o_stream - o_full||^2 / sum ||o_full||^2)} of its attention output when it attends only to the
 * sink and local window, over calibration sequences sampled from the model itself. The errors, scaled by their
 * maximum to [0, 1], play the role of DuoAttention's gates alpha (a training-free stand-in, named as such in the
 * UI): the heads with the lowest error stream. Stateless.
 */
public final class StreamingCalibration {

    private StreamingCalibration() {
    }

    /** Samples {@code tokens} ids from the model at temperature 1, starting from BOS; deterministic in the seed. */
    public static int[] sample(LlamaModel model, int tokens, SplittableRandom random) {
        LlamaSession s = model.newDenseSession();
        int[] out = new int[tokens];
        int token = 1;
        for (int i = 0; i < tokens; i++) {
            out[i] = token;
            float[] logits = s.step(token);
            token = sampleSoftmax(logits, random);
        }
        return out;
    }

    static int sampleSoftmax(float[] logits, SplittableRandom random) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        double u = random.nextDouble() * sum;
        double acc = 0;
        for (int i = 0; i < logits.length; i++) {
            acc += Math.exp(logits[i] - max);
            if (acc >= u) {
                return i;
            }
        }
        return logits.length - 1;
    }

    /**
     * Measures the gates over calibration sequences.
     *
     * @return {@code [layers][kvHeads]} normalised streaming errors in [0, 1]
     */
    public static double[][] gates(LlamaModel model, int[][] sequences, int sinkTokens, int localTokens,
                                   CancellationToken cancel) {
        LlamaConfig c = model.config();
        double[][] err = new double[c.layers()][c.kvHeads()];
        double[][] norm = new double[c.layers()][c.kvHeads()];
        for (int[] seq : sequences) {
            LlamaSession s = model.newDenseSession();
            s.measureStreamingError(sinkTokens, localTokens);
            for (int token : seq) {
                cancel.throwIfCancelled();
                s.step(token);
            }
            double[][][] sums = s.streamingErrorSums();
            for (int l = 0; l < c.layers(); l++) {
                for (int h = 0; h < c.kvHeads(); h++) {
                    err[l][h] += sums[0][l][h];
                    norm[l][h] += sums[1][l][h];
                }
            }
        }
        double max = 0;
        double[][] alpha = new double[c.layers()][c.kvHeads()];
        for (int l = 0; l < c.layers(); l++) {
            for (int h = 0; h < c.kvHeads(); h++) {
                alpha[l][h] = norm[l][h] > 0 ? Math.sqrt(err[l][h] / norm[l][h]) : 0;
                max = Math.max(max, alpha[l][h]);
            }
        }
        for (double[] layer : alpha) {
            for (int h = 0; h < layer.length; h++) {
                layer[h] = max > 0 ? layer[h] / max : 0;
            }
        }
        return alpha;
    }
}
