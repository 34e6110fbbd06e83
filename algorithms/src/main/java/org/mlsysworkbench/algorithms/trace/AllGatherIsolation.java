package org.mlsysworkbench.algorithms.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Finds faulty nodes with the paper's two-round NCCL AllGather test (§6.1): round 1 pairs the nodes (one
 * group of three when the count is odd) and runs AllGather per group; members of failing groups become
 * suspects. Round 2 pairs each suspect with a node that passed round 1; a suspect that still fails is
 * faulty. Without any passing node every suspect is reported (nothing to compare against). Stateless.
 */
public final class AllGatherIsolation {

    /**
     * @param faulty  the nodes found faulty, ascending
     * @param rounds  test rounds run (each round's groups run in parallel)
     * @param tests   AllGather group tests run in all
     */
    public record Outcome(Set<Integer> faulty, int rounds, int tests) {
        public Outcome {
            faulty = Set.copyOf(faulty);
        }
    }

    private AllGatherIsolation() {
    }

    /**
     * Runs the two rounds.
     *
     * @param nodes  node count (at least 2)
     * @param passes the AllGather test: true when a group of nodes completes without error
     */
    public static Outcome isolate(int nodes, Predicate<Set<Integer>> passes) {
        if (nodes < 2) {
            throw new IllegalArgumentException("AllGather isolation needs at least 2 nodes, got " + nodes);
        }
        List<Set<Integer>> groups = new ArrayList<>();
        for (int i = 0; i + 1 < nodes; i += 2) {
            Set<Integer> g = new TreeSet<>(List.of(i, i + 1));
            if (nodes % 2 == 1 && i + 3 == nodes) {
                g.add(i + 2);
                groups.add(g);
                break;
            }
            groups.add(g);
        }
        List<Integer> suspects = new ArrayList<>();
        List<Integer> good = new ArrayList<>();
        int tests = 0;
        for (Set<Integer> g : groups) {
            tests++;
            (passes.test(g) ? good : suspects).addAll(g);
        }
        Set<Integer> faulty = new TreeSet<>();
        if (suspects.isEmpty()) {
            return new Outcome(faulty, 1, tests);
        }
        if (good.isEmpty()) {
            faulty.addAll(suspects);
            return new Outcome(faulty, 1, tests);
        }
        for (int k = 0; k < suspects.size(); k++) {
            int s = suspects.get(k);
            int partner = good.get(k % good.size());
            tests++;
            if (!passes.test(new TreeSet<>(List.of(s, partner)))) {
                faulty.add(s);
            }
        }
        return new Outcome(faulty, 2, tests);
    }

    /** The test for a set of broken nodes: a group passes when it contains none of them. */
    public static Predicate<Set<Integer>> brokenNodes(Set<Integer> broken) {
        return g -> g.stream().noneMatch(broken::contains);
    }
}
