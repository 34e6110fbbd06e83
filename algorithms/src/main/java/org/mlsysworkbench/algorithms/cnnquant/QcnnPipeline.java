package org.mlsysworkbench.algorithms.cnnquant;

import java.util.SplittableRandom;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.core.ProgressListener;

/**
 * Q-CNN on the bench's network: product-quantizes the chosen layers in order, each with inputs taken from the
 * network whose earlier layers are already quantized and targets from the original network (multi-layer
 * error correction), then optionally fine-tunes what quantization leaves free (codebooks with the codes fixed, and
 * the biases of the quantized layers) for a few hundred steps on the training set.
 */
public final class QcnnPipeline {

    /**
     * @param subDim     per layer C_s' (channels per subspace), 0 to keep the layer in float
     * @param codewords  per layer K
     * @param samples    training images that provide inputs and targets
     * @param kmeansIterations Lloyd iterations of the initial k-means
     * @param sweeps     error-correction sweeps (0: plain k-means)
     * @param fineTune   the short fine-tune after quantization ({@code maxSteps} 0: none): codes fixed,
     *                   the codebooks and biases of the quantized layers learn; float layers stay as they were
     *                   (so the per-layer error table still shows them exact), BatchNorm stays folded
     */
    public record Settings(int[] subDim, int[] codewords, int samples, int kmeansIterations, int sweeps,
                           CnnTrainer.Settings fineTune) {
    }

    /** The quantized (BN-folded) network and its PQ layers (null for float layers). */
    public record Result(SmallCnn model, PqLayer[] layers) {

        /** Bits of all weights: PQ layers as codebooks + codes, float layers at 32 bits per weight. */
        public long weightBits() {
            long bits = 0;
            for (int l = 0; l < CnnShape.LAYERS; l++) {
                bits += layers[l] != null ? layers[l].storageBits() : 32L * model.shape.weightCount(l);
            }
            return bits;
        }

        /** Compression of all weights against float32. */
        public double compression() {
            return 32.0 * model.weightCount() / weightBits();
        }
    }

    private QcnnPipeline() {
    }

    public static Result run(SmallCnn folded, ImageSet train, Settings st, SplittableRandom rnd,
                             ProgressListener progress, CancellationToken cancel) {
        SmallCnn q = folded.copy();
        CnnShape s = q.shape;
        PqLayer[] layers = new PqLayer[CnnShape.LAYERS];
        int n = Math.min(st.samples(), train.count());
        SmallCnn.Pass ref = new SmallCnn.Pass(folded);
        ref.forward(train, 0, n, null, false);
        for (int l = 0; l < CnnShape.LAYERS; l++) {
            if (st.subDim()[l] <= 0) {
                continue;
            }
            cancel.throwIfCancelled();
            progress.progress(-1, "Q-CNN: quantizing " + CnnShape.LAYER_NAMES[l]);
            SmallCnn.Pass cur = new SmallCnn.Pass(q);
            cur.forward(train, 0, n, null, false);
            float[] x = SmallCnn.layerSamples(cur, l);
            float[] t = SmallCnn.layerResponses(ref, l, true);
            int rows = x.length / s.fanIn(l);
            int positions = s.isConv(l) ? 9 : 1;
            layers[l] = PqLayer.learn(folded.weights[l], s.fanIn(l), s.outputs(l), positions, st.subDim()[l],
                    st.codewords()[l], x, t, rows, st.kmeansIterations(), st.sweeps(), rnd);
            q.weights[l] = layers[l].reconstruct();
        }
        if (st.fineTune() != null && st.fineTune().maxSteps() > 0) {
            cancel.throwIfCancelled();
            progress.progress(-1, "Q-CNN: fine-tuning codebooks, biases and float layers");
            CnnTrainer.LayerMode[] modes = new CnnTrainer.LayerMode[CnnShape.LAYERS];
            for (int l = 0; l < CnnShape.LAYERS; l++) {
                modes[l] = layers[l] != null ? CnnTrainer.LayerMode.PQ_CODEBOOK : CnnTrainer.LayerMode.FROZEN;
            }
            // the network is BN-folded: BatchNorm is the identity and must stay so (running statistics)
            CnnTrainer.train(q, train, st.fineTune(), rnd, modes, null, layers, false, false, progress, cancel);
        }
        return new Result(q, layers);
    }
}
