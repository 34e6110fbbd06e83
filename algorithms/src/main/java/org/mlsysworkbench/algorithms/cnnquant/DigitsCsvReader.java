package org.mlsysworkbench.algorithms.cnnquant;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the scikit-learn 8x8 digits CSV ({@code digits.csv.gz}, gzip or plain): one image per line,
 * 64 pixel columns (0..16, row-major) then the label (0..9), no header. Pixels become {@code value / 16}.
 */
public final class DigitsCsvReader {

    public static final int SIDE = 8;
    public static final int FIELDS = SIDE * SIDE + 1;
    static final List<String> DIGIT_CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private DigitsCsvReader() {
    }

    /** @throws DataFormatException naming {@code file:line} for a row of the wrong width or a bad value */
    public static ImageSet read(Path file) throws IOException {
        byte[] bytes = IdxReader.readMaybeGzip(file);
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(bytes),
                StandardCharsets.US_ASCII))) {
            int lineNo = 0;
            for (String line; (line = r.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != FIELDS) {
                    throw new DataFormatException(file, lineNo, "expected " + FIELDS
                            + " comma-separated fields (64 pixels and a label), found " + f.length);
                }
                float[] px = new float[FIELDS - 1];
                for (int i = 0; i < FIELDS - 1; i++) {
                    px[i] = parse(file, lineNo, i, f[i], 16) / 16f;
                }
                rows.add(px);
                labels.add(parse(file, lineNo, FIELDS - 1, f[FIELDS - 1], 9));
            }
        }
        float[] pixels = new float[rows.size() * (FIELDS - 1)];
        int[] y = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, pixels, i * (FIELDS - 1), FIELDS - 1);
            y[i] = labels.get(i);
        }
        return new ImageSet("digits", rows.size(), SIDE, SIDE, pixels, y, DIGIT_CLASSES);
    }

    private static int parse(Path file, int line, int column, String text, int max) throws DataFormatException {
        try {
            int v = Integer.parseInt(text.trim());
            if (v < 0 || v > max) {
                throw new DataFormatException(file, line, "column " + (column + 1) + ": expected an integer 0.." + max
                        + ", found " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, line, "column " + (column + 1) + ": expected an integer 0.." + max
                    + ", found '" + text + "'");
        }
    }
}
