package org.mlsysworkbench.algorithms.attention;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mlsysworkbench.algorithms.core.ConfigException;

/**
 * Retrieval versus streaming heads, one decision per KV head (GQA-aware): a gate {@code alpha in [0, 1]} per
 * (layer, KV head), a threshold {@code tau = quantile(all alpha, streamingRatio)} (linear interpolation, as
 * {@code torch.quantile}), and the rule "retrieval iff alpha >= tau" (omniserve {@code attn_config.py}).
 * Immutable.
 *
 * @param alpha       {@code [layers][kvHeads]} gates, clipped to [0, 1]
 * @param ratio       the requested streaming ratio
 * @param threshold   tau
 * @param retrieval   {@code [layers][kvHeads]}: true for retrieval heads
 * @param source      where the gates came from (shown in the UI)
 */
public record HeadMap(double[][] alpha, double ratio, double threshold, boolean[][] retrieval, String source) {

    /** The bundled DuoAttention gates of Llama-3-8B-Instruct-Gradient-1048k (32 layers x 8 KV heads). */
    public static final String LLAMA3_8B_RESOURCE = "llama3-8b-gradient-1048k.heads.tsv";

    /** Classifies heads at a streaming ratio in [0, 1]. */
    public static HeadMap classify(double[][] alpha, double streamingRatio, String source) {
        if (!(streamingRatio >= 0 && streamingRatio <= 1)) {
            throw new ConfigException("streamingRatio", "expected 0 .. 1, got " + streamingRatio);
        }
        int layers = alpha.length;
        double[][] a = new double[layers][];
        List<Double> all = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            a[l] = new double[alpha[l].length];
            for (int h = 0; h < alpha[l].length; h++) {
                a[l][h] = Math.min(1.0, Math.max(0.0, alpha[l][h]));
                all.add(a[l][h]);
            }
        }
        double[] sorted = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double tau = quantile(sorted, streamingRatio);
        boolean[][] retrieval = new boolean[layers][];
        for (int l = 0; l < layers; l++) {
            retrieval[l] = new boolean[a[l].length];
            for (int h = 0; h < a[l].length; h++) {
                // at ratio 0 nothing streams, whatever the ties
                retrieval[l][h] = streamingRatio == 0 || a[l][h] >= tau;
            }
        }
        return new HeadMap(a, streamingRatio, tau, retrieval, source);
    }

    /** Linear-interpolation quantile of ascending values. */
    static double quantile(double[] sorted, double p) {
        double pos = p * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    public int layers() {
        return alpha.length;
    }

    public int kvHeads() {
        return alpha.length == 0 ? 0 : alpha[0].length;
    }

    /** Retrieval KV heads per layer. */
    public int[] retrievalPerLayer() {
        int[] n = new int[alpha.length];
        for (int l = 0; l < alpha.length; l++) {
            for (boolean r : retrieval[l]) {
                n[l] += r ? 1 : 0;
            }
        }
        return n;
    }

    /** {@code [layers][kvHeads]}: true for streaming heads (the complement of {@link #retrieval()}). */
    public boolean[][] streaming() {
        boolean[][] s = new boolean[retrieval.length][];
        for (int l = 0; l < retrieval.length; l++) {
            s[l] = new boolean[retrieval[l].length];
            for (int h = 0; h < s[l].length; h++) {
                s[l][h] = !retrieval[l][h];
            }
        }
        return s;
    }

    /** Fraction of heads that stream. */
    public double realisedStreamingRatio() {
        int total = 0;
        int s = 0;
        for (boolean[] layer : retrieval) {
            for (boolean r : layer) {
                total++;
                s += r ? 0 : 1;
            }
        }
        return total == 0 ? 0 : (double) s / total;
    }

    /** Reads a gate TSV (DuoAttention's {@code full_attention_heads.tsv}): one layer per line; '#' comments. */
    public static double[][] readTsv(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return readTsv(r, file.toString());
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads the bundled Llama-3-8B gates. */
    public static double[][] llama3Gates() {
        InputStream in = HeadMap.class.getResourceAsStream(LLAMA3_8B_RESOURCE);
        if (in == null) {
            throw new IllegalStateException("missing resource " + LLAMA3_8B_RESOURCE);
        }
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return readTsv(r, LLAMA3_8B_RESOURCE);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static double[][] readTsv(Reader reader, String source) throws IOException {
        BufferedReader br = new BufferedReader(reader);
        List<double[]> rows = new ArrayList<>();
        String line;
        int lineNo = 0;
        while ((line = br.readLine()) != null) {
            lineNo++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] cells = t.split("[\\t ,]+");
            double[] row = new double[cells.length];
            for (int i = 0; i < cells.length; i++) {
                try {
                    row[i] = Double.parseDouble(cells[i]);
                } catch (NumberFormatException e) {
                    throw new ConfigException(source + ":" + lineNo, "expected a number in column " + (i + 1)
                            + ", got '" + cells[i] + "'");
                }
                if (!Double.isFinite(row[i])) {
                    throw new ConfigException(source + ":" + lineNo, "expected a finite gate in column " + (i + 1));
                }
            }
            if (!rows.isEmpty() && row.length != rows.get(0).length) {
                throw new ConfigException(source + ":" + lineNo, "expected " + rows.get(0).length
                        + " KV heads like line 1, got " + row.length);
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new ConfigException(source, "expected at least one layer of gates");
        }
        return rows.toArray(new double[0][]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeadMap m && Arrays.deepEquals(alpha, m.alpha) && ratio == m.ratio
                && threshold == m.threshold && Arrays.deepEquals(retrieval, m.retrieval) && source.equals(m.source);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(alpha) * 31 + Double.hashCode(threshold);
    }

    @Override
    public String toString() {
        return "HeadMap[" + layers() + "x" + kvHeads() + ", ratio " + ratio + ", tau " + threshold + ", retrieval "
                + Arrays.toString(retrievalPerLayer()) + "]";
    }
}
