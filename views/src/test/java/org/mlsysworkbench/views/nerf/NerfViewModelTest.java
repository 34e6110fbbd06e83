package org.mlsysworkbench.views.nerf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.core.Json;
import org.mlsysworkbench.algorithms.nerf.CpuNerfRenderKernels;
import org.mlsysworkbench.algorithms.nerf.EnergyModel;
import org.mlsysworkbench.algorithms.nerf.NerfBench;
import org.mlsysworkbench.algorithms.nerf.NerfCheckpoint;
import org.mlsysworkbench.algorithms.nerf.NerfModel;
import org.mlsysworkbench.algorithms.nerf.NerfRenderKernels;
import org.mlsysworkbench.algorithms.nerf.NerfRenderer;
import org.mlsysworkbench.algorithms.nerf.ProceduralScenes;
import org.mlsysworkbench.algorithms.nerf.NerfConfig;
import org.mlsysworkbench.render.nerf.RenderedFrame;
import org.mlsysworkbench.views.core.TaskRunner;

/** The page's state without a toolkit: same-thread tasks, the preview pipeline's own render thread. */
class NerfViewModelTest {

    private final NerfViewModel vm = new NerfViewModel(NerfBench.definition(), TaskRunner.sameThread(), Backend::cpu,
            null);

    @AfterEach
    void close() {
        vm.close();
    }

    static NerfConfig tiny() {
        NerfConfig d = NerfConfig.defaults();
        return new NerfConfig(1, 3, "procedural-volume", "", 24, 12, 2, 1.0, 10, d.boxMin(), d.boxMax(), new int[0], 16,
                60, 16, 20, 256, 0.1, 1e-3, 16, 12, List.of("ann", "snn-tc", "snn-tp"), 2.0, 1.0, 1e-2, 1e-3, 1e-4, 4.6,
                0.9, 1);
    }

    private RenderedFrame awaitFrame(long generation, boolean coarse) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            RenderedFrame f = vm.mailbox().takeLatest();
            if (f != null && f.generation() >= generation && f.coarse() == coarse) {
                return f;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no frame of generation " + generation);
    }

    @Test
    void draggingRendersCoarseFramesAndStillCameraRefines() throws Exception {
        vm.draggingProperty().set(true);
        long g = vm.requestFrame();
        RenderedFrame coarse = awaitFrame(g, true);
        assertThat(coarse.frame().width()).isEqualTo(128 / NerfViewModel.COARSE_FACTOR);
        assertThat(coarse.argb()).hasSize(128 * 128);
        vm.draggingProperty().set(false);
        RenderedFrame full = awaitFrame(vm.generation(), false);
        assertThat(full.frame().width()).isEqualTo(128);
        vm.azimuthProperty().set(vm.azimuthProperty().get() + 90);
        RenderedFrame turned = awaitFrame(vm.generation(), false);
        assertThat(turned.generation()).isGreaterThan(full.generation());
        assertThat(turned.argb()).isNotEqualTo(full.argb());
    }

