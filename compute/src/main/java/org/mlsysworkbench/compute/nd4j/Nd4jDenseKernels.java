package org.mlsysworkbench.compute.nd4j;

import java.nio.FloatBuffer;
import org.mlsysworkbench.algorithms.core.kernels.BackendKernels;
import org.mlsysworkbench.algorithms.core.kernels.DenseKernels;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J 1.0.0-M2.1 (OpenBLAS) behind the dense kernel contracts: GEMM ({@code mmul}), 2-D convolution
 * ({@code Nd4j.cnn().conv2d}, NCHW data, OIYX weights), saxpy and sum. Each call copies its inputs into
 * native arrays of a per-thread ND4J workspace and the result back into the caller's {@code float[]};
 * the workspace scope ends with the call, so native memory is reused deterministically rather than
 * left to the GC (arrays closed one by one leaked about one result array per call here).
 *
 * <p>Start-up ({@link #Nd4jDenseKernels()}) loads the natives (0.6 s, or about 3 s on a machine's first
 * run while ~400 MB unpack into the JavaCPP cache), limits ND4J and OpenBLAS to one thread (faster
 * on 2 cores and next to the app's own pool) and, unless set by the launcher, caps JavaCPP's physical
 * memory ({@code org.bytedeco.javacpp.maxphysicalbytes}, default {@value #DEFAULT_MAX_PHYSICAL}). Call it
 * off the FX thread. ND4J is an optional dependency: check {@link #available()} first.
 *
 * <p>Not thread-safe (one instance per thread); the creator closes it. {@link #close()} is idempotent and
 * any use after it throws {@link IllegalStateException}.
 */
public final class Nd4jDenseKernels implements DenseKernels, BackendKernels, AutoCloseable {

    /** Physical-memory cap applied when the JVM was started without one. */
    public static final String DEFAULT_MAX_PHYSICAL = "3G";

    private static final WorkspaceConfiguration WORKSPACE = WorkspaceConfiguration.builder().initialSize(0)
            .policyAllocation(AllocationPolicy.STRICT).policyLearning(LearningPolicy.FIRST_LOOP).build();

    private static boolean configured;
    private boolean closed;

    /** Loads ND4J and sets it to one thread. */
    public Nd4jDenseKernels() {
        configure();
    }

    /** True when the ND4J classes are on the class path (the installer may leave them out). */
    public static boolean available() {
        return Nd4jPresence.available();
    }

    private static synchronized void configure() {
        if (configured) {
            return;
        }
        // JavaCPP reads these when its Pointer class initialises, which the first Nd4j call triggers
        if (System.getProperty("org.bytedeco.javacpp.maxphysicalbytes") == null) {
            System.setProperty("org.bytedeco.javacpp.maxphysicalbytes", DEFAULT_MAX_PHYSICAL);
        }
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
        configured = true;
    }

    /** "CpuBackend / OPENBLAS": the ND4J backend and BLAS vendor in use. */
    public String describe() {
        check();
        return Nd4j.getBackend().getClass().getSimpleName() + " / " + Nd4j.factory().blas().getBlasVendor();
    }

    @Override
    public String name() {
        return "nd4j";
    }

    @Override
    public void gemm(int m, int n, int k, float[] a, float[] b, float[] c) {
        check();
        try (MemoryWorkspace ws = workspace()) {
            INDArray x = Nd4j.create(a, new long[] {m, k}, DataType.FLOAT);
            INDArray y = Nd4j.create(b, new long[] {k, n}, DataType.FLOAT);
            copyOut(x.mmul(y), c, m * n);
        }
    }

    @Override
    public void conv2d(float[] x, int n, int c, int h, int w, float[] weight, int o, int kh, int kw, float[] bias,
                       int stride, int pad, float[] y) {
        check();
        try (MemoryWorkspace ws = workspace()) {
            INDArray in = Nd4j.create(x, new long[] {n, c, h, w}, DataType.FLOAT);
            INDArray wt = Nd4j.create(weight, new long[] {o, c, kh, kw}, DataType.FLOAT);
            Conv2DConfig cfg = Conv2DConfig.builder().kH(kh).kW(kw).sH(stride).sW(stride).pH(pad).pW(pad)
                    .dH(1).dW(1).paddingMode(PaddingMode.VALID).dataFormat("NCHW")
                    .weightsFormat(WeightsFormat.OIYX).build();
            INDArray out = bias != null
                    ? Nd4j.cnn().conv2d(in, wt, Nd4j.create(bias, new long[] {o}, DataType.FLOAT), cfg)
                    : Nd4j.cnn().conv2d(in, wt, cfg);
            copyOut(out, y, (int) out.length());
        }
    }

    @Override
    public void saxpy(float a, float[] x, float[] y) {
        check();
        if (x.length != y.length) {
            throw new IllegalArgumentException("saxpy: x has " + x.length + " elements, y has " + y.length);
        }
        try (MemoryWorkspace ws = workspace()) {
            INDArray xs = Nd4j.create(x, new long[] {x.length}, DataType.FLOAT);
            INDArray ys = Nd4j.create(y, new long[] {y.length}, DataType.FLOAT);
            Nd4j.getBlasWrapper().level1().axpy(x.length, a, xs, ys);
            copyOut(ys, y, y.length);
        }
    }

    @Override
    public double sum(float[] x) {
        check();
        try (MemoryWorkspace ws = workspace()) {
            INDArray xs = Nd4j.create(x, new long[] {x.length}, DataType.FLOAT);
            // accumulate in double: the contract asks for ~1e-6 relative error on long inputs
            return xs.castTo(DataType.DOUBLE).sumNumber().doubleValue();
        }
    }

    /** Marks this instance closed and frees the calling thread's workspace memory. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
    }

    private void check() {
        if (closed) {
            throw new IllegalStateException("Nd4jDenseKernels used after close()");
        }
    }

    private static void copyOut(INDArray z, float[] dst, int n) {
        if (z.length() != n) {
            throw new IllegalStateException("ND4J result has " + z.length() + " elements, expected " + n);
        }
        FloatBuffer fb = z.data().asNioFloat();
        fb.position((int) z.offset());
        fb.get(dst, 0, n);
    }

    /**
     * Every native array of a call lives in this thread's workspace and is released (for reuse by the
     * next call) when the call's scope closes: deterministic, no GC needed. The first call sizes it.
     */
    private static MemoryWorkspace workspace() {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, "mlsys-dense-kernels");
    }
}
