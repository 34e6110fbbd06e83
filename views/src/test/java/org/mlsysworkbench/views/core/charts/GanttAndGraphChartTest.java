package org.mlsysworkbench.views.core.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Gantt and graph charts of the kit: bars and nodes counted, every value in the CSV, PNGs drawn. */
class GanttAndGraphChartTest {

    @Test
    void ganttKeepsBarsPerKindAndExportsThem(@TempDir Path dir) throws Exception {
        GanttChart g = ChartKit.standalone().gantt("gantt", "Timeline", "worker", "ms");
        g.setup(List.of("compute", "receive"), List.of("w0", "w1"));
        g.add("compute", 0, 0, 2, 0, 4, "fwd L0");
        g.add("receive", 0, 1, 2, 4, 5.5, "fwd L1");
        g.add("compute", 1, 0, 2, 0, 3, "fwd L0");
        g.addText(0, 0, 2, 2, "L0");
        assertThat(g.barCount()).isEqualTo(3);
        assertThat(g.barCount("compute")).isEqualTo(2);
        assertThatThrownBy(() -> g.add("stall", 0, 0, 1, 0, 1, null)).hasMessageContaining("stall");
        g.exportCsv(dir.resolve("g.csv"));
        assertThat(Files.readAllLines(dir.resolve("g.csv"))).containsExactly("kind,lane,start,end,label",
                "compute,w0,0.0,4.0,fwd L0", "receive,w0,4.0,5.5,fwd L1", "compute,w1,0.0,3.0,fwd L0");
        g.exportPng(dir.resolve("g.png"), 96);
        BufferedImage img = ImageIO.read(dir.resolve("g.png").toFile());
        assertThat(img.getWidth()).isEqualTo(800);
        g.clear();
        assertThat(g.barCount()).isZero();
    }

    @Test
    void graphDrawsEveryNodeInItsGroupAndRingsTheMarkedOnes(@TempDir Path dir) throws Exception {
        GraphChart c = ChartKit.standalone().graph("graph", "Partition");
        c.setGraph(new int[] {10, 11, 12, 13}, new float[] {0, 1, 0, 1}, new float[] {0, 0, 1, 1},
                new int[] {0, 0, 1, 1}, new boolean[] {false, true, true, false}, new int[] {0, 1, 2},
                new int[] {1, 2, 3}, new String[] {"part 0", "part 1"}, "boundary node");
        assertThat(c.nodeCount()).isEqualTo(4);
        assertThat(c.groupSize(0)).isEqualTo(2);
        assertThat(c.groupSize(1)).isEqualTo(2);
        assertThat(c.markedCount()).isEqualTo(2);
        c.exportCsv(dir.resolve("c.csv"));
        assertThat(Files.readAllLines(dir.resolve("c.csv"))).hasSize(5).contains("11,1.0,0.0,0,true");
        c.exportSvg(dir.resolve("c.svg"));
        assertThat(Files.readString(dir.resolve("c.svg"))).contains("part 1").contains("boundary node");
        c.setDark(true);
        c.exportPng(dir.resolve("c.png"), 96);
        assertThat(Files.size(dir.resolve("c.png"))).isPositive();
    }
}
