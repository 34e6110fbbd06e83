package org.mlsysworkbench.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mlsysworkbench.algorithms.attention.AttentionBench;
import org.mlsysworkbench.algorithms.attention.AttentionBenchmark;
import org.mlsysworkbench.algorithms.backends.BackendsBench;
import org.mlsysworkbench.algorithms.backends.BackendsBenchmark;
import org.mlsysworkbench.algorithms.cnnquant.CnnQuantBench;
import org.mlsysworkbench.algorithms.cnnquant.CnnQuantBenchmark;
import org.mlsysworkbench.algorithms.core.BenchmarkSuite;
import org.mlsysworkbench.algorithms.graph.distributed.SylvieBench;
import org.mlsysworkbench.algorithms.graph.distributed.SylvieBenchmark;
import org.mlsysworkbench.algorithms.graph.quant.A2qBench;
import org.mlsysworkbench.algorithms.graph.quant.A2qBenchmark;
import org.mlsysworkbench.algorithms.graph.sampling.SamplingBench;
import org.mlsysworkbench.algorithms.graph.sampling.SamplingBenchmark;
import org.mlsysworkbench.algorithms.nerf.NerfBench;
import org.mlsysworkbench.algorithms.trace.TraceBench;
import org.mlsysworkbench.algorithms.trace.TraceBenchmark;
import org.mlsysworkbench.compute.core.CoreBenchmark;
import org.mlsysworkbench.render.nerf.NerfBenchmark;
import org.mlsysworkbench.views.a2q.A2qPage;
import org.mlsysworkbench.views.attention.AttentionPage;
import org.mlsysworkbench.views.backends.BackendsPage;
import org.mlsysworkbench.views.cnnquant.CnnQuantPage;
import org.mlsysworkbench.views.nerf.NerfPage;
import org.mlsysworkbench.views.sampling.SamplingPage;
import org.mlsysworkbench.views.sylvie.SylviePage;
import org.mlsysworkbench.views.trace.TraceView;

/**
 * The composition root's list of benches and benchmark suites: the only place that knows them all.
 * A bench appears here when it is implemented, never as a placeholder. Keep one line per bench,
 * in navigation order.
 */
public final class Benches {

    private Benches() {
    }

    /** Every implemented bench, in navigation order. */
    public static List<Bench> all() {
        List<Bench> benches = new ArrayList<>();
        // one line per bench: benches.add(new Bench(XxxBench.definition(), XxxPage::new, "glyph"));
        var backends = BackendsBench.definition(BackendFactory::available);
        benches.add(new Bench(backends, BackendsPage.factory(backends), "⚙"));
        var sampling = SamplingBench.definition();
        benches.add(new Bench(sampling, SamplingPage.factory(sampling), "◈"));
        var a2q = A2qBench.definition();
        benches.add(new Bench(a2q, A2qPage.factory(a2q), "◧"));
        var sylvie = SylvieBench.definition();
        benches.add(new Bench(sylvie, SylviePage.factory(sylvie), "⇄"));
        benches.add(new Bench(NerfBench.definition(), NerfPage::new, "◉"));
        benches.add(new Bench(TraceBench.definition(), TraceView.factory(TraceBench.definition()), "▤"));
        var cnnquant = CnnQuantBench.definition();
        benches.add(new Bench(cnnquant, CnnQuantPage.factory(cnnquant), "▦"));
        benches.add(new Bench(AttentionBench.definition(), AttentionPage::new, "◫"));
        return List.copyOf(benches);
    }

    /** Every benchmark suite for {@code mlsys-workbench bench <id>}. */
    public static List<BenchmarkSuite> suites() {
        List<BenchmarkSuite> suites = new ArrayList<>();
        // one line per suite: suites.add(new XxxBenchmark());
        suites.add(new BackendsBenchmark(BackendFactory::available));
        suites.add(new SamplingBenchmark());
        suites.add(new A2qBenchmark());
        suites.add(new SylvieBenchmark());
        suites.add(new CoreBenchmark());
        suites.add(new NerfBenchmark());
        suites.add(new TraceBenchmark());
        suites.add(new CnnQuantBenchmark());
        suites.add(new AttentionBenchmark());
        return List.copyOf(suites);
    }

    public static Optional<Bench> byId(String id) {
        return all().stream().filter(b -> b.id().equals(id)).findFirst();
    }
}
