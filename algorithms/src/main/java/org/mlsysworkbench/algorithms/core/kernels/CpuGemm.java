package org.mlsysworkbench.algorithms.core.kernels;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one plain-Java single-precision GEMM of the workbench: {@code C = op(A) * op(B)} (or {@code C += ...}),
 * row-major, with leading dimensions, blocked for the caches (panels of {@code KC x NC} of B and
 * {@code MC x KC} of A are packed into thread-local buffers) and split over rows of C on
 * {@link KernelThreads}.
 *
 * <p>The inner kernel uses the incubating Vector API ({@code jdk.incubator.vector}, 4 rows x 2 vectors of
 * FMA accumulators) when the JVM was started with {@code --add-modules jdk.incubator.vector}; otherwise a
 * scalar kernel that C2 auto-vectorises (about 9x slower on AVX-512). {@link #kernelName()} says which one runs.
 *
 * <p>Deterministic for a given kernel whatever the thread count: each element of C is computed by one
 * thread, summing k in the same order (row blocks start at multiples of {@code MC}, column chunks at
 * multiples of 64, so the same rows and columns take the vector or the tail path).
 *
 * <p>Layout: {@code A} is {@code m x k} ({@code k x m} when {@code transA}), element {@code (i, p)} at
 * {@code a[aOff + i * lda + p]}; likewise B ({@code k x n}) and C ({@code m x n}, never transposed).
 * Thread-safe: calls share nothing but the worker pool.
 */
public final class CpuGemm {

    static final int KC = 256;
    static final int NC = 1024;
    static final int MC = 64;

    private static final Logger LOG = LoggerFactory.getLogger(CpuGemm.class);
    private static final MicroKernel SCALAR = new ScalarGemmKernel();
    private static final MicroKernel KERNEL = pickKernel();

    private static final ThreadLocal<float[][]> PACKS = ThreadLocal.withInitial(
            () -> new float[][] {new float[KC * NC], new float[MC * KC]});

    /** The packed-panel inner kernel: {@code C[rows, 0:nc] += Ap[rows, 0:kc] * Bp[0:kc, 0:nc]}. */
    interface MicroKernel {
        void run(float[] ap, int mc, int kc, float[] bp, int nc, float[] c, int cOff, int ldc);
    }

    private CpuGemm() {
    }

    /** "vector-api (512-bit)" or "scalar (auto-vectorised)". */
    public static String kernelName() {
        return KERNEL instanceof ScalarGemmKernel ? "scalar (auto-vectorised)" : KERNEL.toString();
    }

    /** True when the Vector API kernel is in use. */
    public static boolean usesVectorApi() {
        return !(KERNEL instanceof ScalarGemmKernel);
    }

    /** C (m x n) = A (m x k) * B (k x n), dense row-major without offsets; C is overwritten. */
    public static void gemm(int m, int n, int k, float[] a, float[] b, float[] c) {
        if (a.length < (long) m * k || b.length < (long) k * n || c.length < (long) m * n) {
            throw new IllegalArgumentException("gemm: arrays smaller than " + m + "x" + k + " * " + k + "x" + n);
        }
        gemm(m, n, k, a, 0, k, false, b, 0, n, false, c, 0, n, false);
    }

    /**
     * {@code C = A * B} with the scalar (auto-vectorised) micro-kernel even when the Vector API is
     * available: for {@code bench core}'s Vector-API-versus-scalar ratio.
     */
    public static void gemmScalar(int m, int n, int k, float[] a, float[] b, float[] c) {
        run(SCALAR, m, n, k, a, 0, k, false, b, 0, n, false, c, 0, n, false);
    }

    /**
     * General form.
     *
     * @param accumulate {@code true}: {@code C += op(A) op(B)}; {@code false}: C is overwritten
     */
    public static void gemm(int m, int n, int k, float[] a, int aOff, int lda, boolean transA,
                            float[] b, int bOff, int ldb, boolean transB,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        run(KERNEL, m, n, k, a, aOff, lda, transA, b, bOff, ldb, transB, c, cOff, ldc, accumulate);
    }

    /**
     * The general form on the caller's thread only, for callers that already spread their work over their own
     * threads (one GEMM per tile, as in the NeRF renderer). Same results as {@link #gemm(int, int, int, float[],
     * int, int, boolean, float[], int, int, boolean, float[], int, int, boolean)}.
     */
    public static void gemmSerial(int m, int n, int k, float[] a, int aOff, int lda, boolean transA,
                                  float[] b, int bOff, int ldb, boolean transB,
                                  float[] c, int cOff, int ldc, boolean accumulate) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (!accumulate) {
            for (int i = 0; i < m; i++) {
                Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            }
        }
        if (k <= 0) {
            return;
        }
        serial(KERNEL, 0, m, 0, n, k, a, aOff, lda, transA, b, bOff, ldb, transB, c, cOff, ldc);
    }

    private static void run(MicroKernel kernel, int m, int n, int k, float[] a, int aOff, int lda, boolean transA,
                            float[] b, int bOff, int ldb, boolean transB,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (!accumulate) {
            for (int i = 0; i < m; i++) {
                Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            }
        }
        if (k <= 0) {
            return;
        }
        long flops = (long) m * n * k;
        int rowBlocks = (m + MC - 1) / MC;
        if (rowBlocks == 1 && flops > 4_000_000L && n >= 2 * 64) {
            // one row block (skinny C): split the columns instead
            // parts of 64 columns: chunk edges stay at multiples of the vector block whatever the thread count
            int colParts = (n + 63) / 64;
            KernelThreads.parallelFor(colParts, flops, (from, to) -> {
                int j0 = from * 64;
                int j1 = Math.min(n, to * 64);
                serial(kernel, 0, m, j0, j1, k, a, aOff, lda, transA, b, bOff, ldb, transB, c, cOff, ldc);
            });
            return;
        }
        KernelThreads.parallelFor(rowBlocks, flops, (from, to) -> serial(kernel, from * MC, Math.min(m, to * MC),
                0, n, k, a, aOff, lda, transA, b, bOff, ldb, transB, c, cOff, ldc));
    }

    private static void serial(MicroKernel kernel, int i0, int i1, int j0, int j1, int k, float[] a, int aOff,
                               int lda, boolean transA, float[] b, int bOff, int ldb, boolean transB,
                               float[] c, int cOff, int ldc) {
        float[][] packs = PACKS.get();
        float[] bp = packs[0];
        float[] ap = packs[1];
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(b, bOff, ldb, transB, pc, kc, jc, nc, bp);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    packA(a, aOff, lda, transA, ic, mc, pc, kc, ap);
                    kernel.run(ap, mc, kc, bp, nc, c, cOff + ic * ldc + jc, ldc);
                }
            }
        }
    }

    /** Bp[p * nc + j] = op(B)[pc + p, jc + j]. */
    private static void packB(float[] b, int bOff, int ldb, boolean transB, int pc, int kc, int jc, int nc,
                              float[] bp) {
        if (!transB) {
            for (int p = 0; p < kc; p++) {
                System.arraycopy(b, bOff + (pc + p) * ldb + jc, bp, p * nc, nc);
            }
        } else {
            for (int j = 0; j < nc; j++) {
                int src = bOff + (jc + j) * ldb + pc;
                for (int p = 0; p < kc; p++) {
                    bp[p * nc + j] = b[src + p];
                }
            }
        }
    }

    /** Ap[i * kc + p] = op(A)[ic + i, pc + p]. */
    private static void packA(float[] a, int aOff, int lda, boolean transA, int ic, int mc, int pc, int kc,
                              float[] ap) {
        if (!transA) {
            for (int i = 0; i < mc; i++) {
                System.arraycopy(a, aOff + (ic + i) * lda + pc, ap, i * kc, kc);
            }
        } else {
            for (int p = 0; p < kc; p++) {
                int src = aOff + (pc + p) * lda + ic;
                for (int i = 0; i < mc; i++) {
                    ap[i * kc + p] = a[src + i];
                }
            }
        }
    }

    private static MicroKernel pickKernel() {
        boolean disabled = Boolean.getBoolean("workbench.noVectorApi");
        if (!disabled && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                Class<?> cls = Class.forName("org.mlsysworkbench.algorithms.core.kernels.VectorGemmKernel");
                return (MicroKernel) cls.getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                LOG.warn("Vector API GEMM kernel unavailable, using the scalar one: {}", e.toString());
            }
        }
        return SCALAR;
    }
}