    @Test
    void runTrainsAllVariantsAndEnergyFollowsTheEditableConstants() {
        vm.load(tiny());
        vm.run();
        assertThat(vm.runningProperty().get()).isFalse();
        assertThat(vm.resultProperty().get()).as(vm.statusProperty().get()).isNotNull();
        assertThat(vm.previewModels()).contains("ann", "snn-tc", "snn-tp");
        double red = vm.reductionProperty().get();
        // 16 hidden units: ceiling 1 - 39 / (39 + 16 + 3)
        assertThat(vm.ceilingProperty().get()).isCloseTo(1 - 39.0 / 58, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(red).isLessThan(vm.ceilingProperty().get()).isGreaterThan(0);
        // free accumulates: the reduction reaches the ceiling exactly
        vm.acPjProperty().set(0);
        assertThat(vm.reductionProperty().get()).isCloseTo(vm.ceilingProperty().get(),
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(vm.energyRows()).anyMatch(r -> r.variant().equals("snn-tc") && r.layer().equals("fc2"));
        var trace = vm.trace(64, 64);
        assertThat(trace).isNotNull();
    }

    @Test
    void splitViewShowsTheSnnLeftAndTheAnnOrTheDifferenceRight() throws Exception {
        vm.load(tiny());
        vm.run();
        vm.previewModelProperty().set("snn-tc");
        RenderedFrame snn = awaitFrame(vm.requestFrame(), false);
        vm.previewModelProperty().set("ann");
        RenderedFrame ann = awaitFrame(vm.requestFrame(), false);
        vm.previewModelProperty().set("snn-tc");
        vm.splitProperty().set(0.25);
        vm.compareProperty().set(NerfViewModel.CompareMode.ANN);
        RenderedFrame both = awaitFrame(vm.generation(), false);
        int w = both.width();
        int cut = w / 4;
        for (int y = 0; y < both.height(); y += 7) {
            for (int x = 0; x < w; x += 5) {
                int p = y * w + x;
                assertThat(both.argb()[p]).isEqualTo(x < cut ? snn.argb()[p] : ann.argb()[p]);
            }
        }
        vm.compareProperty().set(NerfViewModel.CompareMode.DIFFERENCE);
        RenderedFrame diff = awaitFrame(vm.generation(), false);
        assertThat(diff.argb()).isNotEqualTo(both.argb());
        vm.compareProperty().set(NerfViewModel.CompareMode.OFF);
        RenderedFrame off = awaitFrame(vm.generation(), false);
        assertThat(off.argb()).isEqualTo(snn.argb());
    }

    @Test
    void badConfigIsRefusedAndTheOldOneKept() {
        String before = vm.configJson();
        assertThatThrownBy(() -> vm.loadJson(Json.write(tiny()).replace("\"hidden\" : 16", "\"hidden\" : 0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("hidden");
        assertThat(vm.configJson()).isEqualTo(before);
        vm.sceneProperty().set("npz");
        assertThat(vm.errorProperty().get()).contains("dataPath");
    }

    @Test
    void savedSceneOpensWithoutRetrainingAndABadFileKeepsTheScenes(@TempDir Path dir) throws Exception {
        NerfModel m = ProceduralScenes.volumeModel(16);
        Path file = dir.resolve("vol.snerf");
        NerfCheckpoint.save(m, file);
        assertThat(vm.openCheckpoint(file)).isTrue();
        assertThat(vm.previewModels()).contains("saved: vol.snerf");
        assertThat(vm.previewModelProperty().get()).isEqualTo("saved: vol.snerf");
        assertThat(vm.openedCheckpoint()).isEqualTo(file);
        RenderedFrame f = awaitFrame(vm.generation(), false);
        assertThat(f.frame().ops().samples()).isPositive();
        List<String> before = List.copyOf(vm.previewModels());
        Path junk = dir.resolve("junk.snerf");
        Files.write(junk, new byte[]{1, 2, 3});
        assertThat(vm.openCheckpoint(junk)).isFalse();
        assertThat(vm.errorProperty().get()).contains("junk.snerf");
        assertThat(vm.previewModels()).isEqualTo(before);
        assertThat(vm.previewModelProperty().get()).isEqualTo("saved: vol.snerf");
    }

    @Test
    void thePreviewUsesTheBackendsRenderer() {
        NerfRenderKernels fake = new NerfRenderKernels() {
            private final CpuNerfRenderKernels cpu = new CpuNerfRenderKernels(1);

            @Override
            public NerfRenderer.Frame render(NerfModel model, float[] pose, float focal, int w, int h, float[] bg,
                                             EnergyModel energy) {
                return cpu.render(model, pose, focal, w, h, bg, energy);
            }

            @Override
            public String name() {
                return "fake-vulkan";
            }
        };
        Backend b = new Backend("vulkan", Backend.cpu().device()).register(NerfRenderKernels.class, fake);
        NerfViewModel onVulkan = new NerfViewModel(NerfBench.definition(), TaskRunner.sameThread(), () -> b, null);
        try {
            assertThat(onVulkan.rendererName()).isEqualTo("fake-vulkan");
            assertThat(vm.rendererName()).startsWith("cpu-java");
        } finally {
            onVulkan.close();
        }
    }

    @Test
    void runRecordsLossPerStepAndHeldOutSsimPerEvaluation() {
        vm.load(tiny());
        vm.run();
        List<NerfViewModel.LivePoint> points = new java.util.ArrayList<>();
        vm.drainLive(points::add);
        // tiny(): 20 fine steps per variant, evaluated every 20 / 4 = 5 steps
        assertThat(points.stream().filter(p -> p.series().equals("snn-tc_train_loss"))).hasSize(20)
                .allMatch(p -> p.value() > 0 && p.value() < 1);
        List<NerfViewModel.LivePoint> ssim = points.stream().filter(p -> p.series().equals("snn-tc_eval_ssim"))
                .toList();
        assertThat(ssim).extracting(NerfViewModel.LivePoint::step).containsExactly(5L, 10L, 15L, 20L);
        assertThat(ssim).allMatch(p -> p.value() > -1 && p.value() <= 1);
        double finalSsim = vm.resultProperty().get().variants().stream().filter(v -> v.name().equals("snn-tc"))
                .findFirst().orElseThrow().ssim();
        assertThat(ssim.get(3).value()).isEqualTo(finalSsim);
        assertThat(points).anyMatch(p -> p.series().equals("coarse_eval_ssim") && p.step() == 60);
        assertThat(points).anyMatch(p -> p.series().equals("coarse_train_loss"));
    }

    @Test
    void theBudgetSliderHoldsThePreviewPipelineToItsShareWhileTraining() {
        List<Runnable> queued = new java.util.ArrayList<>();
        TaskRunner deferred = new TaskRunner() {
            @Override
            public <T> Handle submit(String title, Work<T> work, java.util.function.Consumer<T> onSuccess,
                                     java.util.function.Consumer<Throwable> onFailure) {
                queued.add(() -> TaskRunner.sameThread().submit(title, work, onSuccess, onFailure));
                return TaskRunner.sameThread().submit(title, (p, c) -> null, r -> { }, f -> { });
            }
        };
        NerfViewModel budgeted = new NerfViewModel(NerfBench.definition(), deferred, Backend::cpu, null);
        try {
            budgeted.load(tiny());
            budgeted.previewShareProperty().set(25);
            assertThat(budgeted.pipelineShare()).as("idle: the whole machine").isEqualTo(1.0);
            budgeted.run();
            assertThat(budgeted.runningProperty().get()).isTrue();
            assertThat(budgeted.pipelineShare()).isEqualTo(0.25);
            budgeted.previewShareProperty().set(0);
            assertThat(budgeted.pipelineShare()).isEqualTo(0.0);
            budgeted.previewShareProperty().set(80);
            assertThat(budgeted.pipelineShare()).isEqualTo(0.8);
            queued.forEach(Runnable::run);
            assertThat(budgeted.runningProperty().get()).isFalse();
            assertThat(budgeted.pipelineShare()).isEqualTo(1.0);
        } finally {
            budgeted.close();
        }
    }

    @Test
    void groundTruthAndErrorSnapToTheNearestHeldOutView() throws Exception {
        vm.compareProperty().set(NerfViewModel.CompareMode.GROUND_TRUTH);
        assertThat(vm.groundTruthNoteProperty().get()).contains("only at the data set's poses").contains("run");
        vm.load(tiny());
        vm.run();
        vm.previewModelProperty().set("snn-tc");
        vm.splitProperty().set(0);
        vm.compareProperty().set(NerfViewModel.CompareMode.OFF);
        vm.compareProperty().set(NerfViewModel.CompareMode.GROUND_TRUTH);
        RenderedFrame truth = awaitFrame(vm.generation(), false);
        var test = vm.resultProperty().get().test();
        int k = vm.groundTruthViewProperty().get();
        assertThat(k).isEqualTo(NerfViewModel.nearestView(
                new org.mlsysworkbench.render.nerf.OrbitCamera(vm.azimuthProperty().get(), vm.elevationProperty().get(),
                        vm.radiusProperty().get(), ProceduralScenes.CAMERA_ANGLE_X).pose(), test));
        assertThat(vm.groundTruthNoteProperty().get()).contains("held-out view " + (k + 1) + " of " + test.count());
        // split at 0: the whole picture is the held-out image, upscaled nearest-neighbour from its size to 128
        int[] gt = org.mlsysworkbench.algorithms.nerf.PngCodec.toArgb(test.rgb().get(k));
        int tw = test.width();
        for (int y = 0; y < 128; y += 3) {
            for (int x = 0; x < 128; x += 3) {
                assertThat(truth.argb()[y * 128 + x]).isEqualTo(gt[(y * test.height() / 128) * tw + x * tw / 128]);
            }
        }
        vm.compareProperty().set(NerfViewModel.CompareMode.ERROR);
        RenderedFrame error = awaitFrame(vm.generation(), false);
        assertThat(vm.groundTruthNoteProperty().get()).contains("heat map");
        assertThat(error.argb()).isNotEqualTo(truth.argb());
        // split at 1: only the model, rendered from the held-out pose, not from the camera
        vm.splitProperty().set(1);
        RenderedFrame model = awaitFrame(vm.generation(), false);
        vm.compareProperty().set(NerfViewModel.CompareMode.OFF);
        RenderedFrame camera = awaitFrame(vm.generation(), false);
        assertThat(vm.groundTruthNoteProperty().get()).isEmpty();
        assertThat(model.argb()).isNotEqualTo(camera.argb());
        // the error heat map is dark where the model matches: at the trained scene most pixels are in the lower half
        long dark = 0;
        for (int p : error.argb()) {
            int lum = ((p >> 16) & 255) + ((p >> 8) & 255) + (p & 255);
            dark += lum < 3 * 128 ? 1 : 0;
        }
        assertThat(dark).isGreaterThan(error.argb().length / 2);
    }
}
