package org.mlsysworkbench.render.nerf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.nerf.CpuNerfRenderKernels;
import org.mlsysworkbench.algorithms.nerf.EnergyModel;
import org.mlsysworkbench.algorithms.nerf.NerfModel;
import org.mlsysworkbench.algorithms.nerf.ProceduralScenes;

class PreviewPipelineTest {

    private static final NerfModel SCENE = ProceduralScenes.volumeModel(32);

    @Test
    void mailboxKeepsOnlyTheNewestAndRefusesStaleGenerations() {
        FrameMailbox<String> box = new FrameMailbox<>();
        assertThat(box.post(1, "a")).isTrue();
        assertThat(box.post(3, "c")).isTrue();
        assertThat(box.post(2, "b")).as("older than 3").isFalse();
        assertThat(box.takeLatest()).isEqualTo("c");
        assertThat(box.takeLatest()).isNull();
        assertThat(box.dropped()).isEqualTo(2);
    }

    @Test
    void orbitCameraLooksAtTheOrigin() {
        float[] p = new OrbitCamera(40, 25, 4.03, ProceduralScenes.CAMERA_ANGLE_X).pose();
        double dist = Math.sqrt(p[3] * p[3] + p[7] * p[7] + p[11] * p[11]);
        assertThat(dist).isCloseTo(4.03, org.assertj.core.data.Offset.offset(1e-5));
        // the camera looks along -Z: -column 2 points from the centre to the origin
        double cos = (p[2] * p[3] + p[6] * p[7] + p[10] * p[11]) / dist;
        assertThat(cos).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(new OrbitCamera(0, 120, 4, 0.7).elevationDeg()).isEqualTo(89);
    }

    @Test
    void colormapEndsAreTheMapEnds() {
        assertThat(Colormaps.color(Colormaps.Map.INFERNO, 0)).isEqualTo(0xFF000004);
        assertThat(Colormaps.color(Colormaps.Map.VIRIDIS, 1)).isEqualTo(0xFFFDE725);
        assertThat(Colormaps.color(Colormaps.Map.VIRIDIS, 2)).isEqualTo(Colormaps.color(Colormaps.Map.VIRIDIS, 1));
    }

    @Test
    void draggingGivesCoarseFramesAndAStillCameraAFullOne() throws Exception {
        FrameMailbox<RenderedFrame> box = new FrameMailbox<>();
        try (CpuNerfRenderKernels k = new CpuNerfRenderKernels(2);
             PreviewPipeline p = new PreviewPipeline(k, box, 4)) {
            float[] white = {1, 1, 1};
            long g1 = p.request(new PreviewPipeline.Request(SCENE, OrbitCamera.standard(), 64, 64, true, white,
                    EnergyModel.HOROWITZ_45NM));
            RenderedFrame coarse = await(box, g1, true);
            assertThat(coarse.frame().width()).isEqualTo(16);
            assertThat(coarse.argb()).hasSize(64 * 64);
            long g2 = p.request(new PreviewPipeline.Request(SCENE, OrbitCamera.standard(), 64, 64, false, white,
                    EnergyModel.HOROWITZ_45NM));
            RenderedFrame full = await(box, g2, false);
            assertThat(full.generation()).isEqualTo(g2);
            assertThat(full.frame().width()).isEqualTo(64);
            // the volume scene covers about a third of the view: not all white, not all dark
            long white255 = java.util.Arrays.stream(full.argb()).filter(c -> c == 0xFFFFFFFF).count();
            assertThat(white255).isBetween(64L * 64 / 4, 64L * 64 * 9 / 10);
        }
    }

    private static RenderedFrame await(FrameMailbox<RenderedFrame> box, long gen, boolean coarse) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            RenderedFrame f = box.takeLatest();
            if (f != null && f.generation() == gen && f.coarse() == coarse) {
                return f;
            }
            Thread.sleep(2);
        }
        throw new AssertionError("no frame for generation " + gen);
    }

    @Test
    void referenceSideShowsTheTruthOrTheErrorHeatMap() {
        // 2x1 model image against a 2x1 truth: split at 0.5 keeps the model's left pixel
        float[] model = {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f};
        float[] truth = {0f, 0f, 0f, 0.25f, 0.5f, 0.75f};
        PreviewPipeline.Reference gt = new PreviewPipeline.Reference(new float[12], 1f, 2, 1, truth, false);
        int[] shown = PreviewPipeline.withReference(model, gt, 2, 1, 0.5);
        int[] modelArgb = org.mlsysworkbench.algorithms.nerf.PngCodec.toArgb(model);
        int[] truthArgb = org.mlsysworkbench.algorithms.nerf.PngCodec.toArgb(truth);
        assertThat(shown).containsExactly(modelArgb[0], truthArgb[1]);
        PreviewPipeline.Reference err = new PreviewPipeline.Reference(new float[12], 1f, 2, 1, truth, true);
        int[] heat = PreviewPipeline.withReference(model, err, 2, 1, 0);
        // mean |error|: 0.5 (clamped to the top of the scale) and (0.25 + 0 + 0.25) / 3
        assertThat(heat[0]).isEqualTo(Colormaps.color(Colormaps.Map.INFERNO, 1));
        assertThat(heat[1]).isEqualTo(Colormaps.color(Colormaps.Map.INFERNO,
                (0.5f / 3f) / PreviewPipeline.ERROR_FULL_SCALE));
    }

    @Test
    void aZeroShareHoldsFramesBackUntilTheShareRises() throws Exception {
        FrameMailbox<RenderedFrame> box = new FrameMailbox<>();
        try (CpuNerfRenderKernels k = new CpuNerfRenderKernels(1);
             PreviewPipeline p = new PreviewPipeline(k, box, 1)) {
            p.setShare(0);
            assertThat(p.share()).isEqualTo(0.0);
            long g = p.request(new PreviewPipeline.Request(SCENE, OrbitCamera.standard(), 16, 16, false,
                    new float[]{1, 1, 1}, new EnergyModel(4.6, 0.9)));
            Thread.sleep(300);
            assertThat(box.takeLatest()).as("paused: the render thread waits").isNull();
            p.setShare(0.5);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            RenderedFrame f = null;
            while (f == null && System.nanoTime() < end) {
                f = box.takeLatest();
                Thread.sleep(5);
            }
            assertThat(f).isNotNull();
            assertThat(f.generation()).isEqualTo(g);
        }
    }
}
