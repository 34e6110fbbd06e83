package org.mlsysworkbench.compute.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mlsysworkbench.algorithms.core.DeviceInfo;
import org.mlsysworkbench.compute.testing.GpuTests;

/** The runtime itself: devices, buffers, sequences, barriers, timestamps, loop budget, fp16/int8 data. */
@Tag("gpu")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GpuContextTest {

    private GpuContext gpu;

    @BeforeAll
    void open() {
        gpu = GpuTests.openContext();
    }

    @AfterAll
    void close() {
        GpuTests.closeClean(gpu);
    }

    @Test
    void listsDevicesWithTheFactsTheSystemPageShows() {
        List<DeviceInfo> devices = VulkanDevices.list();
        assertThat(devices).isNotEmpty();
        DeviceInfo best = devices.get(0);
        assertThat(best.properties()).containsKeys("subgroupSize", "fp16", "int8", "heap0",
                "maxComputeWorkGroupCount", "maxStorageBufferRangeBytes", "usable");
        assertThat(best.apiVersion()).matches("1\\.\\d+\\.\\d+");
        assertThat(gpu.device().name()).isEqualTo(VulkanDevices.best(System.getProperty("workbench.device"))
                .orElseThrow().name());
        assertThat(GpuContext.isAvailable()).isTrue();
    }

    @Test
    void anUnknownDeviceFilterIsRefusedWithTheDeviceList() {
        assertThatThrownBy(() -> GpuContext.create("no-such-device-xyz"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-device-xyz").hasMessageContaining(gpu.device().name());
    }

    @Test
    void uploadDispatchDownloadRoundTripsWithTimings() {
        int n = 1000;
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = 1;
        }
        try (GpuBuffer bx = gpu.buffer("t/x", 4L * n); GpuBuffer by = gpu.buffer("t/y", 4L * n);
             ComputeKernel k = gpu.kernel(KernelSpec.of("core/scale_add", 2, 8, 64));
             CommandSequence s = gpu.sequence("t/saxpy")) {
            float[] out = new float[n];
            s.record(Op.upload(bx, x)).record(Op.upload(by, y))
                    .record(Op.dispatch(k, Grid.forElements(n, 64, gpu), new int[] {n, Op.bits(2f)}, bx, by))
                    // a second dispatch on the same buffer: read-after-write, the sequence inserts a barrier
                    .record(Op.dispatch(k, Grid.forElements(n, 64, gpu), new int[] {n, Op.bits(2f)}, bx, by))
                    .record(Op.download(by, out));
            s.evalAsync();
            assertThat(s.isRunning()).isTrue();
            assertThat(s.await(Duration.ofSeconds(60))).isTrue();
            for (int i = 0; i < n; i++) {
                assertThat(out[i]).isEqualTo(1 + 4f * i);
            }
            if (gpu.timestampsSupported()) {
                assertThat(s.timings()).extracting(CommandSequence.OpTiming::label).contains("core/scale_add");
                assertThat(s.dispatchMs()).isGreaterThanOrEqualTo(0);
            }
            // the ops stay recorded: evaluating again applies saxpy twice more to y's uploaded start values
            s.eval();
            assertThat(out[10]).isEqualTo(1 + 40f);
        }
    }

    @Test
    void uploadAfterAGpuUseOfTheSameBufferIsStagedInOrder() {
        int[] first = {1, 2, 3, 4};
        int[] second = {10, 20, 30, 40};
        int[] copied = new int[4];
        int[] last = new int[4];
        try (GpuBuffer a = gpu.buffer("t/a", 16); GpuBuffer b = gpu.buffer("t/b", 16);
             CommandSequence s = gpu.sequence("t/order")) {
            s.record(Op.upload(a, first)).record(Op.copy(a, b, 16)).record(Op.upload(a, second))
                    .record(Op.download(b, copied)).record(Op.download(a, last)).eval();
        }
        assertThat(copied).containsExactly(first);
        assertThat(last).containsExactly(second);
    }

    @Test
    void halfAndByteDataRoundTrip() {
        short[] half = new short[5];
        float[] values = {0f, 1.5f, -2.25f, 65504f, 1e-7f};
        for (int i = 0; i < values.length; i++) {
            half[i] = Half.fromFloat(values[i]);
        }
        assertThat(Half.toFloat(half[2])).isEqualTo(-2.25f);
        assertThat(Half.toFloat(half[3])).isEqualTo(65504f);
        byte[] bytes = {-128, -1, 0, 1, 127};
        short[] halfBack = new short[5];
        byte[] bytesBack = new byte[5];
        try (GpuBuffer h = gpu.buffer("t/half", 10); GpuBuffer b = gpu.buffer("t/bytes", 5)) {
            h.write(HostArray.ofHalf(half));
            b.write(HostArray.of(bytes));
            h.read(HostArray.ofHalf(halfBack));
            b.read(HostArray.of(bytesBack));
        }
        assertThat(halfBack).containsExactly(half);
        assertThat(bytesBack).containsExactly(bytes);
    }

    @Test
    void loopBudgetProbeShowsLavapipesLimit() {
        // lavapipe stops every invocation after 65,535 loop iterations in total; other drivers run them all.
        // The kernels keep per-invocation trip counts far below (GEMM: < 25,000 per K chunk).
        int[] counted = new int[2];
        try (GpuBuffer out = gpu.buffer("t/loops", 8);
             ComputeKernel k = gpu.kernel(KernelSpec.of("diagnostics/count_iterations", 1, 4));
             CommandSequence s = gpu.sequence("t/loops")) {
            s.record(Op.fill(out, 0)).record(Op.dispatch(k, new Grid(1, 1, 1), new int[] {100_000}, out))
                    .record(Op.download(out, counted)).eval();
        }
        assertThat(counted[0]).isEqualTo(gpu.isLavapipe() ? 65_535 : 100_000);
    }

    @Test
    void stagedBuffersWorkAsOnADiscreteGpu() {
        GpuContext staged = GpuTests.openStagingContext();
        try {
            assertThat(staged.unifiedMemory()).isFalse();
            float[] data = {1, 2, 3};
            float[] back = new float[3];
            try (GpuBuffer b = staged.buffer("t/staged", 12)) {
                assertThat(b.hostVisible()).isFalse();
                b.write(HostArray.of(data));
                b.read(HostArray.of(back));
            }
            assertThat(back).containsExactly(data);
        } finally {
            GpuTests.closeClean(staged);
        }
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseThrows() {
        GpuBuffer b = gpu.buffer("t/closed", 16);
        CommandSequence s = gpu.sequence("t/closed");
        b.close();
        b.close();
        assertThat(b.isClosed()).isTrue();
        assertThatThrownBy(() -> b.write(HostArray.of(new float[4]))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("t/closed");
        s.record(Op.fill(b, 0));
        assertThatThrownBy(s::eval).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        s.close();
        s.close();
        assertThatThrownBy(() -> s.record(Op.barrier("x"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closingAContextFreesAndReportsWhatWasLeftOpen() {
        GpuContext other = GpuTests.openContext();
        other.buffer("t/forgotten", 64);
        other.kernel(KernelSpec.of("core/scale_add", 2, 8, 64));
        other.sequence("t/forgotten");
        assertThat(other.openChildren()).isEqualTo(3);
        other.close();
        other.close();
        assertThat(other.leaks()).hasSize(3).anyMatch(l -> l.contains("t/forgotten"));
        assertThat(other.openChildren()).isZero();
        assertThat(other.validationErrors()).isEmpty();
        assertThatThrownBy(() -> other.buffer("late", 4)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void twoHundredContextLifecyclesStayClean() {
        for (int i = 0; i < 200; i++) {
            GpuContext c = GpuContext.create();
            try (GpuBuffer b = c.buffer("cycle", 256); CommandSequence s = c.sequence("cycle")) {
                s.record(Op.fill(b, i)).eval();
            }
            GpuTests.closeClean(c);
        }
    }

    @Test
    void validationErrorsAreCaught() {
        GpuContext other = GpuTests.openContext();
        try {
            // an over-limit dispatch is harmless on a CPU driver only; elsewhere it is undefined behaviour
            Assumptions.assumeTrue(other.validationEnabled() && other.isLavapipe(),
                    "needs validation layers and lavapipe");
            try (GpuBuffer out = other.buffer("t/invalid", 8);
                 ComputeKernel k = other.kernel(KernelSpec.of("diagnostics/count_iterations", 1, 4));
                 CommandSequence s = other.sequence("t/invalid")) {
                // one group past maxComputeWorkGroupCount[0]: VUID-vkCmdDispatch-groupCountX-00386
                s.record(Op.dispatch(k, new Grid(other.maxGroups(0) + 1, 1, 1), new int[] {0}, out)).eval();
            }
        } finally {
            other.close();
        }
        assertThat(other.validationErrors()).anyMatch(m -> m.contains("groupCountX"));
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> gpu.buffer("empty", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> gpu.kernel(KernelSpec.of("core/missing_shader", 1, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shaders/core/missing_shader.spv");
        try (ComputeKernel k = gpu.kernel(KernelSpec.of("core/scale_add", 2, 8, 64));
             GpuBuffer b = gpu.buffer("t/arg", 16)) {
            assertThatThrownBy(() -> Op.dispatch(k, new Grid(1, 1, 1), new int[] {1, 2}, b))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("binds 2 buffers");
        }
        assertThat(Grid.linear(200_000, 65_535, 65_535)).satisfies(g -> {
            assertThat(g.groups()).isGreaterThanOrEqualTo(200_000);
            assertThat(g.x()).isLessThanOrEqualTo(65_535);
        });
    }
}
