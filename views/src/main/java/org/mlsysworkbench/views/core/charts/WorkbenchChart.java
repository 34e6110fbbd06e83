package org.mlsysworkbench.views.core.charts;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.WeakChangeListener;
import javafx.scene.Node;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.title.Title;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUtils;
import org.mlsysworkbench.views.core.ExportableChart;

/**
 * A JFreeChart built by {@link ChartKit}: themed for light or dark (following the app's dark-mode property),
 * shown through a lazily created {@link ChartViewer}, and exportable as PNG at a chosen DPI, as a
 * decimated SVG and as CSV of every raw value. Theme changes and live updates happen on the FX thread;
 * exports run on the calling thread (the FX thread in the GUI) and may be called before the chart was ever
 * shown, without a JavaFX toolkit.
 */
public abstract class WorkbenchChart implements ExportableChart {

    /** Logical size used for exports when the chart is not on screen (JavaFX pixels at 96 DPI). */
    public static final double DEFAULT_EXPORT_WIDTH = 800;
    public static final double DEFAULT_EXPORT_HEIGHT = 500;
    /** JavaFX and JFreeChart lay out in pixels of 1/96 inch. */
    public static final double SCREEN_DPI = 96;

    private final String name;
    private final JFreeChart chart;
    private final RunColors colors;
    private final ChangeListener<Boolean> themeListener = (obs, was, now) -> setDark(now);
    private boolean dark;
    private ChartViewer viewer;

