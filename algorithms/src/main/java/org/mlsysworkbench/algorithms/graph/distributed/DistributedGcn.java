package org.mlsysworkbench.algorithms.graph.distributed;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.graph.LabelledGraph;
import org.mlsysworkbench.algorithms.graph.gnn.GcnOps;
import org.mlsysworkbench.algorithms.graph.partition.Partition;
import org.mlsysworkbench.algorithms.graph.quant.Adam;
import org.mlsysworkbench.algorithms.graph.quant.QuantGcn;

/**
 * Full-graph GCN training over P simulated workers (one thread each, one process): each worker owns a
 * partition, and at every layer the boundary rows travel between workers through the {@link LowBitCodec}
 * (forward: features of halo nodes; backward: gradients of those rows back to their owners), with bounded
 * staleness. A Sylvie-style design (no code of the paper exists): AdaQP's quantizer, PipeGCN's stale buffers.
 *
 * <pre>
 *   layer l on worker p:  Agg = A^[V_p, V_p u B_p] · [H_l(V_p); H^_l(B_p) from epoch t - s]
 *                         Z   = Agg · W_l + b_l,   H_{l+1} = dropout(ReLU(Z))  (logits at the last layer)
 *   A^ = D^-1/2 (A + I) D^-1/2;  input features of halo nodes are fetched once, in FP32, at setup.
 *   Parameter gradients are summed over workers (all-reduce, full precision) before each Adam step.
 * </pre>
 * With s = 0 and 32-bit messages the result equals single-process training up to float summation
 * order; with one worker it is the same computation. Every byte is counted; {@link NetworkModel} turns
 * bytes into modelled transfer time beside the measured compute time (thread CPU time per worker).
 * Not thread-safe: one trainer runs one training.
 */
public final class DistributedGcn implements AutoCloseable {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private final LabelledGraph data;
    private final DistributedSettings cfg;
    private final LowBitCodec codec;
    private final int n;
    private final int layers;
    private final int[] width;
    private final float[][] w;
    private final float[][] b;
    private final List<Adam> optimizers = new ArrayList<>();
    private final Worker[] workers;
    private final float[][] h;        // h[l]: input of layer l, global rows (h[0] = features)
    private final float[][] z;        // z[l]: pre-activation output of layer l, global rows
    private final float[][] mask;     // dropout masks (scaled), global rows, per hidden layer
    private final float[][] dh;       // gradient w.r.t. h[l], global rows
    private final ExecutorService pool;
    private final SplittableRandom random;
    private final long seed;
    private long[][][] recvBytes;
    private long[][][] recvBytesFp32;
    private int[][][] recvMessages;
    private int[][] evalAdj;
    private float[] evalVal;
    private float[] evalInputAgg;
    private float[] pendingInputAgg;

    /** One simulated worker's index structures and buffers. */
    private final class Worker {
        final int id;
        final int[] local;
        final int[] halo;
        final int[] haloOwner;
        final int[] rowPtr;
        final int[] col;          // < local.length: local row; else halo index + local.length
        final float[] val;
        final float[][] agg;      // agg[l]: local.length x width[l]
        final float[][][] haloRing;    // [l][slot]: halo rows of h[l] as received
        final float[][][] gradRing;    // [l][slot]: received gradient sums for this worker's local rows
        final float[][] haloGrad;      // [l]: gradient of this worker's halo rows, to be sent
        final float[][] dw;
        final float[][] db;
        final double[] fwdCpuMs;
        final double[] bwdCpuMs;
        boolean inputAggregated;

