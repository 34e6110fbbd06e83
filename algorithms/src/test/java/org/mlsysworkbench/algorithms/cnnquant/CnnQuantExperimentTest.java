package org.mlsysworkbench.algorithms.cnnquant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.CancellationToken;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.ProgressListener;
import org.mlsysworkbench.algorithms.core.RecordingMetricsSink;
import org.mlsysworkbench.algorithms.core.RunContext;
import org.mlsysworkbench.algorithms.testing.TestData;

/** The whole pipeline on the 8x8 digits (1,437 train / 360 test), small settings: a few seconds. */
class CnnQuantExperimentTest {

    private static CnnQuantResult result;
    private static RecordingMetricsSink metrics;

    static CnnQuantConfig small(String dataset, int seeds) {
        CnnQuantConfig d = CnnQuantConfig.defaults();
        boolean mnist = dataset.equals("mnist");
        return new CnnQuantConfig(1, 11, dataset, d.fashionMnistDir(), TestData.root().toString(), mnist ? 1000 : 0,
                mnist ? 300 : 0, seeds, 8, 16, 64, mnist ? 2 : 12, 32, 3e-3, List.of("conv2", "fc1"), 128, 4, 60, 32,
                60, 0.1, 0.5, 0.0005, "minmax", 99.99, List.of("8/8", "4/4"),
                mnist ? new int[] {0, 2, 4, 0} : new int[] {1, 4, 4, 0},
                mnist ? new int[] {0, 16, 16, 0} : new int[] {8, 16, 16, 0}, mnist ? 64 : 128, 2, 64, 40,
                new GeneratorSynthesizer.Settings(100, 1e-2, 32, 128, 64));
    }

    @BeforeAll
    static void runOnce() {
        metrics = new RecordingMetricsSink();
        result = new CnnQuantExperiment().run(small("digits", 1),
                new RunContext(new SplittableRandom(11), ProgressListener.NONE, CancellationToken.none(), metrics,
                        Backend.cpu(), null));
    }

    private static double acc(String method) {
        return result.row(method).orElseThrow().meanAccuracy();
    }

    @Test
    void everyMethodIsEvaluated() {
        assertThat(result.methods()).extracting(CnnQuantResult.MethodRow::method).containsExactly("FP32", "BWN",
                "BWNH", "W8A8 real", "W8A8 synthetic", "W8A8 synthetic-generator", "W8A8 noise", "W4A4 real",
                "W4A4 synthetic", "W4A4 synthetic-generator", "W4A4 noise", "Q-CNN");
        // a small CNN on the 8x8 digits: well above 85 % after 12 epochs (measured about 93 %)
        assertThat(acc("FP32")).isGreaterThan(85);
        // W8A8 is close to float whatever the calibration set (within 2 points of 360 test images)
        assertThat(acc("W8A8 real")).isGreaterThan(acc("FP32") - 2);
        assertThat(acc("W8A8 synthetic")).isGreaterThan(acc("FP32") - 2);
        assertThat(acc("W8A8 synthetic-generator")).isGreaterThan(acc("FP32") - 2);
        // binary weights lose accuracy but stay useful (measured about 85-90 %)
        assertThat(acc("BWN")).isGreaterThan(70);
        assertThat(acc("BWNH")).isGreaterThan(70);
        assertThat(acc("Q-CNN")).isGreaterThan(acc("FP32") - 8);
    }

    @Test
    void unquantizedLayersHaveExactlyZeroError() {
        // Q-CNN leaves fc2 in float: its own error is exactly zero, its accumulated error is not
        LayerError fc2 = result.layerErrors().get("Q-CNN").get(3);
        assertThat(fc2.quantized()).isFalse();
        assertThat(fc2.mse()).isZero();
        assertThat(fc2.cosine()).isEqualTo(1.0);
        assertThat(fc2.sqnrDb()).isInfinite();
        assertThat(fc2.accumulatedMse()).isPositive();
        assertThat(result.layerErrors().get("W8A8 real").get(0).mse()).isPositive();
    }

    @Test
    void bwnhPreservesInnerProductsBetterThanBwnOnTheTrainedLayers() {
        for (CnnQuantResult.BinaryLayerComparison b : result.binary()) {
            double[] h = b.bwnhErrorHistory();
            assertThat(h[h.length - 1]).as(b.layer()).isLessThan(b.bwnError());
        }
    }

