package org.mlsysworkbench.views.core;

import java.io.IOException;
import java.nio.file.Path;

/** A chart that can be written as PNG (at a DPI), SVG (decimated) and CSV (every raw point). */
public interface ExportableChart {

    /** File-name stem, e.g. {@code gemm-throughput}. */
    String name();

    void exportPng(Path file, int dpi) throws IOException;

    void exportSvg(Path file) throws IOException;

    void exportCsv(Path file) throws IOException;
}