        Worker(int id, int[] local, int[] globalToLocal, Partition part, int[] aPtr, int[] aCol, float[] aVal) {
            this.id = id;
            this.local = local;
            int[] haloIndex = new int[n];
            Arrays.fill(haloIndex, -1);
            List<Integer> haloList = new ArrayList<>();
            for (int v : local) {
                for (int p = aPtr[v]; p < aPtr[v + 1]; p++) {
                    int u = aCol[p];
                    if (part.partOf(u) != id && haloIndex[u] < 0) {
                        haloIndex[u] = -2;
                        haloList.add(u);
                    }
                }
            }
            halo = haloList.stream().mapToInt(Integer::intValue).sorted().toArray();
            for (int i = 0; i < halo.length; i++) {
                haloIndex[halo[i]] = i;
            }
            haloOwner = new int[halo.length];
            for (int i = 0; i < halo.length; i++) {
                haloOwner[i] = part.partOf(halo[i]);
            }
            rowPtr = new int[local.length + 1];
            for (int i = 0; i < local.length; i++) {
                rowPtr[i + 1] = rowPtr[i] + aPtr[local[i] + 1] - aPtr[local[i]];
            }
            col = new int[rowPtr[local.length]];
            val = new float[col.length];
            for (int i = 0; i < local.length; i++) {
                int v = local[i];
                int k = rowPtr[i];
                // the global row's order is kept, so the sums run in the same order as single-process training
                for (int p = aPtr[v]; p < aPtr[v + 1]; p++) {
                    int u = aCol[p];
                    col[k] = part.partOf(u) == id ? globalToLocal[u] : local.length + haloIndex[u];
                    val[k++] = aVal[p];
                }
            }
            int slots = cfg.staleness() + 1;
            agg = new float[layers][];
            haloRing = new float[layers][slots][];
            gradRing = new float[layers][slots][];
            haloGrad = new float[layers][];
            dw = new float[layers][];
            db = new float[layers][];
            for (int l = 0; l < layers; l++) {
                agg[l] = new float[local.length * width[l]];
                for (int s = 0; s < slots; s++) {
                    haloRing[l][s] = new float[halo.length * width[l]];
                    gradRing[l][s] = new float[local.length * width[l]];
                }
                haloGrad[l] = new float[halo.length * width[l]];
                dw[l] = new float[width[l] * width[l + 1]];
                db[l] = new float[width[l + 1]];
            }
            fwdCpuMs = new double[layers];
            bwdCpuMs = new double[layers];
        }
    }

