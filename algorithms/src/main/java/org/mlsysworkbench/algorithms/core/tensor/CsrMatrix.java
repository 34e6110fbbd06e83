package org.mlsysworkbench.algorithms.core.tensor;

import java.util.Arrays;
import org.mlsysworkbench.algorithms.core.kernels.KernelThreads;

/**
 * An immutable sparse matrix in compressed sparse row form: the non-zeros of row {@code r} are
 * {@code values[k]} at column {@code indices[k]} for {@code k in [indptr[r], indptr[r+1])}, columns sorted
 * within a row. Used for graph aggregation (a normalised adjacency) and sparse inputs (bag-of-words
 * features). {@link #matmul(Tensor)} is differentiable with respect to the dense operand.
 *
 * <p>Thread-safe (immutable; the transpose is built once, on first use, under a lock).
 */
public final class CsrMatrix {

    private final int rows;
    private final int cols;
    private final int[] indptr;
    private final int[] indices;
    private final float[] values;
    private CsrMatrix transposed;
    /** True for a per-step matrix (dropout): its backward pass scatters instead of building a transpose. */
    private boolean ephemeral;

    /** Wraps CSR arrays (not copied); checks their consistency. */
    public CsrMatrix(int rows, int cols, int[] indptr, int[] indices, float[] values) {
        if (indptr.length != rows + 1 || indices.length != values.length || indptr[rows] != indices.length) {
            throw new IllegalArgumentException("inconsistent CSR: rows " + rows + ", indptr " + indptr.length
                    + ", indices " + indices.length + ", values " + values.length);
        }
        for (int k = 0; k < indices.length; k++) {
            if (indices[k] < 0 || indices[k] >= cols) {
                throw new IllegalArgumentException("CSR column " + indices[k] + " at " + k + " not in [0, " + cols
                        + ")");
            }
        }
        this.rows = rows;
        this.cols = cols;
        this.indptr = indptr;
        this.indices = indices;
        this.values = values;
    }

    /** From coordinate triples (duplicates are summed). */
    public static CsrMatrix fromCoo(int rows, int cols, int[] r, int[] c, float[] v) {
        int nnz = r.length;
        int[] count = new int[rows + 1];
        for (int k = 0; k < nnz; k++) {
            if (r[k] < 0 || r[k] >= rows) {
                throw new IllegalArgumentException("COO row " + r[k] + " at " + k + " not in [0, " + rows + ")");
            }
            count[r[k] + 1]++;
        }
        for (int i = 0; i < rows; i++) {
            count[i + 1] += count[i];
        }
        int[] pos = Arrays.copyOf(count, rows);
        int[] idx = new int[nnz];
        float[] val = new float[nnz];
        for (int k = 0; k < nnz; k++) {
            int at = pos[r[k]]++;
            idx[at] = c[k];
            val[at] = v[k];
        }
        // sort columns within rows and merge duplicates
        int[] outPtr = new int[rows + 1];
        int w = 0;
        for (int i = 0; i < rows; i++) {
            int from = count[i];
            int to = count[i + 1];
            sortRow(idx, val, from, to);
            for (int k = from; k < to; k++) {
                if (w > outPtr[i] && idx[w - 1] == idx[k]) {
                    val[w - 1] += val[k];
                } else {
                    idx[w] = idx[k];
                    val[w] = val[k];
                    w++;
                }
            }
            outPtr[i + 1] = w;
        }
        return new CsrMatrix(rows, cols, outPtr, Arrays.copyOf(idx, w), Arrays.copyOf(val, w));
    }

