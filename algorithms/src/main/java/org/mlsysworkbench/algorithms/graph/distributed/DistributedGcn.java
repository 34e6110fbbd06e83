package org.mlsysworkbench.algorithms.graph.distributed;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.graph.LabelledGraph;
import org.mlsysworkbench.algorithms.graph.gnn.GcnOps;
import org.mlsysworkbench.algorithms.graph.partition.Partition;
import org.mlsysworkbench.algorithms.graph.quant.Adam;
import org.mlsysworkbench.algorithms.graph.quant.QuantGcn;
import org.mlsysworkbench.algorithms.graph.sampling.CounterRng;

/**
 * Full-graph GCN training over P simulated workers (one thread each, one process): each worker owns a
 * partition, and at every layer the boundary rows travel between workers as messages of the Low-bit Module
 * ({@link LowBitKernels}; forward: features of halo nodes; backward: gradients of those rows back to their
 * owners), with pipelining and bounded staleness. A Sylvie-style design (no code of the paper exists):
 * AdaQP's quantizer, PipeGCN's stale buffers.
 *
 * <pre>
 *   layer l on worker p:  Agg = A^[V_p, V_p u B_p] · [H_l(V_p); H^_l(B_p) from epoch t - s]
 *                         Z   = Agg · W_l + b_l,   H_{l+1} = dropout(ReLU(Z))  (logits at the last layer)
 *   A^ = D^-1/2 (A + I) D^-1/2;  input features of halo nodes are fetched once, in FP32, at setup.
 *   Parameter gradients are summed over workers (all-reduce, full precision) before each Adam step.
 * </pre>
 *
 * <p>Each worker runs its forward (and then its backward) pass on its own thread. When a layer's output is
 * ready it posts one message per peer to the link threads, which quantize, "transfer" and dequantize it into
 * the receiver's ring buffer and then complete a future. Pipelined, a worker first computes its inner rows
 * (no halo neighbour; backward: rows no peer holds as halo), then waits for the messages it needs and finishes
 * the boundary rows; not pipelined, it waits first. With staleness s the messages needed are those of epoch
 * t - s, usually long arrived, so nothing waits. Rows are always processed inner first, so pipelining changes
 * timing only, never the numbers. The forward and backward passes and the optimiser step are epoch-wide
 * barriers (the loss needs every logit; Adam needs every gradient).
 *
 * <p>Deterministic for a seed whatever the thread timing: the rounding draws are a counter-based hash of
 * (message seed, node, channel), and received gradients are summed in sender order. With s = 0 and 32-bit
 * messages the result equals single-process training up to float summation order; with one worker it is the
 * same computation. Every byte is counted; {@link NetworkModel} turns bytes into modelled transfer time
 * beside the measured compute (thread CPU time per worker) and the measured spans ({@link Span}).
 * Not thread-safe: one trainer runs one training; close it to stop its threads.
 */
public final class DistributedGcn implements AutoCloseable {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private final LabelledGraph data;
    private final DistributedSettings cfg;
    private final LowBitCodec codec;
    private final LowBitKernels kernels;
    private final int n;
    private final int layers;
    private final int slots;
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
    private final ExecutorService links;
    private final SplittableRandom random;
    private final long seed;
    // ready[slot][dir][layer][sender * P + receiver]: the message of the epoch held in that slot has landed
    private final CompletableFuture<?>[][][][] ready;
    private final ConcurrentLinkedQueue<Span> spanLog = new ConcurrentLinkedQueue<>();
    private final AtomicInteger stalls = new AtomicInteger();
    private long epochStartNs;
    private double previousLoss = Double.NaN;
    private double lastLoss = Double.NaN;
    private int[][] evalAdj;
    private float[] evalVal;
    private float[] evalInputAgg;

