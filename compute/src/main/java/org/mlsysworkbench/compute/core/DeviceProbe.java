package org.mlsysworkbench.compute.core;

import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.VK10.*;
import static org.lwjgl.vulkan.VK11.*;
import static org.lwjgl.vulkan.VK12.VK_DRIVER_ID_MESA_LLVMPIPE;

import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.mlsysworkbench.algorithms.core.DeviceInfo;
import org.lwjgl.vulkan.VkInstance;
import org.lwjgl.vulkan.VkPhysicalDevice;
import org.lwjgl.vulkan.VkPhysicalDeviceFeatures2;
import org.lwjgl.vulkan.VkPhysicalDeviceLimits;
import org.lwjgl.vulkan.VkPhysicalDeviceMemoryProperties;
import org.lwjgl.vulkan.VkPhysicalDeviceProperties;
import org.lwjgl.vulkan.VkPhysicalDeviceProperties2;
import org.lwjgl.vulkan.VkPhysicalDeviceVulkan11Features;
import org.lwjgl.vulkan.VkPhysicalDeviceVulkan11Properties;
import org.lwjgl.vulkan.VkPhysicalDeviceVulkan12Features;
import org.lwjgl.vulkan.VkPhysicalDeviceVulkan12Properties;
import org.lwjgl.vulkan.VkQueueFamilyProperties;

/**
 * Enumerates and ranks physical devices: usable ones need Vulkan 1.2 and a compute queue; then
 * discrete (1000) > integrated (500) > virtual (200) > CPU (100) > other (50), ties in enumeration order.
 */
final class DeviceProbe {

    /** What the runtime needs of one physical device, plus its plain-Java description. */
    static final class Candidate {
        final VkPhysicalDevice device;
        final DeviceInfo info;
        final int score;
        final int queueFamily;
        final int index;
        final String unusableReason;
        final int timestampValidBits;
        final boolean llvmpipe;
        final boolean shaderFloat16;
        final boolean shaderInt8;
        final boolean shaderInt16;
        final boolean shaderInt64;
        final boolean shaderFloat64;
        final boolean storage16;
        final boolean storage8;
        final int subgroupSize;
        final float timestampPeriod;
        final long maxStorageBufferRange;
        final int[] maxGroupCount;
        final int maxInvocations;
        final int maxSharedBytes;

        Candidate(VkPhysicalDevice device, DeviceInfo info, int score, int queueFamily, int index,
                  String unusableReason, int timestampValidBits, boolean llvmpipe, boolean[] features,
                  int subgroupSize, VkPhysicalDeviceLimits limits) {
            this.device = device;
            this.info = info;
            this.score = score;
            this.queueFamily = queueFamily;
            this.index = index;
            this.unusableReason = unusableReason;
            this.timestampValidBits = timestampValidBits;
            this.llvmpipe = llvmpipe;
            this.shaderFloat16 = features[0];
            this.shaderInt8 = features[1];
            this.shaderInt16 = features[2];
            this.shaderInt64 = features[3];
            this.shaderFloat64 = features[4];
            this.storage16 = features[5];
            this.storage8 = features[6];
            this.subgroupSize = subgroupSize;
            this.timestampPeriod = limits.timestampPeriod();
            this.maxStorageBufferRange = Integer.toUnsignedLong(limits.maxStorageBufferRange());
            this.maxGroupCount = new int[] {limits.maxComputeWorkGroupCount(0), limits.maxComputeWorkGroupCount(1),
                limits.maxComputeWorkGroupCount(2)};
            this.maxInvocations = limits.maxComputeWorkGroupInvocations();
            this.maxSharedBytes = limits.maxComputeSharedMemorySize();
        }

        boolean usable() {
            return unusableReason == null;
        }

        /** Case-insensitive: a substring of name, driver or type; "lavapipe" for Mesa's llvmpipe; or the index. */
        boolean matches(String filter) {
            if (filter == null || filter.isBlank()) {
                return true;
            }
            String f = filter.strip().toLowerCase(Locale.ROOT);
            if (f.equals(Integer.toString(index))) {
                return true;
            }
            String hay = (info.name() + " " + info.driver() + " " + info.type()).toLowerCase(Locale.ROOT);
            return hay.contains(f) || llvmpipe && "lavapipe".equals(f);
        }
    }

