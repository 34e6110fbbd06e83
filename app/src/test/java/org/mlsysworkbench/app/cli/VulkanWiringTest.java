package org.mlsysworkbench.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mlsysworkbench.algorithms.core.Backend;
import org.mlsysworkbench.algorithms.core.DeviceInfo;
import org.mlsysworkbench.algorithms.core.kernels.BackendKernels;
import org.mlsysworkbench.algorithms.core.kernels.GenericKernels;
import org.mlsysworkbench.app.BackendFactory;
import org.mlsysworkbench.compute.testing.GpuTests;

/** The app's Vulkan wiring: devices listed, auto avoids CPU drivers, --backend vulkan forces the device. */
@Tag("gpu")
class VulkanWiringTest {

    @Test
    void devicesListsEveryVulkanDevice() {
        DeviceInfo best = GpuTests.requireDevice();
        CliTest.Result r = CliTest.cli("devices");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("plain Java").contains(best.name()).contains("subgroupSize")
                .contains("maxStorageBufferRangeBytes");
    }

    @Test
    void autoPicksVulkanOnlyForARealGpuAndVulkanForcesIt() {
        DeviceInfo best = GpuTests.requireDevice();
        try (Backend auto = BackendFactory.create("auto", null)) {
            assertThat(auto.id()).isEqualTo(best.isCpuDevice() ? "cpu" : "vulkan");
        }
        try (Backend forced = BackendFactory.create("vulkan", null)) {
            assertThat(forced.id()).isEqualTo("vulkan");
            assertThat(forced.device().name()).isEqualTo(best.name());
            assertThat(forced.functionalOnly()).isEqualTo(best.isCpuDevice());
            float[] y = {1, 2};
            forced.kernels(BackendKernels.class).orElseThrow().saxpy(2f, new float[] {3, 4}, y);
            assertThat(y).containsExactly(7f, 10f);
            assertThat(forced.kernels(GenericKernels.class).orElseThrow().exclusiveScan(new int[] {2, 3, 4}))
                    .containsExactly(0, 2, 5);
        }
        assertThat(BackendFactory.available()).extracting(Backend::id).containsExactly("vulkan");
    }
}