    protected WorkbenchChart(String name, JFreeChart chart, RunColors colors, ReadOnlyBooleanProperty darkMode) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("chart name must be a file-name stem: " + name);
        }
        this.name = name;
        this.chart = chart;
        this.colors = colors;
        this.dark = darkMode != null && darkMode.get();
        if (darkMode != null) {
            darkMode.addListener(new WeakChangeListener<>(themeListener));
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** The underlying chart, for page-specific tweaks (markers, annotations). */
    public JFreeChart chart() {
        return chart;
    }

    protected RunColors colors() {
        return colors;
    }

    public boolean isDark() {
        return dark;
    }

    /** Switches the palette; called by the dark-mode property, or directly in tests. */
    public void setDark(boolean dark) {
        this.dark = dark;
        applyTheme(ChartPalette.of(dark));
    }

    /** The node that shows the chart (created on first call; FX thread). */
    public Node node() {
        if (viewer == null) {
            viewer = new ChartViewer(chart);
            viewer.setId("chart-" + name);
            viewer.getStyleClass().add("workbench-chart");
            viewer.setMinSize(160, 120);
            onViewerCreated(viewer);
        }
        return viewer;
    }

    /** Hook for subclasses that drive live updates from the viewer's scene. */
    protected void onViewerCreated(ChartViewer viewer) {
    }

    /** Colours every part of the chart for {@code p}; subclasses call super and recolour their series. */
    protected void applyTheme(ChartPalette p) {
        chart.setBackgroundPaint(p.background());
        chart.setBorderVisible(false);
        if (chart.getTitle() != null) {
            chart.getTitle().setPaint(p.foreground());
            chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        }
        for (int i = 0; i < chart.getSubtitleCount(); i++) {
            Title t = chart.getSubtitle(i);
            if (t instanceof LegendTitle legend) {
                legend.setBackgroundPaint(p.background());
                legend.setItemPaint(p.foreground());
                legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            } else if (t instanceof TextTitle text) {
                text.setPaint(p.foreground());
            } else if (t instanceof PaintScaleLegend scale) {
                scale.setBackgroundPaint(p.background());
                styleAxis(scale.getAxis(), p);
            }
        }
        Plot plot = chart.getPlot();
        plot.setBackgroundPaint(p.background());
        plot.setOutlinePaint(p.grid());
        if (plot instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(p.grid());
            xy.setRangeGridlinePaint(p.grid());
            for (int i = 0; i < xy.getDomainAxisCount(); i++) {
                styleAxis(xy.getDomainAxis(i), p);
            }
            for (int i = 0; i < xy.getRangeAxisCount(); i++) {
                styleAxis(xy.getRangeAxis(i), p);
            }
        } else if (plot instanceof CategoryPlot cat) {
            cat.setRangeGridlinePaint(p.grid());
            for (int i = 0; i < cat.getDomainAxisCount(); i++) {
                styleAxis(cat.getDomainAxis(i), p);
            }
            for (int i = 0; i < cat.getRangeAxisCount(); i++) {
                styleAxis(cat.getRangeAxis(i), p);
            }
        }
    }

    protected static void styleAxis(Axis axis, ChartPalette p) {
        if (axis == null) {
            return;
        }
        axis.setLabelPaint(p.foreground());
        axis.setTickLabelPaint(p.foreground());
        axis.setAxisLinePaint(p.foreground());
        axis.setTickMarkPaint(p.foreground());
        axis.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        axis.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    }

    /** Size to export at, in 96-DPI pixels: the on-screen size when shown, else 800 x 500. */
    protected double[] exportSize() {
        if (viewer != null && viewer.getWidth() > 50 && viewer.getHeight() > 50) {
            return new double[] {viewer.getWidth(), viewer.getHeight()};
        }
        return new double[] {DEFAULT_EXPORT_WIDTH, DEFAULT_EXPORT_HEIGHT};
    }

    /** Pixel size of a PNG export at {@code dpi}: the logical size scaled by dpi / 96. */
    public int[] pngPixelSize(int dpi) {
        double[] size = exportSize();
        return new int[] {(int) Math.round(size[0] * dpi / SCREEN_DPI), (int) Math.round(size[1] * dpi / SCREEN_DPI)};
    }

    /** Called before the chart is drawn for an export (SVG/PNG); subclasses decimate for the file. */
    protected void beforeExport() {
    }

    /** Called after an export draw, to restore the screen state. */
    protected void afterExport() {
    }

    /** Writes every raw value the chart plots, as CSV with a header line. */
    protected abstract void writeCsv(Writer out) throws IOException;

    @Override
    public void exportPng(Path file, int dpi) throws IOException {
        if (dpi < 36 || dpi > 1200) {
            throw new IllegalArgumentException("dpi must be in [36, 1200], got " + dpi);
        }
        double[] size = exportSize();
        int[] px = pngPixelSize(dpi);
        BufferedImage image = new BufferedImage(px[0], px[1], BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.scale(px[0] / size[0], px[1] / size[1]);
            beforeExport();
            try {
                chart.draw(g, new Rectangle2D.Double(0, 0, size[0], size[1]));
            } finally {
                afterExport();
            }
        } finally {
            g.dispose();
        }
        writePng(image, file, dpi);
    }

    /** Writes a PNG whose pHYs chunk records {@code dpi}, so editors place it at the intended size. */
    static void writePng(BufferedImage image, Path file, int dpi) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        ImageWriter writer = writers.next();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
            String pixelsPerMetre = Long.toString(Math.round(dpi / 0.0254));
            IIOMetadataNode phys = new IIOMetadataNode("pHYs");
            phys.setAttribute("pixelsPerUnitXAxis", pixelsPerMetre);
            phys.setAttribute("pixelsPerUnitYAxis", pixelsPerMetre);
            phys.setAttribute("unitSpecifier", "meter");
            IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
            root.appendChild(phys);
            meta.mergeTree("javax_imageio_png_1.0", root);
            Files.deleteIfExists(file);
            try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
                if (out == null) {
                    throw new IOException("cannot open " + file + " for writing");
                }
                writer.setOutput(out);
                writer.write(null, new IIOImage(image, null, meta), param);
            }
        } finally {
            writer.dispose();
        }
    }

    @Override
    public void exportSvg(Path file) throws IOException {
        double[] size = exportSize();
        SVGGraphics2D g = new SVGGraphics2D(size[0], size[1]);
        // two decimals are well below a pixel and keep path data short
        g.setGeomDoubleConverter(SVGUtils.createDoubleConverter(2));
        beforeExport();
        try {
            chart.draw(g, new Rectangle2D.Double(0, 0, size[0], size[1]));
        } finally {
            afterExport();
        }
        SVGUtils.writeToSVG(file.toFile(), g.getSVGElement());
    }

    @Override
    public void exportCsv(Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writeCsv(out);
        }
    }

    /** A CSV cell: numbers as Java prints them (round-trip exact), text quoted when needed. */
    protected static String cell(String text) {
        if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }
}
