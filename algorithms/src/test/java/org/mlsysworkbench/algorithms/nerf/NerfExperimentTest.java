package org.mlsysworkbench.algorithms.nerf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.Json;
import org.mlsysworkbench.algorithms.core.MetricsSink;
import org.mlsysworkbench.algorithms.core.ProgressListener;
import org.mlsysworkbench.algorithms.core.RecordingMetricsSink;
import org.mlsysworkbench.algorithms.core.RunContext;
import org.mlsysworkbench.algorithms.core.Backend;

/** Short training runs on the procedural volume scene (the full-size figures come from {@code run nerf}). */
class NerfExperimentTest {

    @TempDir
    Path out;

    private static NerfConfig small(List<String> variants, int[] sweep) {
        NerfConfig d = NerfConfig.defaults();
        return new NerfConfig(1, 7, "procedural-volume", "", 32, 20, 3, 1.0, 10, d.boxMin(), d.boxMax(), sweep, 20,
                120, 24, 50, 384, 0.1, 1e-2, 32, 12, variants, 2.0, 1.0, 1e-2, 1e-3, 1e-4, 4.6, 0.9, 2);
    }

    @Test
    void psnrRisesWithGridResolution() {
        NerfResult r = new NerfExperiment().run(small(List.of("ann"), new int[]{5, 8, 12}), RunContext.inMemory(1));
        List<NerfResult.SweepPoint> s = r.sweep();
        assertThat(s).hasSize(3);
        // coarse grids, 120 steps on 32-px views: measured 5 -> 8 -> 12 gave about +3 dB, then +0.6 dB;
        // each refinement must buy at least 0.25 dB on held-out views
        assertThat(s.get(1).psnrDb()).as(s.toString()).isGreaterThan(s.get(0).psnrDb() + 0.25);
        assertThat(s.get(2).psnrDb()).as(s.toString()).isGreaterThan(s.get(1).psnrDb() + 0.25);
        assertThat(s.get(2).psnrDb()).isGreaterThan(28);
    }

    @Test
    void annAndSpikingNetworksTrainAndTheSnnSavesEnergy() throws Exception {
        RecordingMetricsSink metrics = new RecordingMetricsSink();
        RunContext ctx = new RunContext(new SplittableRandom(7), ProgressListener.NONE, CancellationToken.none(),
                metrics, Backend.cpu(), out);
        NerfResult r = new NerfExperiment().run(small(List.of("ann", "snn-tc", "snn-tp"), new int[0]), ctx);
        NerfResult.Variant ann = r.variants().get(0);
        NerfResult.Variant tc = r.variants().get(1);
        NerfResult.Variant tp = r.variants().get(2);
        // 60 fine steps on a 32-px scene: well above an untrained grey image (about 10 dB) for all three
        String all = r.variants().stream().map(x -> x.name() + " " + x.psnrDb()).toList().toString();
        assertThat(ann.psnrDb()).as(all).isGreaterThan(22);
        assertThat(tc.psnrDb()).isGreaterThan(20);
        assertThat(tp.psnrDb()).isGreaterThan(20);
        // spikes only add 0.9 pJ accumulates to the 39-wide first layer: the reduction sits between
        // the all-firing floor (1 - (39*32*4.6 + 0.9*(32*32+32*3)) / (4.6*(39*32+32*32+96))) and the 0-spike ceiling
        double ceiling = EnergyModel.HOROWITZ_45NM.ceiling(39, 32);
        assertThat(tc.reduction()).isLessThan(ceiling).isGreaterThan(0.3);
        assertThat(tc.ops().firingRate1()).isBetween(0.0, 1.0);
        assertThat(tc.ops().shaded()).isEqualTo(tc.ops().shaded());
        // the same shaded samples packed both ways: condensing never needs more steps than padding, and fills
        // its tensor at least as densely; both hold every sample
        var condensed = NerfExperiment.packView(tc.model(), r.test(), org.mlsysworkbench.algorithms.snn.TemporalPacking.CONDENSING);
        var padded = NerfExperiment.packView(tc.model(), r.test(), org.mlsysworkbench.algorithms.snn.TemporalPacking.PADDING);
        assertThat(condensed.valid()).isEqualTo(padded.valid()).isPositive();
        assertThat(condensed.steps()).isLessThanOrEqualTo(padded.steps());
        assertThat(condensed.occupancy()).isGreaterThanOrEqualTo(padded.occupancy());
        assertThat(tc.packingSteps()).isEqualTo(condensed.steps());
        assertThat(out.resolve("energy.csv")).exists();
        assertThat(Files.readString(out.resolve("energy.csv"))).contains("snn-tc,fc2 (SOP)");
        assertThat(out.resolve("snn-tc_view0.png")).exists();
        // a saved scene renders without retraining, identically
        NerfModel back = NerfCheckpoint.load(out.resolve("snn-tc.snerf"));
        try (Parallel par = new Parallel(1)) {
            float[] pose = r.test().poses().get(1);
            float[] bg = {1, 1, 1};
            NerfRenderer.Frame a = NerfRenderer.render(tc.model(), pose, r.test().focal(), 32, 32, bg,
                    EnergyModel.HOROWITZ_45NM, par);
            NerfRenderer.Frame b = NerfRenderer.render(back, pose, r.test().focal(), 32, 32, bg,
                    EnergyModel.HOROWITZ_45NM, par);
            assertThat(b.rgb()).containsExactly(a.rgb());
        }
    }

    @Test
    void shippedExamplesParseAndValidate() {
        for (String name : NerfBench.definition().examples()) {
            Path file = Path.of("..", "samples", "nerf", name + ".json");
            NerfConfig c = Json.readConfig(file, NerfConfig.class);
            assertThat(c.variants()).as(name).isNotEmpty();
        }
        assertThat(Json.readConfig(Path.of("..", "samples", "nerf", "default.json"), NerfConfig.class).scene())
                .isEqualTo(NerfConfig.defaults().scene());
    }

    @Test
    void badConfigNamesTheField() {
        String json = Json.write(NerfConfig.defaults()).replace("\"fineResolution\" : 32", "\"fineResolution\" : 2");
        assertThatThrownBy(() -> NerfBench.definition().parseConfig(json, "x.json"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("fineResolution");
        NerfConfig lego = NerfConfig.defaults();
        NerfConfig bad = new NerfConfig(1, 1, "npz", "/nonexistent/views.npz", 32, 8, 2, 1.0, 10, lego.boxMin(),
                lego.boxMax(), new int[0], 8, 1, 8, 1, 64, 0.1, 1e-3, 8, 12, List.of("ann"), 2, 1, 1e-2, 1e-3, 1e-4, 4.6,
                0.9, 1);
        assertThatThrownBy(() -> new NerfExperiment().run(bad, RunContext.inMemory(1)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("views.npz");
    }
}
