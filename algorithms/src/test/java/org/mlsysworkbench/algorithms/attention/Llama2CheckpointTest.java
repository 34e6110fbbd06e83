package org.mlsysworkbench.algorithms.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlsysworkbench.algorithms.testing.TestData;

class Llama2CheckpointTest {

    @TempDir
    Path dir;

    @Test
    void truncatedFileNamesTheFileAndTheCutTensor() throws Exception {
        byte[] full = Files.readAllBytes(TestData.path("models/stories260K/stories260K.bin"));
        Path cut = dir.resolve("cut.bin");
        // 28 + 4 * (32768 + 320 + 20480 + 5000) bytes: the file ends inside wk
        Files.write(cut, Arrays.copyOf(full, 28 + 4 * (32768 + 320 + 20480 + 5000)));
        assertThatThrownBy(() -> Llama2Checkpoint.load(cut)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining(cut.toString()).hasMessageContaining("wk: truncated")
                .satisfies(e -> assertThat(((CheckpointException) e).field()).isEqualTo("wk"));
    }

    @Test
    void impossibleHeaderNamesTheField() throws Exception {
        Path bad = dir.resolve("bad.bin");
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(64).putInt(172).putInt(5).putInt(7).putInt(4).putInt(512).putInt(512);
        Files.write(bad, b.array());
        assertThatThrownBy(() -> Llama2Checkpoint.load(bad)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("n_heads").hasMessageContaining("divisor of dim 64");
        b.clear();
        b.putInt(64).putInt(172).putInt(-5).putInt(8).putInt(4).putInt(512).putInt(512);
        Files.write(bad, b.array());
        assertThatThrownBy(() -> Llama2Checkpoint.load(bad)).hasMessageContaining("n_layers: expected 1 .. 1024");
    }

    @Test
    void otherFilesAreRejectedWithAReason() throws Exception {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello");
        assertThatThrownBy(() -> Llama2Checkpoint.load(text)).hasMessageContaining("header: expected at least 28");
        assertThatThrownBy(() -> Llama2Checkpoint.load(dir.resolve("missing.bin")))
                .hasMessageContaining("missing.bin: file: not found");
    }
}
