package org.mlsysworkbench.views.a2q;

import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Pane;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import org.mlsysworkbench.algorithms.graph.quant.A2qResult;
import org.mlsysworkbench.algorithms.graph.quant.GraphSample;

/**
 * The graph with nodes coloured by their learned bits: the result's connected sample (up to 600 nodes) at the
 * force-directed positions the experiment computed (never on the FX thread); node size grows with in-degree;
 * 0-bit (zeroed) nodes are drawn hollow. Redraws on resize; drawing only, no layout work.
 */
final class BitsGraphView extends Pane {

    /** One colour per reported bit count 0..8 (a light-to-dark sequential ramp, distinct in both themes). */
    static final Color[] BIT_COLOURS = {Color.web("#bdbdbd"), Color.web("#fde725"), Color.web("#90d743"),
        Color.web("#35b779"), Color.web("#21918c"), Color.web("#31688e"), Color.web("#443983"), Color.web("#440154"),
        Color.web("#000000")};

    private final Canvas canvas = new Canvas();
    private A2qResult result;

    BitsGraphView() {
        setId("a2qGraphView");
        getChildren().add(canvas);
        setMinSize(200, 150);
        setPrefSize(420, 250);
        widthProperty().addListener((o, a, b) -> draw());
        heightProperty().addListener((o, a, b) -> draw());
    }

    void show(A2qResult r) {
        this.result = r;
        draw();
    }

    /** Nodes drawn in the last paint (tests). */
    int drawnNodes() {
        return result == null || result.sample() == null ? 0 : result.sample().nodes().length;
    }

    private void draw() {
        double w = getWidth();
        double h = getHeight();
        canvas.setWidth(w);
        canvas.setHeight(h);
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.setFill(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setFill(Color.web("#333333"));
        g.setFont(Font.font(13));
        g.fillText("Graph sample coloured by learned bits", 8, 16);
        if (result == null || result.sample() == null || w < 40 || h < 60) {
            g.setFont(Font.font(11));
            g.fillText("Run the bench to see the nodes.", 8, 34);
            return;
        }
        GraphSample s = result.sample();
        double left = 8;
        double top = 24;
        double pw = w - 16 - 60;
        double ph = h - top - 8;
        g.setStroke(Color.web("#9e9e9e", 0.35));
        g.setLineWidth(0.6);
        for (int e = 0; e < s.edgeA().length; e++) {
            g.strokeLine(left + s.x()[s.edgeA()[e]] * pw, top + s.y()[s.edgeA()[e]] * ph,
                    left + s.x()[s.edgeB()[e]] * pw, top + s.y()[s.edgeB()[e]] * ph);
        }
        for (int i = 0; i < s.nodes().length; i++) {
            int v = s.nodes()[i];
            int bits = result.nodeBits()[v];
            double r = 2 + Math.min(6, Math.log1p(result.nodeDegree()[v]) * 1.3);
            double x = left + s.x()[i] * pw;
            double y = top + s.y()[i] * ph;
            Color c = BIT_COLOURS[Math.min(BIT_COLOURS.length - 1, Math.max(0, bits))];
            if (bits == 0) {
                g.setStroke(Color.web("#616161"));
                g.setLineWidth(1);
                g.strokeOval(x - r, y - r, 2 * r, 2 * r);
            } else {
                g.setFill(c);
                g.fillOval(x - r, y - r, 2 * r, 2 * r);
            }
        }
        g.setFont(Font.font(11));
        double ly = top + 4;
        g.setFill(Color.web("#333333"));
        g.fillText("bits", w - 56, ly + 6);
        for (int b = 0; b <= 8; b++) {
            double yy = ly + 14 + b * 15;
            if (b == 0) {
                g.setStroke(Color.web("#616161"));
                g.strokeOval(w - 56, yy - 5, 10, 10);
            } else {
                g.setFill(BIT_COLOURS[b]);
                g.fillOval(w - 56, yy - 5, 10, 10);
            }
            g.setFill(Color.web("#333333"));
            g.fillText(Integer.toString(b), w - 40, yy + 4);
        }
        g.fillText(s.nodes().length + " nodes", w - 60, Math.min(h - 6, ly + 14 + 9 * 15 + 6));
    }
}