    @Test
    void synthesisMatchesTheBnStatisticsBetterThanNoise() {
        double[] syn = result.calibration().bnKl().get("synthetic");
        double[] noise = result.calibration().bnKl().get("noise");
        assertThat(syn[0] + syn[1]).isLessThan(noise[0] + noise[1]);
        double[] kl = result.calibration().synthKl();
        assertThat(kl[kl.length - 1]).isLessThan(kl[0]);
        assertThat(result.calibration().images().get("synthetic")).hasSize(30 * 64);
        // the generator variant: its images match the BN statistics better than noise too, and its training lowered
        // the KL of its batches
        double[] gen = result.calibration().bnKl().get("synthetic-generator");
        assertThat(gen[0] + gen[1]).isLessThan(noise[0] + noise[1]);
        double[] gkl = result.calibration().generatorKl();
        assertThat(gkl).hasSize(100);
        assertThat(gkl[gkl.length - 1]).isLessThan(gkl[0]);
        assertThat(result.calibration().images().get("synthetic-generator")).hasSize(30 * 64);
        assertThat(result.calibration().labels().get("synthetic-generator")[3]).isEqualTo(3);
    }

    @Test
    void metricsAreRecordedPerSeedAndAsMeans() {
        assertThat(metrics.series("acc_fp32_pct")).hasSize(1);
        assertThat(metrics.series("mean_acc_qcnn_pct")).hasSize(1);
        assertThat(metrics.series("synth_bn_kl")).hasSize(60);
        assertThat(metrics.series("generator_bn_kl")).hasSize(100);
        assertThat(metrics.series("acc_w8a8_syntheticgenerator_pct")).hasSize(1);
        assertThat(result.qcnn().compression()).isGreaterThan(3);
    }

    @Test
    void theSamePipelineRunsOnTheMnistTestSet() {
        // 1,000 training / 300 test images of the MNIST test file, 2 epochs, one seed
        CnnQuantResult r = new CnnQuantExperiment().run(small("mnist", 1), RunContext.inMemory(3));
        double fp = r.row("FP32").orElseThrow().meanAccuracy();
        // measured about 93 % (500 test images); 85 % leaves room for seed-to-seed spread
        assertThat(fp).isGreaterThan(85);
        assertThat(r.row("W8A8 synthetic").orElseThrow().meanAccuracy()).isGreaterThan(fp - 2);
        assertThat(r.calibration().height()).isEqualTo(28);
        assertThat(r.layerErrors().get("Q-CNN").get(3).mse()).isZero();
    }

    @Test
    void badConfigNamesTheField() {
        CnnQuantConfig d = CnnQuantConfig.defaults();
        CnnQuantConfig bad = new CnnQuantConfig(1, 1, "cifar", d.fashionMnistDir(), "", 0, 0, 1, 16, 32, 128, 30, 32,
                2e-3, d.binaryLayers(), 512, 8, 200, 64, 150, 0.1, 0.5, 0.0005, "minmax", 99.99, d.bitPairs(),
                d.pqSubDim(), d.pqCodewords(), 512, 4, 256, 0);
        assertThatThrownBy(bad::validate).isInstanceOf(ConfigException.class)
                .hasMessage("dataset: expected one of fashion-mnist, mnist, digits, procedural, got 'cifar'");
    }

    @Test
    void configsWithoutTheGeneratorFieldParseWithItOff() {
        Path mnist = Path.of("..", "samples", "cnnquant", "mnist.json").toAbsolutePath().normalize();
        CnnQuantConfig c = org.mlsysworkbench.algorithms.core.Json.readConfig(mnist, CnnQuantConfig.class);
        assertThat(c.generator()).isNull();
        assertThat(c.generatorEnabled()).isFalse();
        assertThat(CnnQuantConfig.defaults().generatorEnabled()).isTrue();
        CnnQuantConfig bad = CnnQuantConfig.defaults().withGenerator(new GeneratorSynthesizer.Settings(10, 0.01, 0,
                64, 32));
        assertThatThrownBy(bad::validate).isInstanceOf(ConfigException.class)
                .hasMessage("generator.latent: expected 1..1024, got 0");
    }

    @Test
    void samplesParseAndValidate() {
        // surefire runs in the module folder; the samples live at the repository root
        Path samples = Path.of("..", "samples").toAbsolutePath().normalize();
        for (String name : CnnQuantBench.definition().examples()) {
            Path f = samples.resolve(CnnQuantBench.ID).resolve(name + ".json");
            assertThat(org.mlsysworkbench.algorithms.core.Json.readConfig(f, CnnQuantConfig.class)).isNotNull();
        }
    }
}
