package org.mlsysworkbench.algorithms.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.mlsysworkbench.algorithms.core.kernels.CpuGemm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** JMH view of the CPU GEMM (GFLOP/s = 2·n³ / time); the {@code bench} CLI gives the same as ratios. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class GemmBenchmark {

    @Param({"256", "512"})
    int n;

    float[] a;
    float[] b;
    float[] c;

    @Setup
    public void setUp() {
        SplittableRandom r = new SplittableRandom(1);
        a = new float[n * n];
        b = new float[n * n];
        c = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextDouble();
            b[i] = (float) r.nextDouble();
        }
    }

    @Benchmark
    public float[] gemm() {
        CpuGemm.gemm(n, n, n, a, b, c);
        return c;
    }
}
