package org.mlsysworkbench.views.cnnquant;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsysworkbench.algorithms.cnnquant.CnnModelIo;
import org.mlsysworkbench.algorithms.cnnquant.CnnQuantBench;
import org.mlsysworkbench.algorithms.cnnquant.CnnShape;
import org.mlsysworkbench.algorithms.cnnquant.ImageSet;
import org.mlsysworkbench.algorithms.cnnquant.SmallCnn;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.views.core.TaskRunner;

class CnnQuantViewModelTest {

    @TempDir
    Path tmp;

    static String smokeJson() throws IOException {
        return Files.readString(Path.of("..", "samples", "cnnquant", "smoke.json"));
    }

    private CnnQuantViewModel vm() {
        return new CnnQuantViewModel(CnnQuantBench.definition(), TaskRunner.sameThread(), Backend::cpu, tmp);
    }

    @Test
    void invalidFieldsNameTheFieldAndBlockTheRun() {
        CnnQuantViewModel vm = vm();
        assertThat(vm.errorProperty().get()).isEmpty();
        vm.bitPairsProperty().set("8/8, 4/x");
        assertThat(vm.errorProperty().get()).startsWith("bitPairs: expected pairs W/A");
        vm.run();
        assertThat(vm.statusProperty().get()).startsWith("Cannot run: bitPairs");
        vm.bitPairsProperty().set("8/8");
        vm.seedProperty().set("abc");
        assertThat(vm.errorProperty().get()).isEqualTo("seed: an integer, got 'abc'");
    }

    @Test
    void aRunFillsEveryView() throws IOException {
        CnnQuantViewModel vm = vm();
        vm.loadJson(smokeJson());
        vm.run();
        assertThat(vm.statusProperty().get()).contains("FP32");
        assertThat(vm.methods()).extracting(r -> r.method()).contains("FP32", "BWN", "BWNH", "W4A4 synthetic", "Q-CNN");
        assertThat(vm.errorMethodProperty().get()).isEqualTo("W4A4 synthetic");
        assertThat(vm.layerErrors()).hasSize(CnnShape.LAYERS);
        vm.errorMethodProperty().set("Q-CNN");
        // the smoke example keeps conv1 and fc2 in float: their own error is exactly zero
        assertThat(vm.layerErrors().get(0).mse()).isZero();
        assertThat(vm.layerErrors().get(1).mse()).isPositive();
        assertThat(vm.accuracyByBits()).containsOnlyKeys("real", "synthetic", "synthetic-generator", "noise");
        assertThat(vm.accuracyByBits().get("synthetic")).containsOnlyKeys("8/8", "4/4");
        vm.calibrationSetProperty().set("synthetic");
        assertThat(vm.calibrationImageCount()).isEqualTo(16);
        assertThat(vm.calibrationImage(0)).hasSize(64);
        assertThat(vm.calibrationCaption(1)).isEqualTo("1");
        assertThat(vm.calibrationStats()).contains("BN KL").contains("synthetic/minmax");
        // the generator variant's images, one per class in turn, in the same browser
        vm.calibrationSetProperty().set("synthetic-generator");
        assertThat(vm.calibrationImageCount()).isEqualTo(16);
        assertThat(vm.calibrationCaption(2)).isEqualTo("2");
        assertThat(vm.calibrationStats()).contains("BN KL").contains("synthetic-generator/minmax");
        assertThat(vm.codebookLayerProperty().get()).isEqualTo(2);
        assertThat(vm.codebookGrid()).hasNumberOfRows(8);
        assertThat(Arrays.stream(vm.codewordUsage()).sum()).isEqualTo(16);
        assertThat(vm.inspectorLines()).anyMatch(l -> l.startsWith("conv1 input") && l.contains("f = "));
        assertThat(vm.summary()).containsKey("acc_fp32_pct");
        assertThat(vm.modelProperty().get()).isNotNull();
    }

    @Test
    void aModelOfTheWrongShapeIsRefusedAndThePreviousOneStays() throws IOException {
        CnnQuantViewModel vm = vm();
        vm.loadJson(smokeJson());
        vm.run();
        SmallCnn before = vm.modelProperty().get();
        Path good = tmp.resolve("good.cnnq");
        assertThat(vm.saveModel(good)).isTrue();
        assertThat(vm.loadModel(good)).isTrue();
        SmallCnn loaded = vm.modelProperty().get();
        assertThat(loaded.weights[2]).containsExactly(before.weights[2]);

        CnnShape other = new CnnShape(28, 28, 16, 32, 256, 10);
        float[] px = new float[28 * 28];
        SmallCnn wrong = SmallCnn.initialised(other, new ImageSet("x", 1, 28, 28, px, new int[1],
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")), new SplittableRandom(1));
        Path bad = tmp.resolve("fashion.cnnq");
        CnnModelIo.save(wrong, bad);
        assertThat(vm.loadModel(bad)).isFalse();
        assertThat(vm.modelMessageProperty().get()).contains(bad.toString())
                .contains("expected a network of shape 8x8 input").contains("kept the previous model");
        assertThat(vm.modelProperty().get()).isSameAs(loaded);
    }
}
