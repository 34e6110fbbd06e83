package org.mlsysworkbench.views.a2q;

import java.nio.file.Path;
import java.util.ArrayList;
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
import org.mlsysworkbench.algorithms.core.MetricsSink;
import org.mlsysworkbench.algorithms.graph.quant.A2qConfig;
import org.mlsysworkbench.algorithms.graph.quant.A2qResult;
import org.mlsysworkbench.views.core.Fields;
import org.mlsysworkbench.views.core.RunController;
import org.mlsysworkbench.views.core.TaskRunner;

/**
 * The A2Q page's state: the config fields as typed, validation, the run, and the last result. The
 * definitions the page shows next to the numbers live here, so tests can check them.
 */
public final class A2qViewModel {

    /** Shown beside every bits figure (FEATURES F35). */
    public static final String BITS_DEFINITION = "average bits = mean over nodes of round(|b|) − 1, 0-bit nodes "
            + "included; compression = 32 / average bits; total = (FP32 features + weights) / (quantized features "
            + "+ 4-bit weights + per-node α, b and per-channel steps)";
    /** Shown in the inspector. */
    public static final String FORMULA = "x_q = sign(x) · floor(|clip(x/α, −qmax, qmax)| + 0.5) · α,  "
            + "qmax = 2^(round|b| − 1) − 1";

    private final BenchDefinition<A2qConfig, A2qResult> bench;
    private final RunController<A2qConfig, A2qResult> runner;
    private final StringProperty dataset = new SimpleStringProperty();
    private final StringProperty seeds = new SimpleStringProperty();
    private final StringProperty epochs = new SimpleStringProperty();
    private final StringProperty targetKb = new SimpleStringProperty();
    private final StringProperty aLoss = new SimpleStringProperty();
    private final StringProperty uniformBits = new SimpleStringProperty();
    private final StringProperty seed = new SimpleStringProperty();
    private final BooleanProperty degreeQuant = new SimpleBooleanProperty();
    private final StringProperty model = new SimpleStringProperty("gcn");
    private final BooleanProperty graphLevel = new SimpleBooleanProperty();
    private A2qConfig.GraphLevel graphLevelSettings = A2qConfig.GraphLevel.defaults();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<A2qResult> result = new ReadOnlyObjectWrapper<>();
    private List<Double> sweepKb = List.of();
    private final Map<String, A2qResult> byModel = new LinkedHashMap<>();

    public A2qViewModel(BenchDefinition<A2qConfig, A2qResult> bench, TaskRunner tasks, Supplier<Backend> backend,
                        Path runsDir) {
        this.bench = bench;
        this.runner = new RunController<>(bench, tasks, backend, runsDir);
        load(bench.defaults());
        result.addListener((o, a, r) -> {
            if (r != null) {
                byModel.put(r.model(), r);
            }
        });
        for (StringProperty p : List.of(dataset, seeds, epochs, targetKb, aLoss, uniformBits, seed, model)) {
            p.addListener((o, a, b) -> config());
        }
    }

    public StringProperty datasetProperty() {
        return dataset;
    }

    public StringProperty seedsProperty() {
        return seeds;
    }

    public StringProperty epochsProperty() {
        return epochs;
    }

    public StringProperty targetKbProperty() {
        return targetKb;
    }

    public StringProperty aLossProperty() {
        return aLoss;
    }

    public StringProperty uniformBitsProperty() {
        return uniformBits;
    }

    public StringProperty seedProperty() {
        return seed;
    }

    public BooleanProperty degreeQuantProperty() {
        return degreeQuant;
    }

    /** "gcn" or "gin". */
    public StringProperty modelProperty() {
        return model;
    }

