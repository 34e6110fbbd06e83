package org.mlsysworkbench.algorithms.cnnquant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mlsysworkbench.algorithms.core.CancelledException;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.Experiment;
import org.mlsysworkbench.algorithms.core.ProgressListener;
import org.mlsysworkbench.algorithms.core.RunContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code cnnquant} run: per seed, train the small BN CNN in FP32, then BWN and BWNH, post-training
 * quantization calibrated on real, BN-synthesised (direct and, when configured, generator) and noise images at every
 * bit pair, and Q-CNN; evaluate each on
 * the test set. Metrics: {@code acc_<method>_pct} per seed (step = seed index), their means as summaries, the
 * synthesis curves of the last seed, Q-CNN's compression and op-count speed-ups. Artifacts: {@code accuracy.csv},
 * {@code layer_errors.csv}, {@code model-seed<k>.cnnq}. Single-threaded, deterministic.
 */
public final class CnnQuantExperiment implements Experiment<CnnQuantConfig, CnnQuantResult> {

    private static final Logger LOG = LoggerFactory.getLogger(CnnQuantExperiment.class);
    private static final int SHOWN_IMAGES = 30;

    /** What one seed produced; the last seed also carries the views. */
    private static final class SeedOutcome {
        final Map<String, double[]> rows = new LinkedHashMap<>();
        final List<Object[]> metrics = new ArrayList<>();
        final Map<String, List<LayerError>> errors = new LinkedHashMap<>();
        final List<CnnQuantResult.BinaryLayerComparison> binary = new ArrayList<>();
        CnnQuantResult.Calibration calibration;
        CnnQuantResult.Qcnn qcnn;
        CnnQuantResult.Inspector inspector;
        SmallCnn model;
        BnSynthesizer.Result synthesis;
        GeneratorSynthesizer.Result generated;

        void row(String name, double accuracy, double weightBits, int actBits, double totalBits) {
            rows.put(name, new double[] {100 * accuracy, weightBits, actBits, totalBits});
            metrics.add(new Object[] {"acc_" + name.toLowerCase(Locale.ROOT).replace(' ', '_').replace("-", "")
                    + "_pct", 100 * accuracy});
        }
    }