    /** One simulated worker's index structures and buffers. */
    private final class Worker {
        final int id;
        final int[] local;
        final int[] halo;
        final int[] haloOwner;
        final int[] rowPtr;
        final int[] col;          // < local.length: local row; else halo index + local.length
        final float[] val;
        final int[] innerRows;    // forward: rows without halo neighbours
        final int[] boundaryRows; // forward: rows with a halo neighbour
        int[] hiddenRows;         // backward: rows no peer holds as halo (no remote gradient)
        int[] exposedRows;        // backward: rows some peer holds as halo
        final int[][] haloFrom;   // [q]: halo indices owned by q, ascending node id
        int[][] sendTo;           // [q]: local rows that q holds as halo, ascending node id
        final float[][] agg;      // agg[l]: local.length x width[l]
        final float[][][] haloRing;     // [l][slot]: halo rows of h[l] as received
        final float[][][][] gradIn;     // [l][slot][sender]: gradients of sendTo[sender] rows as received
        final float[][] haloGrad;       // [l]: gradient of this worker's halo rows, to be sent
        final float[][] dw;
        final float[][] db;
        final double[] fwdCpuMs;
        final double[] bwdCpuMs;
        boolean inputAggregated;

        Worker(int id, int[] local, int[] globalToLocal, Partition part, int[] aPtr, int[] aCol, float[] aVal,
               int parts) {
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
            int[] fromCount = new int[parts];
            for (int i = 0; i < halo.length; i++) {
                haloOwner[i] = part.partOf(halo[i]);
                fromCount[haloOwner[i]]++;
            }
            haloFrom = new int[parts][];
            for (int q = 0; q < parts; q++) {
                haloFrom[q] = new int[fromCount[q]];
            }
            Arrays.fill(fromCount, 0);
            for (int i = 0; i < halo.length; i++) {
                haloFrom[haloOwner[i]][fromCount[haloOwner[i]]++] = i;
            }
            rowPtr = new int[local.length + 1];
            for (int i = 0; i < local.length; i++) {
                rowPtr[i + 1] = rowPtr[i] + aPtr[local[i] + 1] - aPtr[local[i]];
            }
            col = new int[rowPtr[local.length]];
            val = new float[col.length];
            List<Integer> inner = new ArrayList<>();
            List<Integer> boundary = new ArrayList<>();
            for (int i = 0; i < local.length; i++) {
                int v = local[i];
                int k = rowPtr[i];
                boolean touchesHalo = false;
                // the global row's order is kept, so the sums run in the same order as single-process training
                for (int p = aPtr[v]; p < aPtr[v + 1]; p++) {
                    int u = aCol[p];
                    touchesHalo |= part.partOf(u) != id;
                    col[k] = part.partOf(u) == id ? globalToLocal[u] : local.length + haloIndex[u];
                    val[k++] = aVal[p];
                }
                (touchesHalo ? boundary : inner).add(i);
            }
            innerRows = inner.stream().mapToInt(Integer::intValue).toArray();
            boundaryRows = boundary.stream().mapToInt(Integer::intValue).toArray();
            agg = new float[layers][];
            haloRing = new float[layers][slots][];
            gradIn = new float[layers][slots][parts][];
            haloGrad = new float[layers][];
            dw = new float[layers][];
            db = new float[layers][];
            for (int l = 0; l < layers; l++) {
                agg[l] = new float[local.length * width[l]];
                for (int s = 0; s < slots; s++) {
                    haloRing[l][s] = new float[halo.length * width[l]];
                }
                haloGrad[l] = new float[halo.length * width[l]];
                dw[l] = new float[width[l] * width[l + 1]];
                db[l] = new float[width[l + 1]];
            }
            fwdCpuMs = new double[layers];
            bwdCpuMs = new double[layers];
        }

