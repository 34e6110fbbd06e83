package org.mlsysworkbench.views.sylvie;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.BenchDefinition;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.Json;
import org.mlsysworkbench.algorithms.graph.distributed.EpochStats;
import org.mlsysworkbench.algorithms.graph.distributed.SylvieConfig;
import org.mlsysworkbench.algorithms.graph.distributed.SylvieResult;
import org.mlsysworkbench.views.core.Fields;
import org.mlsysworkbench.views.core.RunController;
import org.mlsysworkbench.views.core.TaskRunner;

/** The distributed-training page's state: config fields, validation, the run and its result. */
public final class SylvieViewModel {

    /** Said on the page and in every export: nothing here ran on a real cluster. */
    public static final String SIMULATED = "Simulated cluster: P workers are threads of this process. Compute is "
            + "measured (thread CPU time); communication is modelled from counted bytes. A Sylvie-style design "
            + "(AdaQP's quantizer, PipeGCN's stale buffers), not the paper's code, which is unreleased.";

    private final BenchDefinition<SylvieConfig, SylvieResult> bench;
    private final RunController<SylvieConfig, SylvieResult> runner;
    private final StringProperty dataset = new SimpleStringProperty();
    private final StringProperty parts = new SimpleStringProperty();
    private final StringProperty partitioner = new SimpleStringProperty();
    private final StringProperty messageBits = new SimpleStringProperty();
    private final StringProperty staleness = new SimpleStringProperty();
    private final StringProperty warmupEpochs = new SimpleStringProperty();
    private final BooleanProperty lossRiseFallback = new SimpleBooleanProperty();
    private final StringProperty seeds = new SimpleStringProperty();
    private final StringProperty epochs = new SimpleStringProperty();
    private final StringProperty bandwidth = new SimpleStringProperty();
    private final StringProperty latency = new SimpleStringProperty();
    private final StringProperty scaleNodes = new SimpleStringProperty();
    private final StringProperty scaleParts = new SimpleStringProperty();
    private final StringProperty seed = new SimpleStringProperty();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<SylvieResult> result = new ReadOnlyObjectWrapper<>();
    private SylvieConfig loaded;

    public SylvieViewModel(BenchDefinition<SylvieConfig, SylvieResult> bench, TaskRunner tasks,
                           Supplier<Backend> backend, Path runsDir) {
        this.bench = bench;
        this.runner = new RunController<>(bench, tasks, backend, runsDir);
        load(bench.defaults());
        for (StringProperty p : List.of(dataset, parts, partitioner, messageBits, staleness, warmupEpochs, seeds,
                epochs, bandwidth, latency, scaleNodes, scaleParts, seed)) {
            p.addListener((o, a, b) -> config());
        }
        lossRiseFallback.addListener((o, a, b) -> config());
    }

    public StringProperty datasetProperty() {
        return dataset;
    }

    public StringProperty partsProperty() {
        return parts;
    }

    public StringProperty partitionerProperty() {
        return partitioner;
    }

    public StringProperty messageBitsProperty() {
        return messageBits;
    }

    public StringProperty stalenessProperty() {
        return staleness;
    }

    public StringProperty warmupEpochsProperty() {
        return warmupEpochs;
    }

    public BooleanProperty lossRiseFallbackProperty() {
        return lossRiseFallback;
    }

    public StringProperty seedsProperty() {
        return seeds;
    }

    public StringProperty epochsProperty() {
        return epochs;
    }

    public StringProperty bandwidthProperty() {
        return bandwidth;
    }

    public StringProperty latencyProperty() {
        return latency;
    }

    public StringProperty scaleNodesProperty() {
        return scaleNodes;
    }

    public StringProperty scalePartsProperty() {
        return scaleParts;
    }

