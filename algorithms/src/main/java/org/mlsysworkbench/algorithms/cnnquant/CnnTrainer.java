package org.mlsysworkbench.algorithms.cnnquant;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.core.ProgressListener;

/**
 * Mini-batch training of {@link SmallCnn} with Adam (beta 0.9 / 0.999) and a cosine learning-rate decay,
 * softmax cross-entropy, training-mode BatchNorm. Layers can be frozen, or trained as binary layers whose
 * signs stay fixed while their per-channel scales alpha learn ({@code dL/dalpha_j = sum_k dL/dW[k][j] B[k][j]}),
 * the fine-tuning step of BWN/BWNH. Single-threaded and deterministic for a given random source.
 */
public final class CnnTrainer {

    /**
     * @param epochs       passes over the training set (may be fractional through {@code maxSteps})
     * @param batchSize    images per step
     * @param learningRate Adam's initial step size
     * @param maxSteps     stop after this many steps; {@code <= 0} for no limit
     */
    public record Settings(int epochs, int batchSize, double learningRate, int maxSteps) {
    }

    /** How one weight layer is trained. */
    public enum LayerMode {
        FULL, FROZEN, BINARY_ALPHA,
        /** Q-CNN layer: codes fixed, codebooks and bias learn ({@code dL/dD_m[k] = sum of dL/dW over the
         * sub-vectors coded k}). */
        PQ_CODEBOOK
    }

    private CnnTrainer() {
    }

    /**
     * Trains in place and returns the mean loss of each step.
     *
     * @param modes  per weight layer; null trains everything
     * @param binary per layer, the fixed signs of a {@link LayerMode#BINARY_ALPHA} layer (alpha is updated in it)
     * @param trainBn whether BatchNorm's gamma and beta learn
     */
    public static List<Double> train(SmallCnn m, ImageSet train, Settings st, SplittableRandom rnd,
                                     LayerMode[] modes, BinaryCodes[] binary, boolean trainBn,
                                     ProgressListener progress, CancellationToken cancel) {
        return train(m, train, st, rnd, modes, binary, null, trainBn, true, progress, cancel);
    }