    @Override
    public CnnQuantResult run(CnnQuantConfig c, RunContext ctx) throws CancelledException {
        c.validate();
        VisionDatasets.Split data;
        Path dataDir = c.dataDir().isEmpty() ? VisionDatasets.defaultDataDir() : Path.of(c.dataDir());
        try {
            data = VisionDatasets.load(c.kind(), Path.of(c.fashionMnistDir()), dataDir, c.trainLimit(), c.testLimit());
        } catch (IOException e) {
            throw new ConfigException("dataset", "cannot load " + c.dataset() + ": " + e.getMessage(), e);
        }
        ImageSet train = data.train();
        ImageSet test = data.test();
        CnnShape shape = new CnnShape(train.height(), train.width(), c.c1(), c.c2(), c.hidden(), train.classes());
        SplittableRandom[] rnds = new SplittableRandom[c.seeds()];
        for (int k = 0; k < rnds.length; k++) {
            rnds[k] = ctx.random().split();
        }
        // seeds are independent: they run on their own threads and are merged in seed order, so the
        // metrics do not depend on the thread count
        double[] fractions = new double[c.seeds()];
        // one thread per seed (at most 5): on a shared machine the seeds then finish together instead of the
        // last one starting after the others
        int threads = c.seeds();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "cnnquant-seed");
            t.setDaemon(true);
            return t;
        });
        List<SeedOutcome> outcomes = new ArrayList<>();
        try {
            List<Future<SeedOutcome>> futures = new ArrayList<>();
            for (int k = 0; k < c.seeds(); k++) {
                final int seedIndex = k;
                ProgressListener sub = (f, msg) -> {
                    double total;
                    synchronized (fractions) {
                        if (f >= 0) {
                            fractions[seedIndex] = f;
                        }
                        total = java.util.Arrays.stream(fractions).sum() / fractions.length;
                    }
                    ctx.progress().progress(total, "seed " + (seedIndex + 1) + "/" + c.seeds() + ": " + msg);
                };
                futures.add(pool.submit(() -> runSeed(c, shape, train, test, rnds[seedIndex], seedIndex,
                        seedIndex == c.seeds() - 1, sub, ctx)));
            }
            for (Future<SeedOutcome> f : futures) {
                outcomes.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("cnnquant seed failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        Map<String, double[]> acc = new LinkedHashMap<>();
        Map<String, double[]> bits = new LinkedHashMap<>();
        for (int k = 0; k < outcomes.size(); k++) {
            SeedOutcome o = outcomes.get(k);
            saveModel(o.model, ctx, k);
            for (Object[] m : o.metrics) {
                ctx.metrics().record((String) m[0], k, (Double) m[1]);
            }
            for (Map.Entry<String, double[]> e : o.rows.entrySet()) {
                acc.computeIfAbsent(e.getKey(), x -> new double[c.seeds()])[k] = e.getValue()[0];
                bits.put(e.getKey(), java.util.Arrays.copyOfRange(e.getValue(), 1, 4));
            }
            LOG.info("seed {}: FP32 {}%, BWN {}%, BWNH {}%, Q-CNN {}%", k + 1, fmt(o.rows.get("FP32")[0]),
                    fmt(o.rows.get("BWN")[0]), fmt(o.rows.get("BWNH")[0]), fmt(o.rows.get("Q-CNN")[0]));
        }
        SeedOutcome last = outcomes.get(outcomes.size() - 1);
        for (int i = 0; i < last.synthesis.klHistory().length; i++) {
            ctx.metrics().record("synth_bn_kl", i, last.synthesis.klHistory()[i]);
            ctx.metrics().record("synth_ce", i, last.synthesis.ceHistory()[i]);
        }
        if (last.generated != null) {
            for (int i = 0; i < last.generated.klHistory().length; i++) {
                ctx.metrics().record("generator_bn_kl", i, last.generated.klHistory()[i]);
                ctx.metrics().record("generator_ce", i, last.generated.ceHistory()[i]);
            }
        }
        for (LutCostModel.LayerCost cost : last.qcnn.costs()) {
            ctx.metrics().summary("qcnn_" + cost.layer() + "_opcount_speedup_x", cost.speedup());
            ctx.metrics().summary("qcnn_" + cost.layer() + "_compression_x", cost.compression());
        }
        ctx.metrics().summary("qcnn_weights_compression_x", last.qcnn.compression());
        List<CnnQuantResult.MethodRow> rows = new ArrayList<>();
        for (String name : acc.keySet()) {
            double[] b = bits.get(name);
            CnnQuantResult.MethodRow r = new CnnQuantResult.MethodRow(name, b[0], (int) b[1], b[2] / 8 / 1024,
                    acc.get(name));
            rows.add(r);
            ctx.metrics().summary("mean_acc_" + name.toLowerCase(Locale.ROOT).replace(' ', '_').replace("-", "")
                    + "_pct", r.meanAccuracy());
        }
        CnnQuantResult result = new CnnQuantResult(c.dataset(), train.classNames(), rows, last.errors,
                last.calibration, last.binary, last.qcnn, last.inspector, last.model);
        writeArtifacts(result, ctx);
        return result;
    }

    private static SeedOutcome runSeed(CnnQuantConfig c, CnnShape shape, ImageSet train, ImageSet test,
                                       SplittableRandom rnd, int seedIndex, boolean last, ProgressListener sub,
                                       RunContext ctx) {
        SeedOutcome o = new SeedOutcome();
        int stages = 6;
        sub.progress(0, "training FP32");
        SmallCnn fp = SmallCnn.initialised(shape, train, rnd);
        CnnTrainer.train(fp, train, new CnnTrainer.Settings(c.epochs(), c.batchSize(), c.learningRate(), 0), rnd,
                null, null, true, scaled(sub, 0, 2.0 / stages), ctx.cancel());
        o.model = fp;
        float[] probe = BnSynthesizer.normalised(fp, test, c.probeImages());
        SmallCnn folded = fp.foldBatchNorm();
        o.row("FP32", fp.accuracy(test), 32, 32, 32.0 * fp.weightCount());

        // BWN and BWNH, same samples and fine-tuning schedule
        boolean[] mask = c.binaryMask();
        BinaryPipeline.Settings bs = new BinaryPipeline.Settings(mask, c.bwnhSamples(), c.bwnhSweeps(),
                new CnnTrainer.Settings(1000, c.batchSize(), c.learningRate() / 2, c.fineTuneSteps()));
        BinaryPipeline.Result[] bin = new BinaryPipeline.Result[2];
        for (int h = 0; h < 2; h++) {
            ctx.cancel().throwIfCancelled();
            bin[h] = BinaryPipeline.run(fp, train, h == 1, bs, rnd.split(), scaled(sub, (2.0 + 0.5 * h) / stages,
                    0.5 / stages), ctx.cancel());
            String name = h == 0 ? "BWN" : "BWNH";
            o.row(name, bin[h].model().accuracy(test), binaryBitsPerWeight(shape, mask), 32, binaryBits(shape, mask));
            if (last) {
                o.errors.put(name, LayerError.table(fp, bin[h].model(), probe));
            }
        }
        if (last) {
            for (int l = 0; l < CnnShape.LAYERS; l++) {
                if (mask[l]) {
                    o.binary.add(new CnnQuantResult.BinaryLayerComparison(CnnShape.LAYER_NAMES[l],
                            bin[0].codes()[l].alpha(), bin[1].codes()[l].alpha(),
                            bin[1].codes()[l].flippedFraction(fp.weights[l]), bin[0].hashError()[l],
                            bin[1].codes()[l].errorHistory()));
                }
            }
        }

        // zero-shot calibration: real, BN-synthesised and noise sets
        sub.progress(3.0 / stages, "synthesising calibration images");
        o.synthesis = BnSynthesizer.synthesize(fp, new BnSynthesizer.Settings(c.calibrationImages(),
                c.synthIterations(), c.synthLearningRate(), c.synthCeWeight(), c.synthPriorWeight()), rnd,
                scaled(sub, 3.0 / stages, (c.generatorEnabled() ? 0.5 : 1.0) / stages), ctx.cancel());
        Map<String, float[]> sets = new LinkedHashMap<>();
        sets.put("real", BnSynthesizer.normalised(fp, shuffledHead(train, c.calibrationImages(), rnd),
                c.calibrationImages()));
        sets.put("synthetic", o.synthesis.images());
        if (c.generatorEnabled()) {
            // the generator variant: same loss, a trained G(z, y) instead of free pixels, on its own split stream
            sub.progress(3.5 / stages, "training the calibration-image generator");
            o.generated = GeneratorSynthesizer.synthesize(fp, c.calibrationImages(), c.generator(), c.synthCeWeight(),
                    c.synthPriorWeight(), rnd.split(), scaled(sub, 3.5 / stages, 0.5 / stages), ctx.cancel());
            sets.put("synthetic-generator", o.generated.images());
        }
        sets.put("noise", BnSynthesizer.noise(shape, c.calibrationImages(), rnd));
        ActivationRanges.Calibrator cal = ActivationRanges.Calibrator.valueOf(c.calibrator().toUpperCase(Locale.ROOT));
        Map<String, ActivationRanges> ranges = new LinkedHashMap<>();
        for (String set : sets.keySet()) {
            ranges.put(set, ActivationRanges.measure(folded, sets.get(set), cal, c.percentile(), set));
        }
        sub.progress(4.0 / stages, "post-training quantization");
        for (String pair : c.bitPairs()) {
            int wb = CnnQuantConfig.bits(pair, 0);
            int ab = CnnQuantConfig.bits(pair, 1);
            for (String set : sets.keySet()) {
                ctx.cancel().throwIfCancelled();
                // only the weight bits change between pairs: the cached ranges of the set are reused
                SmallCnn q = ranges.get(set).quantize(folded, wb, ab);
                String name = "W" + wb + "A" + ab + " " + set;
                o.row(name, q.accuracy(test), wb, ab, (double) wb * fp.weightCount() + 64.0 * channels(shape));
                if (last && (wb == 4 || wb == 8) && wb == ab) {
                    o.errors.put(name, LayerError.table(folded, q, probe));
                }
            }
        }
        if (last) {
            o.calibration = calibrationView(fp, sets, o.synthesis, o.generated, ranges);
            UniformQuantizer[] wq = new UniformQuantizer[shape.c2()];
            UniformQuantizer.perChannel(folded.weights[1], shape.fanIn(1), shape.c2(), 8, wq);
            SmallCnn q8 = ranges.get("synthetic").quantize(folded, 8, 8);
            o.inspector = new CnnQuantResult.Inspector(List.of(wq), List.of(q8.inputQuant));
        }

        // Q-CNN
        ctx.cancel().throwIfCancelled();
        sub.progress(5.0 / stages, "Q-CNN product quantization");
        QcnnPipeline.Result pq = QcnnPipeline.run(folded, train, new QcnnPipeline.Settings(c.pqSubDim(),
                c.pqCodewords(), c.pqSamples(), 20, c.pqSweeps(), new CnnTrainer.Settings(1000, c.batchSize(),
                c.learningRate() / 4, c.pqFineTuneSteps())), rnd, scaled(sub, 5.0 / stages, 1.0 / stages),
                ctx.cancel());
        o.row("Q-CNN", pq.model().accuracy(test), pq.weightBits() / (double) fp.weightCount(), 32, pq.weightBits());
        List<PqLayer> layers = new ArrayList<>();
        List<LutCostModel.LayerCost> costs = new ArrayList<>();
        for (int l = 0; l < CnnShape.LAYERS; l++) {
            layers.add(pq.layers()[l]);
            if (pq.layers()[l] != null) {
                costs.add(LutCostModel.of(CnnShape.LAYER_NAMES[l], pq.layers()[l], shape.positions(l)));
            }
        }
        o.qcnn = new CnnQuantResult.Qcnn(layers, costs, pq.compression());
        if (last) {
            o.errors.put("Q-CNN", LayerError.table(folded, pq.model(), probe));
        }
        sub.progress(1.0, "done");
        LOG.info("seed {} done: {}", seedIndex + 1, summary(o.rows));
        return o;
    }

    private static String summary(Map<String, double[]> rows) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, double[]> e : rows.entrySet()) {
            b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(fmt(e.getValue()[0]));
        }
        return b.toString();
    }

    private static String fmt(double pct) {
        return String.format(Locale.ROOT, "%.2f", pct);
    }

    private static int channels(CnnShape s) {
        int n = 0;
        for (int l = 0; l < CnnShape.LAYERS; l++) {
            n += s.outputs(l);
        }
        return n;
    }

    /** Binary layers: one bit per weight plus a float alpha per channel; float layers: 32 bits per weight. */
    static double binaryBits(CnnShape s, boolean[] mask) {
        double b = 0;
        for (int l = 0; l < CnnShape.LAYERS; l++) {
            b += mask[l] ? s.weightCount(l) + 32.0 * s.outputs(l) : 32.0 * s.weightCount(l);
        }
        return b;
    }

    static double binaryBitsPerWeight(CnnShape s, boolean[] mask) {
        long n = 0;
        for (int l = 0; l < CnnShape.LAYERS; l++) {
            n += s.weightCount(l);
        }
        return binaryBits(s, mask) / n;
    }

    private static ImageSet shuffledHead(ImageSet set, int n, SplittableRandom rnd) {
        int k = Math.min(n, set.count());
        int[] idx = new int[set.count()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        int sz = set.imageSize();
        float[] px = new float[k * sz];
        int[] y = new int[k];
        for (int i = 0; i < k; i++) {
            int j = i + rnd.nextInt(idx.length - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
            System.arraycopy(set.pixels(), idx[i] * sz, px, i * sz, sz);
            y[i] = set.labels()[idx[i]];
        }
        return new ImageSet(set.name() + " calibration", k, set.height(), set.width(), px, y, set.classNames());
    }

    private static CnnQuantResult.Calibration calibrationView(SmallCnn fp, Map<String, float[]> sets,
                                                              BnSynthesizer.Result syn,
                                                              GeneratorSynthesizer.Result gen,
                                                              Map<String, ActivationRanges> ranges) {
        CnnShape s = fp.shape;
        int hw = s.height() * s.width();
        Map<String, float[]> images = new LinkedHashMap<>();
        Map<String, int[]> labels = new LinkedHashMap<>();
        Map<String, double[]> kl = new LinkedHashMap<>();
        Map<String, double[]> sq = new LinkedHashMap<>();
        Map<String, String> keys = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : sets.entrySet()) {
            float[] x = e.getValue();
            int n = Math.min(SHOWN_IMAGES, x.length / hw);
            float[] shown = new float[n * hw];
            for (int i = 0; i < shown.length; i++) {
                shown[i] = Math.max(0f, Math.min(1f, x[i] * fp.inputStd + fp.inputMean));
            }
            images.put(e.getKey(), shown);
            int[] lab = new int[n];
            if (e.getKey().equals("synthetic")) {
                System.arraycopy(syn.labels(), 0, lab, 0, n);
            } else if (e.getKey().equals("synthetic-generator")) {
                System.arraycopy(gen.labels(), 0, lab, 0, n);
            } else {
                java.util.Arrays.fill(lab, -1);
            }
            labels.put(e.getKey(), lab);
            kl.put(e.getKey(), BnSynthesizer.bnKl(fp, x));
            sq.put(e.getKey(), BnSynthesizer.bnSquaredError(fp, x));
            keys.put(e.getKey(), ranges.get(e.getKey()).key());
        }
        return new CnnQuantResult.Calibration(s.height(), s.width(), images, labels, kl, sq, syn.klHistory(),
                syn.ceHistory(), gen == null ? new double[0] : gen.klHistory(),
                gen == null ? new double[0] : gen.ceHistory(), keys);
    }

    private static ProgressListener scaled(ProgressListener p, double from, double width) {
        return (f, msg) -> p.progress(f < 0 ? -1 : from + width * f, msg);
    }

    private static void saveModel(SmallCnn fp, RunContext ctx, int k) {
        if (ctx.outDir() == null) {
            return;
        }
        try {
            CnnModelIo.save(fp, ctx.outDir().resolve("model-seed" + (k + 1) + ".cnnq"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeArtifacts(CnnQuantResult r, RunContext ctx) {
        if (ctx.outDir() == null) {
            return;
        }
        StringBuilder a = new StringBuilder("method,weight_bits,activation_bits,weight_kib,mean_accuracy_pct");
        int seeds = r.methods().get(0).accuracy().length;
        for (int i = 0; i < seeds; i++) {
            a.append(",seed").append(i + 1).append("_pct");
        }
        a.append('\n');
        for (CnnQuantResult.MethodRow m : r.methods()) {
            a.append(m.method()).append(',').append(String.format(Locale.ROOT, "%.3f,%d,%.2f,%.3f", m.weightBits(),
                    m.activationBits(), m.weightKiB(), m.meanAccuracy()));
            for (double v : m.accuracy()) {
                a.append(String.format(Locale.ROOT, ",%.2f", v));
            }
            a.append('\n');
        }
        StringBuilder e = new StringBuilder("method,layer,quantized,mse,cosine,sqnr_db,acc_mse,acc_cosine,acc_sqnr_db\n");
        for (Map.Entry<String, List<LayerError>> en : r.layerErrors().entrySet()) {
            for (LayerError le : en.getValue()) {
                e.append(String.format(Locale.ROOT, "%s,%s,%s,%.6g,%.6f,%.3f,%.6g,%.6f,%.3f%n", en.getKey(), le.layer(),
                        le.quantized(), le.mse(), le.cosine(), le.sqnrDb(), le.accumulatedMse(),
                        le.accumulatedCosine(), le.accumulatedSqnrDb()));
            }
        }
        try {
            Files.writeString(ctx.outDir().resolve("accuracy.csv"), a.toString(), StandardCharsets.UTF_8);
            Files.writeString(ctx.outDir().resolve("layer_errors.csv"), e.toString(), StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
