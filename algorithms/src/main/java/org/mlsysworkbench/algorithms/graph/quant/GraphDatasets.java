package org.mlsysworkbench.algorithms.graph.quant;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.mlsysworkbench.algorithms.core.ConfigException;
import org.mlsysworkbench.algorithms.graph.LabelledGraph;
import org.mlsysworkbench.algorithms.graph.SbmGenerator;
import org.mlsysworkbench.algorithms.graph.io.PlanetoidLoader;
import org.mlsysworkbench.algorithms.graph.io.TsvDatasetLoader;

/** Opens the labelled graph a config names: "sbm" or a folder in one of the Planetoid formats. */
public final class GraphDatasets {

    private GraphDatasets() {
    }

    /** The data folder relative dataset paths are resolved against. */
    public static Path dataRoot() {
        String d = System.getProperty("workbench.data.dir");
        return d == null ? Path.of("").toAbsolutePath() : Path.of(d);
    }

    public static LabelledGraph open(String dataset, long seed) throws IOException {
        if ("sbm".equals(dataset)) {
            return SbmGenerator.generate(SbmGenerator.Params.coraLike(), seed);
        }
        Path dir = Path.of(dataset);
        if (!dir.isAbsolute()) {
            dir = dataRoot().resolve(dir);
        }
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("dataset", "\"sbm\" or a folder with a Planetoid-format graph; " + dir
                    + " is not a folder");
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                String name = f.getFileName().toString();
                if (name.endsWith(".edges.tsv")) {
                    return TsvDatasetLoader.load(dir, name.substring(0, name.length() - ".edges.tsv".length()));
                }
                if (name.startsWith("ind.") && name.endsWith(".graph")) {
                    return PlanetoidLoader.load(dir, name.substring(4, name.length() - ".graph".length()));
                }
            }
        }
        throw new ConfigException("dataset", dir + " holds neither <name>.edges.tsv nor ind.<name>.graph");
    }
}
