package org.mlsysworkbench.compute.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mlsysworkbench.algorithms.graph.CsrGraph;
import org.mlsysworkbench.algorithms.graph.RmatGenerator;
import org.mlsysworkbench.algorithms.graph.sampling.Block;
import org.mlsysworkbench.algorithms.graph.sampling.CounterRng;
import org.mlsysworkbench.algorithms.graph.sampling.CpuSamplingKernels;
import org.mlsysworkbench.algorithms.graph.sampling.FusedIdMapper;
import org.mlsysworkbench.algorithms.graph.sampling.HopSample;
import org.mlsysworkbench.algorithms.graph.sampling.NeighbourSampler;
import org.mlsysworkbench.algorithms.graph.sampling.SampledBatch;
import org.mlsysworkbench.compute.core.GpuContext;
import org.mlsysworkbench.compute.testing.GpuTests;

/**
 * The sampling kernels on Vulkan against their CPU twin (CpuSamplingKernels): sampled edges exactly, with
 * the same counter-based draws; the fused ID map as a bijection (new sources are numbered in atomic order
 * on the GPU); the memory-aware aggregation within 1e-5 relative error. Sizes exceed one workgroup and
 * include zero-degree destinations, replacement, "all neighbours" and destinations with degree above the
 * shared-memory stage.
 */
@Tag("gpu")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VulkanSamplingKernelsParityTest {

    private final CpuSamplingKernels cpu = new CpuSamplingKernels();
    private GpuContext gpu;
    private VulkanSamplingKernels vk;
    private CsrGraph graph;

    @BeforeAll
    void open() {
        gpu = GpuTests.openContext();
        vk = new VulkanSamplingKernels(gpu);
        graph = RmatGenerator.generate(RmatGenerator.Params.graph500(12, 8), 3);
    }

    @AfterAll
    void close() {
        if (vk != null) {
            vk.close();
            vk.close(); // idempotent
        }
        GpuTests.closeClean(gpu);
    }

    private int[] seeds(int k, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Set<Integer> set = new HashSet<>();
        int[] out = new int[k];
        int i = 0;
        while (i < k) {
            int v = r.nextInt(graph.numNodes());
            if (set.add(v)) {
                out[i++] = v;
            }
        }
        return out;
    }

    @Test
    void sampledEdgesAreIdentical() {
        int[] dst = seeds(1500, 1);
        for (int fanout : new int[] {1, 5, 15, -1}) {
            for (boolean replace : new boolean[] {false, true}) {
                int seed = CounterRng.hopSeed(9, fanout, replace ? 1 : 0);
                HopSample c = cpu.sampleHop(graph, dst, fanout, replace, seed);
                HopSample g = vk.sampleHop(graph, dst, fanout, replace, seed);
                assertThat(g.offsets()).as("fanout %d replace %b", fanout, replace).isEqualTo(c.offsets());
                assertThat(g.edgeSrc()).as("fanout %d replace %b", fanout, replace).isEqualTo(c.edgeSrc());
            }
        }
    }

    @Test
    void fusedMapIsTheSameBlockUpToRelabelling() {
        HopSample hop = cpu.sampleHop(graph, seeds(2000, 2), 10, false, 77);
        Block c = new FusedIdMapper().map(hop);
        Block g = vk.fusedMap(hop);
        assertThat(g.numDst()).isEqualTo(c.numDst());
        assertThat(g.numSrc()).isEqualTo(c.numSrc());
        // destinations first, in order
        for (int i = 0; i < g.numDst(); i++) {
            assertThat(g.srcNodes()[i]).isEqualTo(hop.dst()[i]);
        }
        // sources: the same set, each global id once
        Set<Integer> gs = new HashSet<>();
        Set<Integer> cs = new HashSet<>();
        for (int v : g.srcNodes()) {
            gs.add(v);
        }
        for (int v : c.srcNodes()) {
            cs.add(v);
        }
        assertThat(gs).hasSize(g.numSrc()).isEqualTo(cs);
        // every edge maps to the same global source
        for (int e = 0; e < hop.numEdges(); e++) {
            assertThat(g.srcNodes()[g.srcLocal()[e]]).isEqualTo(hop.edgeSrc()[e]);
        }
    }

    @Test
    void multiHopBatchMatchesAsSets() {
        int[] seeds = seeds(300, 3);
        SampledBatch c = new NeighbourSampler(graph, new int[] {5, 10}, false, cpu, null).sample(seeds, 4, 0, null);
        SampledBatch g = new NeighbourSampler(graph, new int[] {5, 10}, false, vk, null).sample(seeds, 4, 0, null);
        for (int l = 0; l < 2; l++) {
            assertThat(rows(g.blocks().get(l))).isEqualTo(rows(c.blocks().get(l)));
        }
    }

    private static Map<Integer, java.util.List<Integer>> rows(Block b) {
        Map<Integer, java.util.List<Integer>> m = new HashMap<>();
        for (int i = 0; i < b.numDst(); i++) {
            java.util.List<Integer> row = new java.util.ArrayList<>();
            for (int e = b.offsets()[i]; e < b.offsets()[i + 1]; e++) {
                row.add(b.srcNodes()[b.srcLocal()[e]]);
            }
            m.put(b.dstGlobal(i), row);
        }
        return m;
    }

    @Test
    void aggregationMatchesWithinTolerance() {
        int[] dst = seeds(700, 5);
        // all neighbours: degrees above the 32-id shared-memory stage, and isolated destinations
        Block b = new FusedIdMapper().map(cpu.sampleHop(graph, dst, -1, false, 1));
        for (int dim : new int[] {1, 33, 100}) {
            SplittableRandom r = new SplittableRandom(dim);
            float[] x = new float[b.numSrc() * dim];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            float[] c = new float[b.numDst() * dim];
            float[] g = new float[b.numDst() * dim];
            cpu.aggregateMean(b, x, dim, c);
            vk.aggregateMean(b, x, dim, g);
            for (int i = 0; i < c.length; i++) {
                // same summation order; 1e-5 relative (spec sheet), absolute floor near zero
                assertThat(g[i]).as("dim %d index %d", dim, i)
                        .isCloseTo(c[i], within((float) (1e-5 * Math.max(1, Math.abs(c[i])))));
            }
        }
    }
}
