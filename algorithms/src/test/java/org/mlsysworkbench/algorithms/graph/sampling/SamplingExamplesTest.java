package org.mlsysworkbench.algorithms.graph.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.core.BenchDefinition;
import org.mlsysworkbench.algorithms.core.Json;

/** Every example under samples/sampling parses and validates; default.json is the code's default. */
class SamplingExamplesTest {

    @Test
    void examplesParseAndDefaultMatchesTheCode() throws Exception {
        BenchDefinition<SamplingConfig, SamplingResult> def = SamplingBench.definition();
        Path dir = Path.of("..", "samples", "sampling");
        assertThat(def.examples().get(0)).isEqualTo("default");
        for (String name : def.examples()) {
            Path f = dir.resolve(name + ".json");
            assertThat(f).exists();
            SamplingConfig c = def.parseConfig(Files.readString(f), f.toString());
            assertThat(c.validate()).isSameAs(c);
        }
        SamplingConfig parsed = Json.readConfig(dir.resolve("default.json"), SamplingConfig.class);
        assertThat(parsed).isEqualTo(SamplingConfig.defaults());
        assertThat(Json.readConfig(dir.resolve("clustered.json"), SamplingConfig.class))
                .isEqualTo(SamplingConfig.clusteredIo());
        // the Cora examples name the data folder relative to the shared data root; the factories take any folder
        assertThat(Json.readConfig(dir.resolve("cora.json"), SamplingConfig.class))
                .isEqualTo(SamplingConfig.cora("graph/cora/derived"));
        assertThat(Json.readConfig(dir.resolve("cora-gcn.json"), SamplingConfig.class))
                .isEqualTo(SamplingConfig.coraGcn("graph/cora/derived"));
        assertThat(SamplingData.resolve("graph/cora/derived").resolve("cora.labels.tsv")).isRegularFile();
    }
}