    public StringProperty seedProperty() {
        return seed;
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public RunController<SylvieConfig, SylvieResult> runner() {
        return runner;
    }

    public ReadOnlyObjectProperty<SylvieResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    public void load(SylvieConfig c) {
        loaded = c;
        dataset.set(c.dataset());
        parts.set(Integer.toString(c.parts()));
        partitioner.set(c.partitioner());
        messageBits.set(Integer.toString(c.messageBits()));
        staleness.set(Fields.join(c.staleness()));
        warmupEpochs.set(Integer.toString(c.warmupEpochs()));
        lossRiseFallback.set(c.lossRiseFallback());
        seeds.set(Integer.toString(c.seeds()));
        epochs.set(Integer.toString(c.epochs()));
        bandwidth.set(Double.toString(c.bandwidthGbps()));
        latency.set(Double.toString(c.latencyUs()));
        scaleNodes.set(Integer.toString(c.scaleNodes()));
        scaleParts.set(Fields.join(c.scaleParts()));
        seed.set(Long.toString(c.seed()));
        config();
    }

    public void loadJson(String json) {
        load(bench.parseConfig(json, "config"));
    }

    public Optional<SylvieConfig> config() {
        try {
            SylvieConfig c = new SylvieConfig(SylvieConfig.SCHEMA, Fields.parseLong("seed", seed.get()), dataset.get(),
                    Fields.parseInt("parts", parts.get()), partitioner.get(),
                    Fields.parseInt("messageBits", messageBits.get()), Fields.parseInts("staleness", staleness.get()),
                    Fields.parseInt("warmupEpochs", warmupEpochs.get()), lossRiseFallback.get(),
                    Fields.parseInt("seeds", seeds.get()), Fields.parseInt("epochs", epochs.get()),
                    Fields.parseDouble("bandwidthGbps", bandwidth.get()),
                    Fields.parseDouble("latencyUs", latency.get()), Fields.parseInt("scaleNodes", scaleNodes.get()),
                    Fields.parseInts("scaleParts", scaleParts.get()), loaded.scaleHidden(), loaded.scaleEpochs());
            c.validate();
            error.set("");
            return Optional.of(c);
        } catch (ConfigException e) {
            error.set(e.getMessage());
            return Optional.empty();
        }
    }

    public String configJson() {
        return Json.write(config().orElse(bench.defaults()));
    }

    public void run() {
        Optional<SylvieConfig> c = config();
        if (c.isEmpty()) {
            runner.setStatus("Cannot run: " + error.get());
            return;
        }
        runner.run(c.get(), (s, st, v) -> { }, result::set);
    }

    public void cancel() {
        runner.cancel();
    }

    /** Per-worker compute (fwd + bwd, ms) of an epoch. */
    public static double[] computeMsPerWorker(EpochStats e) {
        double[] out = new double[e.fwdCpuMs()[0].length];
        for (double[][] m : new double[][][] {e.fwdCpuMs(), e.bwdCpuMs()}) {
            for (double[] layer : m) {
                for (int p = 0; p < out.length; p++) {
                    out[p] += layer[p];
                }
            }
        }
        return out;
    }

    /** Per-worker modelled receive time (fwd + bwd, ms) of an epoch, coded or FP32 messages. */
    public static double[] commMsPerWorker(EpochStats e, boolean fp32) {
        double[] out = new double[e.fwdCpuMs()[0].length];
        for (double[][] dir : fp32 ? e.commFp32Ms() : e.commMs()) {
            for (double[] layer : dir) {
                for (int p = 0; p < out.length; p++) {
                    out[p] += layer[p];
                }
            }
        }
        return out;
    }

    public Map<String, String> summary() {
        Map<String, String> m = new LinkedHashMap<>();
        SylvieResult r = result.get();
        if (r == null) {
            return m;
        }
        m.put("edge cut", Long.toString(r.partition().edgeCut()));
        for (SylvieResult.Variant v : r.variants()) {
            m.put("acc " + v.name(), String.format(Locale.ROOT, "%.4f", v.accuracy()));
            m.put("compression " + v.name(), String.format(Locale.ROOT, "%.2f", v.compression()));
        }
        return m;
    }

    /** The epoch whose timeline the page draws: the time study's (largest P) when there is one. */
    public static EpochStats timelineEpoch(SylvieResult r) {
        if (r.scaleEpoch() != null) {
            return r.scaleEpoch();
        }
        return r.variants().get(r.variants().size() - 1).lastEpoch();
    }

    /** A label for a phase of the epoch: "fwd L1" (forward, layer 1) or "bwd L0". */
    public static String phase(int direction, int layer) {
        return (direction == 0 ? "fwd L" : "bwd L") + layer;
    }
}
