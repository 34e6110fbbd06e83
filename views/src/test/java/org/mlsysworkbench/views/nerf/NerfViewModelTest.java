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
}
