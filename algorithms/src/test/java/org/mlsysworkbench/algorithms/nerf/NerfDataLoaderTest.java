package org.mlsysworkbench.algorithms.nerf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsysworkbench.algorithms.testing.TestData;

class NerfDataLoaderTest {

    @TempDir
    Path tmp;

    @Test
    void tinyLegoNpzMatchesItsReadme() throws Exception {
        NerfViews v = NerfDataLoader.loadNpz(TestData.path("vision/nerf-lego-tiny100/tiny_lego_train100.npz"));
        assertThat(v.count()).isEqualTo(100);
        assertThat(v.width()).isEqualTo(100);
        assertThat(v.focal()).isCloseTo(138.88888f, org.assertj.core.data.Offset.offset(1e-3f));
        double sum = 0;
        double alpha = 0;
        for (int i = 0; i < 100; i++) {
            for (float c : v.rgb().get(i)) {
                sum += c;
            }
            for (float a : v.alpha().get(i)) {
                alpha += a;
            }
        }
        // README: means images 0.135083, alphas 0.303644
        assertThat(sum / (100.0 * 100 * 100 * 3)).isCloseTo(0.135083, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(alpha / (100.0 * 100 * 100)).isCloseTo(0.303644, org.assertj.core.data.Offset.offset(1e-5));
        float[] p = v.poses().get(7);
        // README: every camera at distance 4.0311 +- 1e-6
        assertThat(Math.sqrt(p[3] * p[3] + p[7] * p[7] + p[11] * p[11])).isCloseTo(4.0311, org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void blenderLayoutMatchesTheNpzOfTheSameViews() throws Exception {
        NerfViews png = NerfDataLoader.loadBlender(TestData.path("vision/nerf-lego-tiny100/transforms_train.json"));
        NerfViews npz = NerfDataLoader.loadNpz(TestData.path("vision/nerf-lego-tiny100/tiny_lego_train100.npz"));
        assertThat(png.count()).isEqualTo(100);
        assertThat(png.focal()).isCloseTo(npz.focal(), org.assertj.core.data.Offset.offset(1e-3f));
        assertThat(png.poses().get(42)).containsExactly(npz.poses().get(42));
        float[] a = png.rgb().get(42);
        float[] b = npz.rgb().get(42);
        for (int i = 0; i < a.length; i++) {
            // README: rgb_png * alpha_png matches images to within 0.0038
            assertThat(Math.abs(a[i] - b[i])).isLessThanOrEqualTo(0.0039f);
        }
    }

    @Test
    void proceduralSamplesLoadWithTheirCoverage() throws Exception {
        NerfViews v = NerfDataLoader.loadBlender(TestData.path("vision/procedural-scene-samples/volume/transforms_train.json"));
        assertThat(v.count()).isEqualTo(8);
        long covered = 0;
        for (float a : v.alpha().get(0)) {
            covered += a > 0 ? 1 : 0;
        }
        // README: fraction of pixels with alpha > 0 in volume view 0 is 0.354
        assertThat(covered / 10000.0).isCloseTo(0.354, org.assertj.core.data.Offset.offset(0.0005));
    }

    @Test
    void badTransformsNameTheFileAndField() throws Exception {
        Path src = TestData.path("vision/procedural-scene-samples/surface");
        Path dir = Files.createDirectories(tmp.resolve("scene"));
        Files.createDirectories(dir.resolve("train"));
        Files.copy(src.resolve("train/r_0.png"), dir.resolve("train/r_0.png"));
        String good = Files.readString(src.resolve("transforms_train.json"));

        Path missing = dir.resolve("transforms_missing.json");
        Files.writeString(missing, good);
        assertThatThrownBy(() -> NerfDataLoader.loadBlender(missing)).isInstanceOf(NerfFormatException.class)
                .hasMessageContaining("transforms_missing.json").hasMessageContaining("frames[1].file_path");

        Path noFrames = dir.resolve("transforms_noframes.json");
        Files.writeString(noFrames, "{\"camera_angle_x\": 0.69}");
        assertThatThrownBy(() -> NerfDataLoader.loadBlender(noFrames)).hasMessageContaining("frames");

        Path skew = dir.resolve("transforms_skew.json");
        Files.writeString(skew, "{\"camera_angle_x\": 0.69, \"frames\": [{\"file_path\": \"./train/r_0\", "
                + "\"transform_matrix\": [[2,0,0,0],[0,1,0,0],[0,0,1,4],[0,0,0,1]]}]}");
        assertThatThrownBy(() -> NerfDataLoader.loadBlender(skew)).isInstanceOf(NerfFormatException.class)
                .hasMessageContaining("frames[0].transform_matrix").hasMessageContaining("rotation");

        Files.copy(TestData.path("vision/nerf-lego-tiny100/train/r_0.png"), dir.resolve("train/r_1.png"));
        Files.writeString(dir.resolve("train/small.png"), "");
        byte[] tiny = PngCodec.encodeArgb(new int[4], 2, 2);
        Files.write(dir.resolve("train/small.png"), tiny);
        Path mixed = dir.resolve("transforms_mixed.json");
        Files.writeString(mixed, "{\"camera_angle_x\": 0.69, \"frames\": [{\"file_path\": \"./train/r_0\", "
                + "\"transform_matrix\": [[1,0,0,0],[0,1,0,0],[0,0,1,4],[0,0,0,1]]}, {\"file_path\": \"./train/small\", "
                + "\"transform_matrix\": [[1,0,0,0],[0,1,0,0],[0,0,1,4],[0,0,0,1]]}]}");
        assertThatThrownBy(() -> NerfDataLoader.loadBlender(mixed)).hasMessageContaining("frames[1].file_path")
                .hasMessageContaining("expected 100x100");
    }

    @Test
    void corruptNpzNamesTheFileAndEntry() throws IOException {
        Path bad = tmp.resolve("bad.npz");
        Files.writeString(bad, "not a zip");
        assertThatThrownBy(() -> NerfDataLoader.loadNpz(bad)).isInstanceOf(NerfFormatException.class)
                .hasMessageContaining("bad.npz").hasMessageContaining("images");
        assertThatThrownBy(() -> NpzReader.parseNpy(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 10, 0,
                '{', '\'', 'd', 'e', 's', 'c', 'r', '\'', ':', '}'}, "x.npz", "poses"))
                .hasMessageContaining("x.npz").hasMessageContaining("poses");
    }

    @Test
    void pngRoundTrips() throws Exception {
        int[] px = new int[12];
        for (int i = 0; i < px.length; i++) {
            px[i] = 0xFF000000 | (i * 20 << 16) | (255 - i * 20) << 8 | (i * 7);
        }
        PngCodec.Image im = PngCodec.decode(PngCodec.encodeArgb(px, 4, 3), "mem");
        assertThat(im.width()).isEqualTo(4);
        assertThat(im.height()).isEqualTo(3);
        for (int i = 0; i < px.length; i++) {
            assertThat(Math.round(im.rgba()[4 * i] * 255)).isEqualTo((px[i] >> 16) & 0xFF);
            assertThat(Math.round(im.rgba()[4 * i + 1] * 255)).isEqualTo((px[i] >> 8) & 0xFF);
            assertThat(Math.round(im.rgba()[4 * i + 2] * 255)).isEqualTo(px[i] & 0xFF);
        }
    }
}