    /** Whether the run includes the graph-level NNS study. */
    public BooleanProperty graphLevelProperty() {
        return graphLevel;
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public RunController<A2qConfig, A2qResult> runner() {
        return runner;
    }

    public ReadOnlyObjectProperty<A2qResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    public void load(A2qConfig c) {
        dataset.set(c.dataset());
        seeds.set(Integer.toString(c.seeds()));
        epochs.set(Integer.toString(c.epochs()));
        targetKb.set(Double.toString(c.targetKb()));
        aLoss.set(Double.toString(c.aLoss()));
        uniformBits.set(Fields.join(c.uniformBits()));
        degreeQuant.set(c.degreeQuant());
        seed.set(Long.toString(c.seed()));
        sweepKb = c.sweepKb();
        model.set(c.model());
        graphLevel.set(c.graphLevel() != null);
        if (c.graphLevel() != null) {
            graphLevelSettings = c.graphLevel();
        }
        config();
    }

    public void loadJson(String json) {
        load(bench.parseConfig(json, "config"));
    }

    /** The validated config of the fields, or empty with {@link #errorProperty()} naming the field. */
    public Optional<A2qConfig> config() {
        try {
            A2qConfig c = new A2qConfig(A2qConfig.SCHEMA, Fields.parseLong("seed", seed.get()), dataset.get(),
                    Fields.parseInt("seeds", seeds.get()), Fields.parseInt("epochs", epochs.get()),
                    Fields.parseDouble("targetKb", targetKb.get()), Fields.parseDouble("aLoss", aLoss.get()),
                    Fields.parseInts("uniformBits", uniformBits.get()), degreeQuant.get(), sweepKb, model.get(),
                    graphLevel.get() ? graphLevelSettings : null);
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

    /** Runs the current config; {@code live} gets the training curves as they are recorded. */
    public void run(MetricsSink live) {
        Optional<A2qConfig> c = config();
        if (c.isEmpty()) {
            runner.setStatus("Cannot run: " + error.get());
            return;
        }
        runner.run(c.get(), live, result::set);
    }

    public void cancel() {
        runner.cancel();
    }

    /** Restores a result (workspace load). */
    public void setResult(A2qResult r) {
        result.set(r);
    }

    /** The latest result of each model ("gcn", "gin") this page has seen, in arrival order. */
    public Map<String, A2qResult> resultsByModel() {
        return new LinkedHashMap<>(byModel);
    }

    /** Upper in-degree bounds (inclusive) of the box plot's buckets; the last bucket is open. */
    private static final int[] BUCKET_TOP = {0, 1, 2, 3, 4, 7, 15, 31};

    /**
     * Reported bits of every node grouped by in-degree bucket (0, 1, 2, 3, 4, 5-7, 8-15, 16-31, 32+), empty buckets
     * left out, in ascending order: the box plot's data.
     */
    public static Map<String, List<Double>> bitsByDegreeBucket(A2qResult r) {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        String[] names = new String[BUCKET_TOP.length + 1];
        int lo = 0;
        for (int b = 0; b < BUCKET_TOP.length; b++) {
            names[b] = lo == BUCKET_TOP[b] ? Integer.toString(lo) : lo + "-" + BUCKET_TOP[b];
            lo = BUCKET_TOP[b] + 1;
        }
        names[BUCKET_TOP.length] = lo + "+";
        List<List<Double>> lists = new ArrayList<>();
        for (int b = 0; b < names.length; b++) {
            lists.add(new ArrayList<>());
        }
        for (int v = 0; v < r.nodes(); v++) {
            int d = r.nodeDegree()[v];
            int b = 0;
            while (b < BUCKET_TOP.length && d > BUCKET_TOP[b]) {
                b++;
            }
            lists.get(b).add((double) r.nodeBits()[v]);
        }
        for (int b = 0; b < names.length; b++) {
            if (!lists.get(b).isEmpty()) {
                out.put(names[b], lists.get(b));
            }
        }
        return out;
    }

    /** One line on the graph-level NNS study of a result, or a hint when it had none. */
    public static String nnsSummary(A2qResult r) {
        var g = r.graphLevel();
        if (g == null) {
            return "No graph-level study in this run (tick \"Graph-level NNS study\").";
        }
        return String.format(Locale.ROOT, "GIN on %d unseen generated graphs (trained on %d): FP32 %.1f %%, A2Q with "
                + "NNS %.1f %% at %.2f average bits; %d groups, %s search; qmax_k = α_k (2^(round|b_k| − 1) − 1) "
                + "(paper convention)", g.testGraphs(), g.trainGraphs(), 100 * g.fp32TestAcc(), 100 * g.nnsTestAcc(),
                g.nnsAverageBits(), g.groups(), g.degreeBuckets() ? "degree-bucketed" : "uniform");
    }

    /** Mean reported bits per in-degree, ascending degree: [degree, mean bits, nodes]. */
    public static List<double[]> bitsByDegree(A2qResult r) {
        Map<Integer, double[]> acc = new java.util.TreeMap<>();
        for (int v = 0; v < r.nodes(); v++) {
            double[] a = acc.computeIfAbsent(r.nodeDegree()[v], k -> new double[2]);
            a[0] += r.nodeBits()[v];
            a[1]++;
        }
        List<double[]> out = new ArrayList<>();
        acc.forEach((d, a) -> out.add(new double[] {d, a[0] / a[1], a[1]}));
        return out;
    }

    /** Inspector text for one node of the last result. */
    public String inspect(int node) {
        A2qResult r = result.get();
        if (r == null || node < 0 || node >= r.nodes()) {
            return "Run the bench, then pick a node in 0.." + (r == null ? "n" : r.nodes() - 1) + ".";
        }
        int bits = r.nodeBits()[node];
        int bHat = bits + 1;
        long qmax = (1L << (bHat - 1)) - 1;
        return String.format(Locale.ROOT, "node %d: in-degree %d, learned step |α| = %.5f, round|b| = %d → %d reported "
                + "bits, qmax = %d%s%n%s", node, r.nodeDegree()[node], Math.abs(r.nodeAlpha()[node]), bHat, bits, qmax,
                bits == 0 ? " (0-bit node: its features are zero)" : "", FORMULA);
    }

    /** Figures for workspace summaries. */
    public Map<String, String> summary() {
        Map<String, String> m = new LinkedHashMap<>();
        A2qResult r = result.get();
        if (r == null) {
            return m;
        }
        for (A2qResult.SchemeRow s : r.schemes()) {
            m.put("acc " + s.name(), String.format(Locale.ROOT, "%.4f", s.valSelectedAcc()));
            m.put("bits " + s.name(), String.format(Locale.ROOT, "%.3f", s.averageBits()));
        }
        m.put("spearman(bits, degree)", String.format(Locale.ROOT, "%.3f", r.spearman()));
        m.put("model", r.model());
        if (r.graphLevel() != null) {
            m.put("NNS acc (unseen graphs)", String.format(Locale.ROOT, "%.4f", r.graphLevel().nnsTestAcc()));
            m.put("NNS bits", String.format(Locale.ROOT, "%.3f", r.graphLevel().nnsAverageBits()));
        }
        return m;
    }
}