    private DeviceProbe() {
    }

    /** All physical devices, best first (unusable ones last). */
    static List<Candidate> probe(VkInstance instance) {
        List<Candidate> out = new ArrayList<>();
        try (MemoryStack stack = stackPush()) {
            IntBuffer count = stack.mallocInt(1);
            Vk.check(vkEnumeratePhysicalDevices(instance, count, null), "vkEnumeratePhysicalDevices");
            PointerBuffer handles = stack.mallocPointer(count.get(0));
            Vk.check(vkEnumeratePhysicalDevices(instance, count, handles), "vkEnumeratePhysicalDevices");
            for (int i = 0; i < handles.capacity(); i++) {
                out.add(describe(new VkPhysicalDevice(handles.get(i), instance), i));
            }
        }
        out.sort(Comparator.comparingInt((Candidate c) -> -c.score).thenComparingInt(c -> c.index));
        return out;
    }

    private static Candidate describe(VkPhysicalDevice pd, int index) {
        try (MemoryStack stack = stackPush()) {
            VkPhysicalDeviceProperties basic = VkPhysicalDeviceProperties.malloc(stack);
            vkGetPhysicalDeviceProperties(pd, basic);
            int api = basic.apiVersion();
            boolean v12 = VK_API_VERSION_MAJOR(api) > 1 || VK_API_VERSION_MINOR(api) >= 2;

            Map<String, String> p = new LinkedHashMap<>();
            String driver = Vk.version(basic.driverVersion());
            int subgroupSize = 0;
            boolean llvmpipe = false;
            boolean[] features = new boolean[7];
            if (v12) {
                VkPhysicalDeviceVulkan11Properties p11 =
                        VkPhysicalDeviceVulkan11Properties.calloc(stack).sType$Default();
                VkPhysicalDeviceVulkan12Properties p12 =
                        VkPhysicalDeviceVulkan12Properties.calloc(stack).sType$Default();
                // pNext(x) prepends x: root -> p12 -> p11
                VkPhysicalDeviceProperties2 props2 = VkPhysicalDeviceProperties2.calloc(stack).sType$Default()
                        .pNext(p11).pNext(p12);
                vkGetPhysicalDeviceProperties2(pd, props2);
                driver = p12.driverNameString() + " " + p12.driverInfoString();
                llvmpipe = p12.driverID() == VK_DRIVER_ID_MESA_LLVMPIPE;
                subgroupSize = p11.subgroupSize();
                p.put("subgroupSize", Integer.toString(subgroupSize));
                p.put("subgroupOperations", subgroupOps(p11.subgroupSupportedOperations()));

                VkPhysicalDeviceVulkan11Features f11 = VkPhysicalDeviceVulkan11Features.calloc(stack).sType$Default();
                VkPhysicalDeviceVulkan12Features f12 = VkPhysicalDeviceVulkan12Features.calloc(stack).sType$Default();
                VkPhysicalDeviceFeatures2 f2 = VkPhysicalDeviceFeatures2.calloc(stack).sType$Default()
                        .pNext(f11).pNext(f12);
                vkGetPhysicalDeviceFeatures2(pd, f2);
                features[0] = f12.shaderFloat16();
                features[1] = f12.shaderInt8();
                features[2] = f2.features().shaderInt16();
                features[3] = f2.features().shaderInt64();
                features[4] = f2.features().shaderFloat64();
                features[5] = f11.storageBuffer16BitAccess();
                features[6] = f12.storageBuffer8BitAccess();
            }
            p.put("fp16", yes(features[0]) + (features[5] ? " (16-bit storage)" : ""));
            p.put("int8", yes(features[1]) + (features[6] ? " (8-bit storage)" : ""));
            p.put("fp64", yes(features[4]));
            p.put("int64", yes(features[3]));

            VkQueueFamilyProperties.Buffer families = queueFamilies(pd, stack);
            int queueFamily = -1;
            for (int q = 0; q < families.capacity(); q++) {
                int flags = families.get(q).queueFlags();
                if ((flags & VK_QUEUE_COMPUTE_BIT) == 0) {
                    continue;
                }
                // a compute family without graphics runs beside the display work of a desktop GPU
                if (queueFamily < 0 || (flags & VK_QUEUE_GRAPHICS_BIT) == 0
                        && (families.get(queueFamily).queueFlags() & VK_QUEUE_GRAPHICS_BIT) != 0) {
                    queueFamily = q;
                }
            }
            int tsBits = queueFamily < 0 ? 0 : families.get(queueFamily).timestampValidBits();

            VkPhysicalDeviceLimits l = basic.limits();
            p.put("vendorId", String.format(Locale.ROOT, "0x%04x", basic.vendorID()));
            p.put("deviceId", String.format(Locale.ROOT, "0x%04x", basic.deviceID()));
            p.put("computeQueueFamily", Integer.toString(queueFamily));
            p.put("maxComputeWorkGroupCount", l.maxComputeWorkGroupCount(0) + " x " + l.maxComputeWorkGroupCount(1)
                    + " x " + l.maxComputeWorkGroupCount(2));
            p.put("maxComputeWorkGroupSize", l.maxComputeWorkGroupSize(0) + " x " + l.maxComputeWorkGroupSize(1)
                    + " x " + l.maxComputeWorkGroupSize(2));
            p.put("maxComputeWorkGroupInvocations", Integer.toString(l.maxComputeWorkGroupInvocations()));
            p.put("maxComputeSharedMemoryBytes", Integer.toString(l.maxComputeSharedMemorySize()));
            p.put("maxStorageBufferRangeBytes", Integer.toUnsignedString(l.maxStorageBufferRange()));
            p.put("maxPushConstantsBytes", Integer.toString(l.maxPushConstantsSize()));
            p.put("timestampPeriodNs", Float.toString(l.timestampPeriod()));
            p.put("timestampValidBits", Integer.toString(tsBits));

            VkPhysicalDeviceMemoryProperties mem = VkPhysicalDeviceMemoryProperties.malloc(stack);
            vkGetPhysicalDeviceMemoryProperties(pd, mem);
            for (int h = 0; h < mem.memoryHeapCount(); h++) {
                boolean local = (mem.memoryHeaps(h).flags() & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) != 0;
                p.put("heap" + h, mem.memoryHeaps(h).size() / (1024 * 1024) + " MiB"
                        + (local ? " device-local" : " host"));
            }

            String type = type(basic.deviceType());
            String why = null;
            if (!v12) {
                why = "Vulkan " + Vk.version(api) + " < 1.2";
            } else if (queueFamily < 0) {
                why = "no compute queue";
            }
            int score = why != null ? -1 : typeScore(basic.deviceType());
            p.put("usable", why == null ? "yes" : "no: " + why);
            p.put("index", Integer.toString(index));
            DeviceInfo info = new DeviceInfo(basic.deviceNameString(), type, driver.strip(), Vk.version(api), p);
            return new Candidate(pd, info, score, queueFamily, index, why, tsBits, llvmpipe, features, subgroupSize,
                    l);
        }
    }