    private static void sortRow(int[] idx, float[] val, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            int ki = idx[i];
            float kv = val[i];
            int j = i - 1;
            while (j >= from && idx[j] > ki) {
                idx[j + 1] = idx[j];
                val[j + 1] = val[j];
                j--;
            }
            idx[j + 1] = ki;
            val[j + 1] = kv;
        }
    }

    /**
     * The GCN propagation matrix {@code D^-1/2 (A + I) D^-1/2} of an undirected graph with {@code n} nodes
     * given as directed edge lists (each undirected edge listed both ways; self-loops are added here).
     */
    public static CsrMatrix gcnNormalized(int n, int[] src, int[] dst) {
        int m = src.length;
        int[] r = new int[m + n];
        int[] c = new int[m + n];
        float[] v = new float[m + n];
        double[] deg = new double[n];
        for (int k = 0; k < m; k++) {
            r[k] = src[k];
            c[k] = dst[k];
            deg[src[k]]++;
        }
        for (int i = 0; i < n; i++) {
            r[m + i] = i;
            c[m + i] = i;
            deg[i]++;
        }
        for (int k = 0; k < m + n; k++) {
            v[k] = (float) (1.0 / Math.sqrt(deg[r[k]] * deg[c[k]]));
        }
        return fromCoo(n, n, r, c, v);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int nnz() {
        return indices.length;
    }

    /** The arrays are shared, not copied: do not modify. */
    public int[] indptr() {
        return indptr;
    }

    public int[] indices() {
        return indices;
    }

    public float[] values() {
        return values;
    }

    /**
     * Dropout on the stored values (sparse input dropout, as in Kipf and Welling's GCN): each non-zero is
     * zeroed with probability {@code p}, the rest scaled by {@code 1/(1-p)}. Shares the structure arrays;
     * meant for one training step (its products backpropagate by scattering, with no transpose built).
     */
    public CsrMatrix dropout(double p, java.util.SplittableRandom rnd) {
        if (p < 0 || p >= 1) {
            throw new IllegalArgumentException("dropout p must be in [0, 1), got " + p);
        }
        float scale = (float) (1 / (1 - p));
        float[] v = new float[values.length];
        for (int k = 0; k < v.length; k++) {
            v[k] = rnd.nextDouble() < p ? 0f : values[k] * scale;
        }
        CsrMatrix out = new CsrMatrix(rows, cols, indptr, indices, v);
        out.ephemeral = true;
        return out;
    }

    /** The transpose, built once. */
    public synchronized CsrMatrix transpose() {
        if (transposed == null) {
            int[] r = new int[nnz()];
            for (int i = 0; i < rows; i++) {
                for (int k = indptr[i]; k < indptr[i + 1]; k++) {
                    r[k] = i;
                }
            }
            transposed = fromCoo(cols, rows, indices, r, values);
            transposed.transposed = this;
        }
        return transposed;
    }

    /**
     * {@code this [R, K] x dense [K, F] -> [R, F]} (sparse-dense matmul), rows split over the kernel
     * threads. Differentiable with respect to {@code dense}: {@code dDense = this^T * dOut}.
     */
    public Tensor matmul(Tensor dense) {
        if (dense.rank() != 2 || dense.dim(0) != cols) {
            throw new IllegalArgumentException("CSR [" + rows + ", " + cols + "] x " + Shape.str(dense.shape()));
        }
        int f = dense.dim(1);
        Tensor y = Tensor.empty(dense.dtype(), rows, f);
        spmm(this, dense, y);
        return Tape.op(y, () -> {
            if (dense.requiresGrad) {
                if (ephemeral) {
                    scatterTransposed(this, y.grad, dense.gradBuffer());
                } else {
                    spmmAccumulate(transpose(), y.grad, dense.gradBuffer());
                }
            }
        }, dense);
    }

    private static void spmm(CsrMatrix a, Tensor x, Tensor y) {
        spmmAccumulate(a, x, y);
    }

    /** {@code gx += a^T * g} by scattering row by row (one thread: rows of gx are shared). */
    private static void scatterTransposed(CsrMatrix a, Tensor g, Tensor gx) {
        int f = g.dim(1);
        for (int r = 0; r < a.rows; r++) {
            for (int k = a.indptr[r]; k < a.indptr[r + 1]; k++) {
                float v = a.values[k];
                if (v == 0f) {
                    continue;
                }
                int dst = a.indices[k] * f;
                int src = r * f;
                if (g.f != null) {
                    float[] gf = g.f;
                    float[] xf = gx.f;
                    for (int j = 0; j < f; j++) {
                        xf[dst + j] += v * gf[src + j];
                    }
                } else {
                    for (int j = 0; j < f; j++) {
                        gx.d[dst + j] += v * g.d[src + j];
                    }
                }
            }
        }
    }

    /** {@code y += a * x}. */
    static void spmmAccumulate(CsrMatrix a, Tensor x, Tensor y) {
        int f = x.dim(1);
        int[] ptr = a.indptr;
        int[] idx = a.indices;
        float[] val = a.values;
        KernelThreads.parallelFor(a.rows, (long) a.nnz() * f, (from, to) -> {
            if (x.f != null) {
                float[] xf = x.f;
                float[] yf = y.f;
                for (int r = from; r < to; r++) {
                    int yo = r * f;
                    for (int k = ptr[r]; k < ptr[r + 1]; k++) {
                        float v = val[k];
                        int xo = idx[k] * f;
                        for (int j = 0; j < f; j++) {
                            yf[yo + j] += v * xf[xo + j];
                        }
                    }
                }
            } else {
                double[] xd = x.d;
                double[] yd = y.d;
                for (int r = from; r < to; r++) {
                    int yo = r * f;
                    for (int k = ptr[r]; k < ptr[r + 1]; k++) {
                        double v = val[k];
                        int xo = idx[k] * f;
                        for (int j = 0; j < f; j++) {
                            yd[yo + j] += v * xd[xo + j];
                        }
                    }
                }
            }
        });
    }
}