    public DistributedGcn(LabelledGraph data, Partition partition, DistributedSettings settings, long seed) {
        settings.validate();
        this.data = data;
        this.cfg = settings;
        this.codec = new LowBitCodec(settings.messageBits(), settings.side());
        this.n = data.numNodes();
        this.layers = settings.layers();
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        width = new int[layers + 1];
        width[0] = data.featureDim();
        for (int l = 1; l < layers; l++) {
            width[l] = settings.hidden();
        }
        width[layers] = data.numClasses();
        w = new float[layers][];
        b = new float[layers][];
        for (int l = 0; l < layers; l++) {
            w[l] = GcnOps.glorot(width[l], width[l + 1], random);
            b[l] = new float[width[l + 1]];
            optimizers.add(new Adam(w[l], settings.lr(), settings.weightDecay()));
            optimizers.add(new Adam(b[l], settings.lr(), 0));
        }
        h = new float[layers][];
        z = new float[layers][];
        mask = new float[layers][];
        dh = new float[layers][];
        h[0] = data.features();
        for (int l = 0; l < layers; l++) {
            z[l] = new float[n * width[l + 1]];
            if (l > 0) {
                h[l] = new float[n * width[l]];
                mask[l] = new float[n * width[l]];
                dh[l] = new float[n * width[l]];
            }
        }
        int[][] adj = new int[2][];
        float[] aVal = QuantGcn.normalisedAdjacency(data.graph(), adj);
        int[] globalToLocal = new int[n];
        workers = new Worker[partition.parts()];
        for (int p = 0; p < workers.length; p++) {
            int[] local = partition.nodesOf(p);
            for (int i = 0; i < local.length; i++) {
                globalToLocal[local[i]] = i;
            }
        }
        for (int p = 0; p < workers.length; p++) {
            workers[p] = new Worker(p, partition.nodesOf(p), globalToLocal, partition, adj[0], adj[1], aVal);
        }
        pool = Executors.newFixedThreadPool(workers.length, r -> {
            Thread t = new Thread(r, "sim-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /** Bytes fetched once at setup: FP32 input features of every worker's halo nodes. */
    public long setupBytes() {
        long rows = 0;
        for (Worker wk : workers) {
            rows += wk.halo.length;
        }
        return rows * width[0] * 4L;
    }

    /** Halo rows per worker. */
    public int[] haloSizes() {
        return Arrays.stream(workers).mapToInt(wk -> wk.halo.length).toArray();
    }

    public int[] widths() {
        return width.clone();
    }

    /** Trains {@code epochs} epochs and returns one record per epoch. */
    public List<EpochStats> train(int epochs, CancellationToken cancel, java.util.function.Consumer<EpochStats> each) {
        List<EpochStats> out = new ArrayList<>();
        for (int t = 0; t < epochs; t++) {
            cancel.throwIfCancelled();
            EpochStats s = epoch(t);
            out.add(s);
            if (each != null) {
                each.accept(s);
            }
        }
        return out;
    }

    /** One epoch: forward with exchanges, loss, backward with exchanges, all-reduce, Adam. */
    EpochStats epoch(int t) {
        int slots = cfg.staleness() + 1;
        int writeSlot = t % slots;
        int readSlot = Math.max(0, t - cfg.staleness()) % slots;
        long[][] bytes = new long[2][layers];         // [fwd|bwd][layer], as sent
        long[][] bytesFp32 = new long[2][layers];
        double[][][] commMs = new double[2][layers][workers.length];
        double[][][] commFp32Ms = new double[2][layers][workers.length];
        long[][][] recv = new long[2][layers][workers.length];
        long[][][] recvFp32 = new long[2][layers][workers.length];
        int[][][] msgs = new int[2][layers][workers.length];
        this.recvBytes = recv;
        this.recvBytesFp32 = recvFp32;
        this.recvMessages = msgs;
        drawDropoutMasks();
        for (int l = 0; l < layers; l++) {
            final int layer = l;
            runWorkers(wk -> forward(wk, layer, readSlot));
            if (l + 1 < layers) {
                exchangeForward(l + 1, writeSlot, t, bytes[0], bytesFp32[0], commMs[0], commFp32Ms[0]);
            }
        }
        float[] logits = z[layers - 1];
        float[] dLogits = new float[logits.length];
        double loss = crossEntropy(logits, data.train(), dLogits);
        for (int l = layers - 1; l >= 0; l--) {
            final int layer = l;
            final float[] top = l == layers - 1 ? dLogits : null;
            runWorkers(wk -> backward(wk, layer, top));
            if (l >= 1) {
                exchangeBackward(l, writeSlot, readSlot, t, bytes[1], bytesFp32[1], commMs[1], commFp32Ms[1]);
            }
        }
        for (int l = 0; l < layers; l++) {
            float[] gw = new float[w[l].length];
            float[] gb = new float[b[l].length];
            for (Worker wk : workers) {
                for (int i = 0; i < gw.length; i++) {
                    gw[i] += wk.dw[l][i];
                }
                for (int i = 0; i < gb.length; i++) {
                    gb[i] += wk.db[l][i];
                }
            }
            optimizers.get(2 * l).step(gw);
            optimizers.get(2 * l + 1).step(gb);
        }
        double[][] fwdMs = new double[layers][workers.length];
        double[][] bwdMs = new double[layers][workers.length];
        for (Worker wk : workers) {
            for (int l = 0; l < layers; l++) {
                fwdMs[l][wk.id] = wk.fwdCpuMs[l];
                bwdMs[l][wk.id] = wk.bwdCpuMs[l];
            }
        }
        float[] eval = evaluate();
        return new EpochStats(t, loss, accuracy(eval, data.val()), accuracy(eval, data.test()), bytes[0], bytes[1],
                bytesFp32[0], bytesFp32[1], fwdMs, bwdMs, commMs, commFp32Ms, recv, recvFp32, msgs);
    }

    private void drawDropoutMasks() {
        double keep = 1 - cfg.dropout();
        for (int l = 1; l < layers; l++) {
            float[] m = mask[l];
            for (int i = 0; i < m.length; i++) {
                m[i] = cfg.dropout() == 0 ? 1f : random.nextDouble() < keep ? (float) (1 / keep) : 0f;
            }
        }
    }

    private void forward(Worker wk, int l, int readSlot) {
        long t0 = CPU.getCurrentThreadCpuTime();
        int d = width[l];
        int dOut = width[l + 1];
        float[] agg = wk.agg[l];
        float[] src = h[l];
        float[] haloRows = l == 0 ? null : wk.haloRing[l][readSlot];
        int nLocal = wk.local.length;
        // layer 0 aggregates the fixed input features over a fixed graph: computed once, then reused
        boolean aggregate = l > 0 || !wk.inputAggregated;
        wk.inputAggregated = true;
        if (aggregate) {
            Arrays.fill(agg, 0f);
        }
        for (int i = 0; aggregate && i < nLocal; i++) {
            int o = i * d;
            for (int k = wk.rowPtr[i]; k < wk.rowPtr[i + 1]; k++) {
                int c = wk.col[k];
                float v = wk.val[k];
                float[] from;
                int off;
                if (c < nLocal) {
                    from = src;
                    off = wk.local[c] * d;
                } else if (l == 0) {
                    from = src;   // input features of halo nodes were fetched once, exactly
                    off = wk.halo[c - nLocal] * d;
                } else {
                    from = haloRows;
                    off = (c - nLocal) * d;
                }
                for (int j = 0; j < d; j++) {
                    agg[o + j] += v * from[off + j];
                }
            }
        }
        float[] zl = z[l];
        float[] wl = w[l];
        for (int i = 0; i < nLocal; i++) {
            int g = wk.local[i] * dOut;
            System.arraycopy(b[l], 0, zl, g, dOut);
            int ai = i * d;
            for (int k = 0; k < d; k++) {
                float a = agg[ai + k];
                if (a == 0f) {
                    continue;
                }
                int wk0 = k * dOut;
                for (int j = 0; j < dOut; j++) {
                    zl[g + j] += a * wl[wk0 + j];
                }
            }
            if (l + 1 < layers) {
                float[] hn = h[l + 1];
                float[] m = mask[l + 1];
                for (int j = 0; j < dOut; j++) {
                    hn[g + j] = Math.max(0f, zl[g + j]) * m[g + j];
                }
            }
        }
        wk.fwdCpuMs[l] = (CPU.getCurrentThreadCpuTime() - t0) / 1e6;
    }

    private void backward(Worker wk, int l, float[] dTop) {
        long t0 = CPU.getCurrentThreadCpuTime();
        int d = width[l];
        int dOut = width[l + 1];
        int nLocal = wk.local.length;
        float[] dz = new float[nLocal * dOut];
        for (int i = 0; i < nLocal; i++) {
            int g = wk.local[i] * dOut;
            for (int j = 0; j < dOut; j++) {
                dz[i * dOut + j] = dTop != null ? dTop[g + j]
                        : z[l][g + j] > 0 ? dh[l + 1][g + j] * mask[l + 1][g + j] : 0f;
            }
        }
        float[] dw = wk.dw[l];
        float[] dbl = wk.db[l];
        Arrays.fill(dw, 0f);
        Arrays.fill(dbl, 0f);
        float[] agg = wk.agg[l];
        for (int i = 0; i < nLocal; i++) {
            for (int k = 0; k < d; k++) {
                float a = agg[i * d + k];
                if (a == 0f) {
                    continue;
                }
                for (int j = 0; j < dOut; j++) {
                    dw[k * dOut + j] += a * dz[i * dOut + j];
                }
            }
            for (int j = 0; j < dOut; j++) {
                dbl[j] += dz[i * dOut + j];
            }
        }
        if (l >= 1) {
            float[] dAgg = new float[d];
            float[] dhl = dh[l];
            float[] hg = wk.haloGrad[l];
            for (int i = 0; i < nLocal; i++) {
                int g = wk.local[i] * d;
                Arrays.fill(dhl, g, g + d, 0f);
            }
            Arrays.fill(hg, 0f);
            float[] wl = w[l];
            for (int i = 0; i < nLocal; i++) {
                for (int k = 0; k < d; k++) {
                    float s = 0;
                    for (int j = 0; j < dOut; j++) {
                        s += dz[i * dOut + j] * wl[k * dOut + j];
                    }
                    dAgg[k] = s;
                }
                for (int p = wk.rowPtr[i]; p < wk.rowPtr[i + 1]; p++) {
                    int c = wk.col[p];
                    float v = wk.val[p];
                    float[] to = c < nLocal ? dhl : hg;
                    int off = c < nLocal ? wk.local[c] * d : (c - nLocal) * d;
                    for (int k = 0; k < d; k++) {
                        to[off + k] += v * dAgg[k];
                    }
                }
            }
        }
        wk.bwdCpuMs[l] = (CPU.getCurrentThreadCpuTime() - t0) / 1e6;
    }

    /** Owners send the new h[l] rows of every worker's halo; receivers store the decoded rows. */
    private void exchangeForward(int l, int slot, int epoch, long[] bytes, long[] bytesFp32, double[][] ms,
                                 double[][] msFp32) {
        int d = width[l];
        for (Worker wk : workers) {
            SplittableRandom r = messageRandom(epoch, l, 0, wk.id);
            float[] dst = wk.haloRing[l][slot];
            long[] fromPeer = new long[workers.length];
            for (int i = 0; i < wk.halo.length; i++) {
                codec.roundTrip(h[l], wk.halo[i] * d, dst, i * d, d, r);
                fromPeer[wk.haloOwner[i]]++;
            }
            account(fromPeer, d, wk.id, l, 0, bytes, bytesFp32, ms, msFp32);
        }
    }

    /** Every worker sends its halo-row gradients to their owners, who add what the staleness rule allows. */
    private void exchangeBackward(int l, int writeSlot, int readSlot, int epoch, long[] bytes, long[] bytesFp32,
                                  double[][] ms, double[][] msFp32) {
        int d = width[l];
        int[] globalToLocalRow = new int[n];
        for (Worker wk : workers) {
            for (int i = 0; i < wk.local.length; i++) {
                globalToLocalRow[wk.local[i]] = i;
            }
            Arrays.fill(wk.gradRing[l][writeSlot], 0f);
        }
        long[][] toOwner = new long[workers.length][workers.length];
        float[] row = new float[d];
        for (Worker sender : workers) {
            SplittableRandom r = messageRandom(epoch, l, 1, sender.id);
            for (int i = 0; i < sender.halo.length; i++) {
                int owner = sender.haloOwner[i];
                codec.roundTrip(sender.haloGrad[l], i * d, row, 0, d, r);
                float[] acc = workers[owner].gradRing[l][writeSlot];
                int off = globalToLocalRow[sender.halo[i]] * d;
                for (int k = 0; k < d; k++) {
                    acc[off + k] += row[k];
                }
                toOwner[owner][sender.id]++;
            }
        }
        for (Worker owner : workers) {
            account(toOwner[owner.id], d, owner.id, l, 1, bytes, bytesFp32, ms, msFp32);
            float[] add = owner.gradRing[l][readSlot];
            float[] dhl = dh[l];
            for (int i = 0; i < owner.local.length; i++) {
                int g = owner.local[i] * d;
                for (int k = 0; k < d; k++) {
                    dhl[g + k] += add[i * d + k];
                }
            }
        }
    }

    private void account(long[] rowsFromPeer, int d, int receiver, int l, int dir, long[] bytes, long[] bytesFp32,
                         double[][] ms, double[][] msFp32) {
        double t = 0;
        double tFp32 = 0;
        for (int q = 0; q < rowsFromPeer.length; q++) {
            if (rowsFromPeer[q] == 0) {
                continue;
            }
            long b8 = (rowsFromPeer[q] * codec.payloadBits(d) + 7) / 8;
            long f8 = rowsFromPeer[q] * 4L * d;
            bytes[l] += b8;
            bytesFp32[l] += f8;
            recvBytes[dir][l][receiver] += b8;
            recvBytesFp32[dir][l][receiver] += f8;
            recvMessages[dir][l][receiver]++;
            t += cfg.network().transferMs(b8);
            tFp32 += cfg.network().transferMs(f8);
        }
        ms[l][receiver] = t;
        msFp32[l][receiver] = tFp32;
    }

    private SplittableRandom messageRandom(int epoch, int layer, int direction, int worker) {
        long h0 = seed * 0x9E3779B97F4A7C15L + epoch;
        h0 = h0 * 31 + layer;
        h0 = h0 * 31 + direction;
        return new SplittableRandom(h0 * 31 + worker);
    }

    private void runWorkers(java.util.function.Consumer<Worker> task) {
        List<Future<?>> fs = new ArrayList<>();
        for (Worker wk : workers) {
            fs.add(pool.submit(() -> task.accept(wk)));
        }
        try {
            for (Future<?> f : fs) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("worker failed: " + e.getCause(), e.getCause());
        }
    }

    /** Evaluation pass without dropout or quantization, on the full graph (what the trained model does). */
    float[] evaluate() {
        if (evalAdj == null) {
            evalAdj = new int[2][];
            evalVal = QuantGcn.normalisedAdjacency(data.graph(), evalAdj);
        }
        int[][] adj = evalAdj;
        float[] aVal = evalVal;
        float[] cur = h[0];
        for (int l = 0; l < layers; l++) {
            int d = width[l];
            int dOut = width[l + 1];
            float[] next = new float[n * dOut];
            float[] agg = new float[d];
            for (int v = 0; v < n; v++) {
                if (l == 0 && evalInputAgg != null) {
                    System.arraycopy(evalInputAgg, v * d, agg, 0, d);
                } else {
                    Arrays.fill(agg, 0f);
                    for (int p = adj[0][v]; p < adj[0][v + 1]; p++) {
                        int u = adj[1][p];
                        float a = aVal[p];
                        for (int j = 0; j < d; j++) {
                            agg[j] += a * cur[u * d + j];
                        }
                    }
                    if (l == 0) {
                        if (v == 0) {
                            pendingInputAgg = new float[n * d];
                        }
                        System.arraycopy(agg, 0, pendingInputAgg, v * d, d);
                        if (v == n - 1) {
                            evalInputAgg = pendingInputAgg;   // the input aggregation never changes
                        }
                    }
                }
                int g = v * dOut;
                System.arraycopy(b[l], 0, next, g, dOut);
                for (int k = 0; k < d; k++) {
                    if (agg[k] == 0f) {
                        continue;
                    }
                    for (int j = 0; j < dOut; j++) {
                        next[g + j] += agg[k] * w[l][k * dOut + j];
                    }
                }
                if (l + 1 < layers) {
                    for (int j = 0; j < dOut; j++) {
                        next[g + j] = Math.max(0f, next[g + j]);
                    }
                }
            }
            cur = next;
        }
        return cur;
    }

    double crossEntropy(float[] logits, int[] nodes, float[] grad) {
        return GcnOps.softmaxCrossEntropy(logits, data.numClasses(), data.labels(), nodes, grad);
    }

    double accuracy(float[] logits, int[] nodes) {
        return GcnOps.accuracy(logits, data.numClasses(), data.labels(), nodes);
    }

    /** The weights after training (layer l: width[l] x width[l+1], row-major); live arrays. */
    float[][] weights() {
        return w;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
