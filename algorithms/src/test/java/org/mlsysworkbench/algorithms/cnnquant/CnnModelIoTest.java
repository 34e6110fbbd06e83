package org.mlsysworkbench.algorithms.cnnquant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CnnModelIoTest {

    @TempDir
    Path tmp;

    private static SmallCnn model(CnnShape s) {
        float[] px = new float[4 * s.height() * s.width()];
        Arrays.fill(px, 0.3f);
        ImageSet set = new ImageSet("x", 4, s.height(), s.width(), px, new int[4], List.of("a", "b", "c"));
        SmallCnn m = SmallCnn.initialised(s, set, new SplittableRandom(1));
        m.bnMean[1][2] = 0.25f;
        m.biases[3][1] = -1.5f;
        return m;
    }

    @Test
    void roundTripKeepsEveryParameter() throws IOException {
        SmallCnn m = model(new CnnShape(8, 8, 3, 4, 6, 3));
        Path f = tmp.resolve("m.cnnq");
        CnnModelIo.save(m, f);
        SmallCnn back = CnnModelIo.load(f, m.shape);
        for (int l = 0; l < CnnShape.LAYERS; l++) {
            assertThat(back.weights[l]).containsExactly(m.weights[l]);
            assertThat(back.biases[l]).containsExactly(m.biases[l]);
        }
        assertThat(back.bnMean[1]).containsExactly(m.bnMean[1]);
        assertThat(back.inputStd).isEqualTo(m.inputStd);
    }

    @Test
    void aModelOfAnotherShapeIsRefusedWithWhatWasExpected() throws IOException {
        SmallCnn m = model(new CnnShape(8, 8, 3, 4, 6, 3));
        Path f = tmp.resolve("small.cnnq");
        CnnModelIo.save(m, f);
        assertThatThrownBy(() -> CnnModelIo.load(f, new CnnShape(28, 28, 16, 32, 256, 10)))
                .isInstanceOf(DataFormatException.class)
                .hasMessage(f + ": expected a network of shape 28x28 input, conv 16/32, fc 256, 10 classes, found "
                        + "8x8 input, conv 3/4, fc 6, 3 classes");
    }

    @Test
    void truncatedAndForeignFilesNameTheFile() throws IOException {
        SmallCnn m = model(new CnnShape(8, 8, 3, 4, 6, 3));
        Path f = tmp.resolve("cut.cnnq");
        CnnModelIo.save(m, f);
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length - 10));
        assertThatThrownBy(() -> CnnModelIo.load(f, null)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("truncated");
        Path g = tmp.resolve("foreign.bin");
        Files.writeString(g, "not a model at all");
        assertThatThrownBy(() -> CnnModelIo.load(g, null)).isInstanceOf(DataFormatException.class)
                .hasMessage(g + ": expected a workbench CNN model (magic 'MWBCNN')");
    }
}