        /** Called once every worker exists: what each peer holds of this worker's rows. */
        void linkPeers(Worker[] all, int[] globalToLocal) {
            sendTo = new int[all.length][];
            boolean[] exposed = new boolean[local.length];
            for (Worker q : all) {
                int[] rows = new int[q.haloFrom[id].length];
                for (int k = 0; k < rows.length; k++) {
                    rows[k] = globalToLocal[q.halo[q.haloFrom[id][k]]];
                    exposed[rows[k]] = true;
                }
                sendTo[q.id] = rows;
                for (int l = 0; l < layers; l++) {
                    for (int s = 0; s < slots; s++) {
                        gradIn[l][s][q.id] = new float[rows.length * width[l]];
                    }
                }
            }
            hiddenRows = java.util.stream.IntStream.range(0, local.length).filter(i -> !exposed[i]).toArray();
            exposedRows = java.util.stream.IntStream.range(0, local.length).filter(i -> exposed[i]).toArray();
        }
    }

    /** A trainer on the CPU codec. */
    public DistributedGcn(LabelledGraph data, Partition partition, DistributedSettings settings, long seed) {
        this(data, partition, settings, seed, new CpuLowBitKernels());
    }

    /** A trainer whose messages go through {@code kernels} (the backend's codec: CPU twin or Vulkan). */
    public DistributedGcn(LabelledGraph data, Partition partition, DistributedSettings settings, long seed,
                          LowBitKernels kernels) {
        settings.validate();
        this.data = data;
        this.cfg = settings;
        this.codec = new LowBitCodec(settings.messageBits(), settings.side());
        this.kernels = kernels;
        this.n = data.numNodes();
        this.layers = settings.layers();
        this.slots = settings.staleness() + 1;
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
        int parts = partition.parts();
        workers = new Worker[parts];
        for (int p = 0; p < parts; p++) {
            int[] local = partition.nodesOf(p);
            for (int i = 0; i < local.length; i++) {
                globalToLocal[local[i]] = i;
            }
        }
        for (int p = 0; p < parts; p++) {
            workers[p] = new Worker(p, partition.nodesOf(p), globalToLocal, partition, adj[0], adj[1], aVal, parts);
        }
        for (Worker wk : workers) {
            wk.linkPeers(workers, globalToLocal);
        }
        ready = new CompletableFuture<?>[slots][2][layers][parts * parts];
        for (CompletableFuture<?>[][][] s : ready) {
            for (CompletableFuture<?>[][] d : s) {
                for (CompletableFuture<?>[] l : d) {
                    Arrays.fill(l, CompletableFuture.completedFuture(null));
                }
            }
        }
        pool = Executors.newFixedThreadPool(parts, daemon("sim-worker"));
        links = Executors.newFixedThreadPool(parts, daemon("sim-link"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger k = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + k.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
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

    /** Inner rows (no halo neighbour) per worker: the work that overlaps the forward exchange. */
    public int[] innerSizes() {
        return Arrays.stream(workers).mapToInt(wk -> wk.innerRows.length).toArray();
    }

    public int[] widths() {
        return width.clone();
    }

    /** Trains {@code epochs} epochs and returns one record per epoch. */
    public List<EpochStats> train(int epochs, CancellationToken cancel, Consumer<EpochStats> each) {
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

    /** The staleness the Bounded Staleness Adaptor allows at epoch t. */
    int effectiveStaleness(int t) {
        if (t < cfg.warmupEpochs()) {
            return 0;
        }
        if (cfg.lossRiseFallback() && lastLoss > previousLoss) {
            return 0;
        }
        return cfg.staleness();
    }

    /** One epoch: forward with exchanges, loss, backward with exchanges, all-reduce, Adam. */
    EpochStats epoch(int t) {
        int sEff = effectiveStaleness(t);
        int readEpoch = Math.max(0, t - sEff);
        int writeSlot = t % slots;
        // the slot is reused: its messages (epoch t - S - 1) were read by epoch t - 1 at the latest
        int parts = workers.length;
        for (int dir = 0; dir < 2; dir++) {
            for (int l = 1; l < layers; l++) {
                CompletableFuture<?>[] f = ready[writeSlot][dir][l];
                for (int k = 0; k < f.length; k++) {
                    f[k].join();
                    Worker receiver = workers[k % parts];
                    int rows = dir == 0 ? receiver.haloFrom[k / parts].length : receiver.sendTo[k / parts].length;
                    // pairs without rows exchange nothing: their future stays complete
                    f[k] = rows == 0 || k / parts == k % parts ? CompletableFuture.completedFuture(null)
                            : new CompletableFuture<Void>();
                }
            }
        }
        spanLog.clear();
        stalls.set(0);
        drawDropoutMasks();
        epochStartNs = System.nanoTime();
        long wall0 = epochStartNs;
        runWorkers(wk -> {
            for (int l = 0; l < layers; l++) {
                forward(wk, l, t, readEpoch);
            }
        });
        float[] logits = z[layers - 1];
        float[] dLogits = new float[logits.length];
        double loss = GcnOps.softmaxCrossEntropy(logits, data.numClasses(), data.labels(), data.train(), dLogits);
        runWorkers(wk -> {
            for (int l = layers - 1; l >= 0; l--) {
                backward(wk, l, l == layers - 1 ? dLogits : null, t, readEpoch);
            }
        });
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
        float[] eval = evaluate();
        // the gradient messages of this epoch overlapped the all-reduce and evaluation; their spans belong here
        for (CompletableFuture<?>[] l : ready[writeSlot][1]) {
            CompletableFuture.allOf(l).join();
        }
        for (CompletableFuture<?>[] l : ready[writeSlot][0]) {
            CompletableFuture.allOf(l).join();
        }
        double wallMs = (System.nanoTime() - wall0) / 1e6;
        previousLoss = lastLoss;
        lastLoss = loss;
        return stats(t, loss, eval, sEff, wallMs);
    }

    private EpochStats stats(int t, double loss, float[] eval, int sEff, double wallMs) {
        int parts = workers.length;
        long[][] bytes = new long[2][layers];
        long[][] bytesFp32 = new long[2][layers];
        double[][][] commMs = new double[2][layers][parts];
        double[][][] commFp32Ms = new double[2][layers][parts];
        long[][][] recv = new long[2][layers][parts];
        long[][][] recvFp32 = new long[2][layers][parts];
        int[][][] msgs = new int[2][layers][parts];
        List<EpochStats.Transfer> transfers = new ArrayList<>();
        for (int dir = 0; dir < 2; dir++) {
            for (int l = 1; l < layers; l++) {
                int d = width[l];
                for (Worker receiver : workers) {
                    for (Worker sender : workers) {
                        // forward: rows of sender that receiver holds as halo; backward: the reverse
                        long rows = dir == 0 ? receiver.haloFrom[sender.id].length : receiver.sendTo[sender.id].length;
                        if (rows == 0) {
                            continue;
                        }
                        long b8 = (rows * codec.payloadBits(d) + 7) / 8;
                        long f8 = rows * 4L * d;
                        bytes[dir][l] += b8;
                        bytesFp32[dir][l] += f8;
                        recv[dir][l][receiver.id] += b8;
                        recvFp32[dir][l][receiver.id] += f8;
                        msgs[dir][l][receiver.id]++;
                        double ms = cfg.network().transferMs(b8);
                        // messages to one receiver share its link: serialised
                        commMs[dir][l][receiver.id] += ms;
                        commFp32Ms[dir][l][receiver.id] += cfg.network().transferMs(f8);
                        transfers.add(new EpochStats.Transfer(sender.id, receiver.id, dir, l, b8, ms));
                    }
                }
            }
        }
        double[][] fwdMs = new double[layers][parts];
        double[][] bwdMs = new double[layers][parts];
        for (Worker wk : workers) {
            for (int l = 0; l < layers; l++) {
                fwdMs[l][wk.id] = wk.fwdCpuMs[l];
                bwdMs[l][wk.id] = wk.bwdCpuMs[l];
            }
        }
        List<Span> spans = new ArrayList<>(spanLog);
        spans.sort(Comparator.comparingDouble(Span::startMs));
        return new EpochStats(t, loss, GcnOps.accuracy(eval, data.numClasses(), data.labels(), data.val()),
                GcnOps.accuracy(eval, data.numClasses(), data.labels(), data.test()), bytes[0], bytes[1],
                bytesFp32[0], bytesFp32[1], fwdMs, bwdMs, commMs, commFp32Ms, recv, recvFp32, msgs, sEff,
                cfg.pipelined(), stalls.get(), wallMs, spans, transfers);
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

    private double now() {
        return (System.nanoTime() - epochStartNs) / 1e6;
    }

    // ---------------------------------------------------------------- forward

    private void forward(Worker wk, int l, int t, int readEpoch) {
        long cpu0 = CPU.getCurrentThreadCpuTime();
        if (l == 0) {
            double s0 = now();
            // layer 0 aggregates the fixed input features over a fixed graph: computed once, then reused
            boolean aggregate = !wk.inputAggregated;
            wk.inputAggregated = true;
            forwardRows(wk, 0, wk.innerRows, null, aggregate);
            forwardRows(wk, 0, wk.boundaryRows, null, aggregate);
            spanLog.add(new Span(wk.id, Span.Kind.COMPUTE, 0, 0, -1, s0, now()));
        } else {
            float[] haloRows = wk.haloRing[l][readEpoch % slots];
            if (cfg.pipelined()) {
                double s0 = now();
                forwardRows(wk, l, wk.innerRows, haloRows, true);
                spanLog.add(new Span(wk.id, Span.Kind.COMPUTE, 0, l, -1, s0, now()));
                await(wk, 0, l, readEpoch);
                double s1 = now();
                forwardRows(wk, l, wk.boundaryRows, haloRows, true);
                spanLog.add(new Span(wk.id, Span.Kind.COMPUTE_BOUNDARY, 0, l, -1, s1, now()));
            } else {
                await(wk, 0, l, readEpoch);
                double s0 = now();
                forwardRows(wk, l, wk.innerRows, haloRows, true);
                forwardRows(wk, l, wk.boundaryRows, haloRows, true);
                spanLog.add(new Span(wk.id, Span.Kind.COMPUTE, 0, l, -1, s0, now()));
            }
        }
        wk.fwdCpuMs[l] = (CPU.getCurrentThreadCpuTime() - cpu0) / 1e6;
        if (l + 1 < layers) {
            sendFeatures(wk, l + 1, t);
        }
    }

    private void forwardRows(Worker wk, int l, int[] rows, float[] haloRows, boolean aggregate) {
        int d = width[l];
        int dOut = width[l + 1];
        float[] agg = wk.agg[l];
        float[] src = h[l];
        int nLocal = wk.local.length;
        float[] zl = z[l];
        float[] wl = w[l];
        for (int i : rows) {
            int o = i * d;
            if (aggregate) {
                Arrays.fill(agg, o, o + d, 0f);
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
            int g = wk.local[i] * dOut;
            System.arraycopy(b[l], 0, zl, g, dOut);
            for (int k = 0; k < d; k++) {
                float a = agg[o + k];
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
    }

    /** Posts h[l] rows to every peer that holds them as halo; the link threads deliver them. */
    private void sendFeatures(Worker sender, int l, int t) {
        int d = width[l];
        for (Worker receiver : workers) {
            int[] rows = sender.sendTo[receiver.id];
            if (rows.length == 0 || receiver == sender) {
                continue;
            }
            float[] x = new float[rows.length * d];
            int[] nodes = new int[rows.length];
            for (int k = 0; k < rows.length; k++) {
                nodes[k] = sender.local[rows[k]];
                System.arraycopy(h[l], nodes[k] * d, x, k * d, d);
            }
            float[] dst = receiver.haloRing[l][t % slots];
            int[] at = receiver.haloFrom[sender.id];
            post(sender.id, receiver.id, 0, l, t, x, nodes, d, decoded -> {
                for (int k = 0; k < at.length; k++) {
                    System.arraycopy(decoded, k * d, dst, at[k] * d, d);
                }
            });
        }
    }

    // ---------------------------------------------------------------- backward

    private void backward(Worker wk, int l, float[] dTop, int t, int readEpoch) {
        long cpu0 = CPU.getCurrentThreadCpuTime();
        int d = width[l];
        Arrays.fill(wk.dw[l], 0f);
        Arrays.fill(wk.db[l], 0f);
        if (l >= 1) {
            for (int v : wk.local) {
                Arrays.fill(dh[l], v * d, v * d + d, 0f);
            }
            Arrays.fill(wk.haloGrad[l], 0f);
        }
        if (dTop != null) {
            double s0 = now();
            backwardRows(wk, l, wk.hiddenRows, dTop);
            backwardRows(wk, l, wk.exposedRows, dTop);
            spanLog.add(new Span(wk.id, Span.Kind.COMPUTE, 1, l, -1, s0, now()));
        } else if (cfg.pipelined()) {
            double s0 = now();
            backwardRows(wk, l, wk.hiddenRows, null);
            spanLog.add(new Span(wk.id, Span.Kind.COMPUTE, 1, l, -1, s0, now()));
            await(wk, 1, l + 1, readEpoch);
            double s1 = now();
            addReceivedGradients(wk, l + 1, readEpoch);
            backwardRows(wk, l, wk.exposedRows, null);
            spanLog.add(new Span(wk.id, Span.Kind.COMPUTE_BOUNDARY, 1, l, -1, s1, now()));
        } else {
            await(wk, 1, l + 1, readEpoch);
            double s0 = now();
            addReceivedGradients(wk, l + 1, readEpoch);
            backwardRows(wk, l, wk.hiddenRows, null);
            backwardRows(wk, l, wk.exposedRows, null);
            spanLog.add(new Span(wk.id, Span.Kind.COMPUTE, 1, l, -1, s0, now()));
        }
        wk.bwdCpuMs[l] = (CPU.getCurrentThreadCpuTime() - cpu0) / 1e6;
        if (l >= 1) {
            sendGradients(wk, l, t);
        }
    }

    private void backwardRows(Worker wk, int l, int[] rows, float[] dTop) {
        int d = width[l];
        int dOut = width[l + 1];
        int nLocal = wk.local.length;
        float[] dz = new float[dOut];
        float[] dAgg = new float[d];
        float[] dw = wk.dw[l];
        float[] dbl = wk.db[l];
        float[] agg = wk.agg[l];
        float[] wl = w[l];
        for (int i : rows) {
            int g = wk.local[i] * dOut;
            for (int j = 0; j < dOut; j++) {
                dz[j] = dTop != null ? dTop[g + j] : z[l][g + j] > 0 ? dh[l + 1][g + j] * mask[l + 1][g + j] : 0f;
            }
            for (int k = 0; k < d; k++) {
                float a = agg[i * d + k];
                if (a == 0f) {
                    continue;
                }
                for (int j = 0; j < dOut; j++) {
                    dw[k * dOut + j] += a * dz[j];
                }
            }
            for (int j = 0; j < dOut; j++) {
                dbl[j] += dz[j];
            }
            if (l == 0) {
                continue;
            }
            for (int k = 0; k < d; k++) {
                float s = 0;
                for (int j = 0; j < dOut; j++) {
                    s += dz[j] * wl[k * dOut + j];
                }
                dAgg[k] = s;
            }
            float[] dhl = dh[l];
            float[] hg = wk.haloGrad[l];
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

    /** Adds the gradient messages of {@code epoch} for dh[l] into the owner's rows, in sender order. */
    private void addReceivedGradients(Worker owner, int l, int epoch) {
        int d = width[l];
        float[] dhl = dh[l];
        for (Worker sender : workers) {
            int[] rows = owner.sendTo[sender.id];
            float[] in = owner.gradIn[l][epoch % slots][sender.id];
            for (int k = 0; k < rows.length; k++) {
                int g = owner.local[rows[k]] * d;
                for (int j = 0; j < d; j++) {
                    dhl[g + j] += in[k * d + j];
                }
            }
        }
    }

    /** Posts the gradients of this worker's halo rows of h[l] to their owners. */
    private void sendGradients(Worker sender, int l, int t) {
        int d = width[l];
        for (Worker owner : workers) {
            int[] at = sender.haloFrom[owner.id];
            if (at.length == 0 || owner == sender) {
                continue;
            }
            float[] x = new float[at.length * d];
            int[] nodes = new int[at.length];
            for (int k = 0; k < at.length; k++) {
                nodes[k] = sender.halo[at[k]];
                System.arraycopy(sender.haloGrad[l], at[k] * d, x, k * d, d);
            }
            float[] dst = owner.gradIn[l][t % slots][sender.id];
            post(sender.id, owner.id, 1, l, t, x, nodes, d, decoded -> System.arraycopy(decoded, 0, dst, 0, dst.length));
        }
    }

    // ---------------------------------------------------------------- the simulated link

    /** Seed of one message: a hash of (run seed, epoch, layer, direction, sender, receiver). */
    int messageSeed(int epoch, int layer, int direction, int sender, int receiver) {
        int s = CounterRng.mix((int) seed ^ CounterRng.mix((int) (seed >>> 32)));
        s = CounterRng.mix(s ^ epoch);
        s = CounterRng.mix(s ^ (layer * 31 + direction));
        return CounterRng.mix(s ^ (sender * 65_537 + receiver));
    }

    private void post(int from, int to, int dir, int l, int t, float[] x, int[] nodes, int d,
                      Consumer<float[]> deliver) {
        @SuppressWarnings("unchecked")
        CompletableFuture<Void> done = (CompletableFuture<Void>) ready[t % slots][dir][l][from * workers.length + to];
        int rows = nodes.length;
        int msgSeed = messageSeed(t, l, dir, from, to);
        links.execute(() -> {
            try {
                double s0 = now();
                LowBitMessage m = codec.bits() == 32 ? null
                        : kernels.quantize(x, rows, d, nodes, codec.bits(), codec.side(), msgSeed);
                double s1 = now();
                spanLog.add(new Span(from, Span.Kind.SEND, dir, l, to, s0, s1));
                float[] decoded = x;
                if (m != null) {
                    decoded = new float[rows * d];
                    kernels.dequantize(m, decoded);
                }
                deliver.accept(decoded);
                spanLog.add(new Span(to, Span.Kind.RECEIVE, dir, l, from, s1, now()));
                done.complete(null);
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
            }
        });
    }

    /** Blocks until the messages of {@code epoch} for (dir, layer) addressed to {@code wk} have landed. */
    private void await(Worker wk, int dir, int l, int epoch) {
        CompletableFuture<?>[] all = ready[epoch % slots][dir][l];
        boolean blocked = false;
        for (int q = 0; q < workers.length; q++) {
            blocked |= !all[q * workers.length + wk.id].isDone();
        }
        if (!blocked) {
            return;
        }
        stalls.incrementAndGet();
        double s0 = now();
        for (int q = 0; q < workers.length; q++) {
            all[q * workers.length + wk.id].join();
        }
        spanLog.add(new Span(wk.id, Span.Kind.WAIT, dir, l, -1, s0, now()));
    }

    private void runWorkers(Consumer<Worker> task) {
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
        } catch (ExecutionException e) {
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
            float[] inputAgg = l == 0 && evalInputAgg == null ? new float[n * d] : null;
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
                    if (inputAgg != null) {
                        System.arraycopy(agg, 0, inputAgg, v * d, d);
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
            if (inputAgg != null) {
                evalInputAgg = inputAgg;   // the input aggregation never changes
            }
            cur = next;
        }
        return cur;
    }

    /** The weights after training (layer l: width[l] x width[l+1], row-major); live arrays. */
    float[][] weights() {
        return w;
    }

    @Override
    public void close() {
        pool.shutdownNow();
        links.shutdownNow();
    }
}