    /**
     * As above, with Q-CNN layers and the BatchNorm mode chosen.
     *
     * @param pq           per layer, the product-quantized layer of a {@link LayerMode#PQ_CODEBOOK} layer (its
     *                     codebooks are updated in it and the layer's weights rebuilt after every step)
     * @param batchStatsBn true: BatchNorm normalises with batch statistics (training mode); false: with the
     *                     running statistics, as at inference (needed for a BN-folded network)
     */
    public static List<Double> train(SmallCnn m, ImageSet train, Settings st, SplittableRandom rnd,
                                     LayerMode[] modes, BinaryCodes[] binary, PqLayer[] pq, boolean trainBn,
                                     boolean batchStatsBn, ProgressListener progress, CancellationToken cancel) {
        CnnShape s = m.shape;
        LayerMode[] md = modes != null ? modes : new LayerMode[] {LayerMode.FULL, LayerMode.FULL, LayerMode.FULL,
                LayerMode.FULL};
        List<float[]> params = new ArrayList<>();
        List<Integer> gradIds = new ArrayList<>();
        SmallCnn.Grads g = new SmallCnn.Grads(s);
        List<float[]> gradsList = new ArrayList<>();
        float[][] alphaGrad = new float[CnnShape.LAYERS][];
        float[][][] codebookGrad = new float[CnnShape.LAYERS][][];
        for (int l = 0; l < CnnShape.LAYERS; l++) {
            if (md[l] == LayerMode.FULL) {
                params.add(m.weights[l]);
                gradsList.add(g.weights[l]);
                params.add(m.biases[l]);
                gradsList.add(g.biases[l]);
            } else if (md[l] == LayerMode.BINARY_ALPHA) {
                alphaGrad[l] = new float[s.outputs(l)];
                params.add(binary[l].alpha());
                gradsList.add(alphaGrad[l]);
                params.add(m.biases[l]);
                gradsList.add(g.biases[l]);
            } else if (md[l] == LayerMode.PQ_CODEBOOK) {
                codebookGrad[l] = new float[pq[l].subspaces][];
                for (int q = 0; q < pq[l].subspaces; q++) {
                    codebookGrad[l][q] = new float[pq[l].codebooks[q].length];
                    params.add(pq[l].codebooks[q]);
                    gradsList.add(codebookGrad[l][q]);
                }
                params.add(m.biases[l]);
                gradsList.add(g.biases[l]);
            }
        }
        if (trainBn) {
            for (int i = 0; i < 2; i++) {
                params.add(m.bnGamma[i]);
                gradsList.add(g.bnGamma[i]);
                params.add(m.bnBeta[i]);
                gradsList.add(g.bnBeta[i]);
            }
        }
        gradIds.add(params.size());
        Adam adam = new Adam(params);
        int hw = s.height() * s.width();
        int bs = st.batchSize();
        int stepsPerEpoch = train.count() / bs;
        int total = stepsPerEpoch * st.epochs();
        if (st.maxSteps() > 0) {
            total = Math.min(total, st.maxSteps());
        }
        float[] batchX = new float[bs * hw];
        int[] batchY = new int[bs];
        float[] dLogits = new float[bs * s.classes()];
        SmallCnn.Pass pass = new SmallCnn.Pass(m);
        List<Double> losses = new ArrayList<>();
        int[] order = new int[train.count()];
        int step = 0;
        float mu = m.inputMean;
        float inv = 1f / m.inputStd;
        for (int epoch = 0; step < total; epoch++) {
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            for (int i = order.length - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int bi = 0; bi < stepsPerEpoch && step < total; bi++, step++) {
                cancel.throwIfCancelled();
                for (int b = 0; b < bs; b++) {
                    int idx = order[bi * bs + b];
                    batchY[b] = train.labels()[idx];
                    for (int q = 0; q < hw; q++) {
                        batchX[b * hw + q] = (train.pixels()[idx * hw + q] - mu) * inv;
                    }
                }
                pass.forward(null, 0, 0, batchX, batchStatsBn);
                double loss = pass.crossEntropy(batchY, 0, dLogits);
                losses.add(loss);
                g.zero();
                pass.backward(dLogits, null, g, null);
                for (int l = 0; l < CnnShape.LAYERS; l++) {
                    if (md[l] == LayerMode.BINARY_ALPHA) {
                        int n = s.outputs(l);
                        java.util.Arrays.fill(alphaGrad[l], 0f);
                        byte[] sg = binary[l].signs();
                        for (int k = 0; k < g.weights[l].length; k++) {
                            alphaGrad[l][k % n] += g.weights[l][k] * sg[k];
                        }
                    } else if (md[l] == LayerMode.PQ_CODEBOOK) {
                        pq[l].codebookGradient(g.weights[l], codebookGrad[l]);
                    }
                }
                double lr = st.learningRate() * 0.5 * (1 + Math.cos(Math.PI * step / total));
                adam.step(gradsList, lr);
                for (int l = 0; l < CnnShape.LAYERS; l++) {
                    if (md[l] == LayerMode.BINARY_ALPHA) {
                        System.arraycopy(binary[l].weights(), 0, m.weights[l], 0, m.weights[l].length);
                    } else if (md[l] == LayerMode.PQ_CODEBOOK) {
                        pq[l].reconstructInto(m.weights[l]);
                    }
                }
                if (step % 20 == 0) {
                    progress.progress(step / (double) total, String.format(java.util.Locale.ROOT,
                            "epoch %d, step %d/%d, loss %.4f", epoch + 1, step, total, loss));
                }
            }
        }
        return losses;
    }

    /** Adam over a fixed list of parameter arrays. */
    static final class Adam {
        private final List<float[]> params;
        private final List<float[]> m1 = new ArrayList<>();
        private final List<float[]> m2 = new ArrayList<>();
        private int t;

        Adam(List<float[]> params) {
            this.params = params;
            for (float[] p : params) {
                m1.add(new float[p.length]);
                m2.add(new float[p.length]);
            }
        }

        void step(List<float[]> grads, double lr) {
            t++;
            double c1 = 1 - Math.pow(0.9, t);
            double c2 = 1 - Math.pow(0.999, t);
            float a = (float) (lr * Math.sqrt(c2) / c1);
            for (int i = 0; i < params.size(); i++) {
                float[] p = params.get(i);
                float[] gr = grads.get(i);
                float[] v1 = m1.get(i);
                float[] v2 = m2.get(i);
                for (int k = 0; k < p.length; k++) {
                    v1[k] = 0.9f * v1[k] + 0.1f * gr[k];
                    v2[k] = 0.999f * v2[k] + 0.001f * gr[k] * gr[k];
                    p[k] -= a * v1[k] / ((float) Math.sqrt(v2[k]) + 1e-8f);
                }
            }
        }
    }
}