    private static VkQueueFamilyProperties.Buffer queueFamilies(VkPhysicalDevice pd, MemoryStack stack) {
        IntBuffer n = stack.mallocInt(1);
        vkGetPhysicalDeviceQueueFamilyProperties(pd, n, null);
        VkQueueFamilyProperties.Buffer families = VkQueueFamilyProperties.malloc(n.get(0), stack);
        vkGetPhysicalDeviceQueueFamilyProperties(pd, n, families);
        return families;
    }

    static String type(int vkType) {
        switch (vkType) {
            case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return "discrete";
            case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return "integrated";
            case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return "virtual";
            case VK_PHYSICAL_DEVICE_TYPE_CPU: return "cpu";
            default: return "other";
        }
    }

    private static int typeScore(int vkType) {
        switch (vkType) {
            case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return 1000;
            case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return 500;
            case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return 200;
            case VK_PHYSICAL_DEVICE_TYPE_CPU: return 100;
            default: return 50;
        }
    }

    private static String subgroupOps(int bits) {
        String[] names = {"basic", "vote", "arithmetic", "ballot", "shuffle", "shuffle_relative", "clustered", "quad"};
        StringBuilder sb = new StringBuilder();
        for (int b = 0; b < names.length; b++) {
            if ((bits & (1 << b)) != 0) {
                sb.append(sb.length() == 0 ? "" : ",").append(names[b]);
            }
        }
        return sb.toString();
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }
}
