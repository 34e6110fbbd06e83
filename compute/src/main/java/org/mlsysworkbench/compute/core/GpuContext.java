package org.mlsysworkbench.compute.core;

import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.EXTDebugUtils.*;
import static org.lwjgl.vulkan.VK10.*;
import static org.lwjgl.vulkan.VK12.VK_API_VERSION_1_2;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.util.vma.Vma;
import org.lwjgl.util.vma.VmaAllocatorCreateInfo;
import org.lwjgl.util.vma.VmaVulkanFunctions;
import org.lwjgl.vulkan.VkCommandPoolCreateInfo;
import org.lwjgl.vulkan.VkDebugUtilsMessengerCallbackDataEXT;
import org.lwjgl.vulkan.VkDebugUtilsMessengerCallbackEXT;
import org.lwjgl.vulkan.VkDebugUtilsMessengerCreateInfoEXT;
import org.lwjgl.vulkan.VkDebugUtilsObjectNameInfoEXT;
import org.lwjgl.vulkan.VkDevice;
import org.lwjgl.vulkan.VkDeviceCreateInfo;
import org.lwjgl.vulkan.VkDeviceQueueCreateInfo;
import org.lwjgl.vulkan.VkInstance;
import org.lwjgl.vulkan.VkPhysicalDeviceFeatures2;
import org.lwjgl.vulkan.VkPhysicalDeviceVulkan11Features;
import org.lwjgl.vulkan.VkPhysicalDeviceVulkan12Features;
import org.lwjgl.vulkan.VkQueue;
import org.mlsysworkbench.algorithms.core.DeviceInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root of the Vulkan runtime (Kompute's manager): instance, one physical device, one compute
 * queue, the VMA allocator, and a registry of every child it hands out ({@link GpuBuffer},
 * {@link ComputeKernel}, {@link CommandSequence}).
 *
 * <pre>{@code
 * try (GpuContext gpu = GpuContext.create()) {
 *     GpuBuffer x = gpu.buffer("x", 4L * n);
 *     ComputeKernel k = gpu.kernel(KernelSpec.of("core/scale_add", 2, 8, 256));
 *     gpu.sequence("saxpy").record(Op.upload(x, data)).record(Op.dispatch(k, Grid.of(...), ...)).eval();
 * }   // closes whatever is still open, logging a LEAK line for each
 * }</pre>
 *
 * <p>Device choice: usable devices (Vulkan 1.2, a compute queue) ranked discrete > integrated > virtual >
 * CPU, narrowed by {@link Options#deviceFilter()} (a case-insensitive substring of name, driver or type,
 * "lavapipe", or the index printed by {@code devices}). Validation layers (with synchronization
 * validation) are on when {@link Options#validation()} is set and the layer is installed; every
 * validation error is kept in {@link #validationErrors()} and tests fail on it.
 *
 * <p>Not thread-safe: one thread (the GPU thread) creates, records, evaluates and closes. The owner
 * closes the context; {@code close()} is idempotent.
 */
public final class GpuContext implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GpuContext.class);

    /**
     * How to open a context.
     *
     * @param deviceFilter     null/blank for the best device, else a filter (see class comment)
     * @param validation       Khronos validation + synchronization validation, when installed
     * @param forceStaging     always copy through staging buffers, as on a discrete GPU (tests the VRAM path)
     * @param refuseCpuDevices fail instead of opening a CPU-type device (lavapipe), for real-GPU runs
     */
    public record Options(String deviceFilter, boolean validation, boolean forceStaging, boolean refuseCpuDevices) {

        /**
         * From {@code -Dworkbench.device}, {@code -Dworkbench.validation}, {@code -Dworkbench.forceStaging},
         * {@code -Dworkbench.requireHardwareGpu}.
         */
        public static Options fromSystemProperties() {
            return new Options(System.getProperty("workbench.device"), Boolean.getBoolean("workbench.validation"),
                    Boolean.getBoolean("workbench.forceStaging"), Boolean.getBoolean("workbench.requireHardwareGpu"));
        }

        public Options withDeviceFilter(String filter) {
            return new Options(filter, validation, forceStaging, refuseCpuDevices);
        }

        public Options withForceStaging(boolean force) {
            return new Options(deviceFilter, validation, force, refuseCpuDevices);
        }
    }

    // owned
    private VkInstance instance;
    private long messenger;
    private VkDebugUtilsMessengerCallbackEXT callback;
    private VkDevice device;
    private long commandPool;
    private long allocator;

    // not owned (retrieved from the device)
    private final VkQueue queue;
    private final DeviceProbe.Candidate selected;

    private final boolean validation;
    private final boolean debugUtils;
    private final boolean unifiedMemory;
    private final Set<GpuResource> children = new LinkedHashSet<>();
    private final List<String> validationErrors = Collections.synchronizedList(new ArrayList<>());
    private final List<String> leaks = new ArrayList<>();
    private int pendingSequences;
    private boolean closed;

    /** Opens the device chosen by the system properties (see {@link Options#fromSystemProperties()}). */
    public static GpuContext create() {
        return create(Options.fromSystemProperties());
    }

    /** Opens the best device matching {@code deviceFilter} (blank: best overall), other options from properties. */
    public static GpuContext create(String deviceFilter) {
        return create(Options.fromSystemProperties().withDeviceFilter(deviceFilter));
    }

    public static GpuContext create(Options options) {
        if (!VulkanDevices.loaderPresent()) {
            throw new IllegalStateException("Vulkan is not available: no loader (install libvulkan1 and a driver,"
                    + " e.g. mesa-vulkan-drivers): " + VulkanDevices.loaderError());
        }
        return new GpuContext(options);
    }

    /** True when a Vulkan loader and a usable device exist. Never throws. */
    public static boolean isAvailable() {
        return VulkanDevices.isAvailable();
    }

    private GpuContext(Options options) {
        boolean layerPresent = false;
        List<String> instanceExtensions = Instances.extensions();
        if (options.validation()) {
            layerPresent = Instances.layers().contains(Instances.VALIDATION_LAYER);
            if (!layerPresent) {
                LOG.warn("Validation requested but {} is not installed (Debian: vulkan-validationlayers); running"
                        + " unvalidated", Instances.VALIDATION_LAYER);
            }
        }
        this.validation = layerPresent;
        this.debugUtils = instanceExtensions.contains(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
        this.instance = Instances.create("mlsys-workbench", validation, debugUtils);
        try {
            if (validation) {
                createMessenger();
            }
            this.selected = select(options);
            this.unifiedMemory = !options.forceStaging() && !"discrete".equals(selected.info.type());
            this.queue = createDevice();
            createPoolAndAllocator();
        } catch (RuntimeException | Error e) {
            closeRoot();
            throw e;
        }
        LOG.info("Vulkan device: {} ({}), driver {}, API {}, subgroup {}, {} memory{}", selected.info.name(),
                selected.info.type(), selected.info.driver(), selected.info.apiVersion(), selected.subgroupSize,
                unifiedMemory ? "unified" : "staged", validation ? ", validation on" : "");
    }

    private DeviceProbe.Candidate select(Options options) {
        List<DeviceProbe.Candidate> all = DeviceProbe.probe(instance);
        String filter = options.deviceFilter();
        for (DeviceProbe.Candidate c : all) {
            if (!c.usable() || !c.matches(filter)) {
                continue;
            }
            if (options.refuseCpuDevices() && "cpu".equals(c.info.type())) {
                throw new IllegalStateException("Only a CPU Vulkan device (" + c.info.name() + ") matches; a hardware"
                        + " GPU is required (workbench.requireHardwareGpu). Devices: " + describe(all));
            }
            return c;
        }
        if (all.isEmpty()) {
            throw new IllegalStateException("Vulkan loader found no device: install a GPU driver or"
                    + " mesa-vulkan-drivers (lavapipe)");
        }
        throw new IllegalArgumentException((filter == null || filter.isBlank() ? "No usable Vulkan device"
                : "No usable Vulkan device matches '" + filter + "'") + "; devices: " + describe(all));
    }

    private static String describe(List<DeviceProbe.Candidate> all) {
        return all.stream().map(c -> "#" + c.index + " " + c.info.name() + " [" + c.info.type() + ", "
                + (c.usable() ? "usable" : c.unusableReason) + "]").collect(Collectors.joining("; "));
    }

    private void createMessenger() {
        callback = VkDebugUtilsMessengerCallbackEXT.create((severity, types, pData, user) -> {
            VkDebugUtilsMessengerCallbackDataEXT data = VkDebugUtilsMessengerCallbackDataEXT.create(pData);
            String msg = data.pMessageString();
            if ((severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) != 0) {
                validationErrors.add(msg);
                LOG.error("Vulkan validation: {}", msg);
            } else {
                LOG.warn("Vulkan validation: {}", msg);
            }
            return VK_FALSE;
        });
        try (MemoryStack stack = stackPush()) {
            VkDebugUtilsMessengerCreateInfoEXT info = VkDebugUtilsMessengerCreateInfoEXT.calloc(stack).sType$Default()
                    .messageSeverity(VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT
                            | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT)
                    .messageType(VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT
                            | VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT
                            | VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT)
                    .pfnUserCallback(callback);
            long[] handle = new long[1];
            Vk.check(vkCreateDebugUtilsMessengerEXT(instance, info, null, handle), "vkCreateDebugUtilsMessengerEXT");
            messenger = handle[0];
        }
    }

    private VkQueue createDevice() {
        DeviceProbe.Candidate c = selected;
        try (MemoryStack stack = stackPush()) {
            VkDeviceQueueCreateInfo.Buffer qci = VkDeviceQueueCreateInfo.calloc(1, stack);
            qci.get(0).sType$Default().queueFamilyIndex(c.queueFamily).pQueuePriorities(stack.floats(1f));
            // enable what the device offers for fp16/int8 kernels; each feature struct hangs off the root,
            // because LWJGL's pNext(x) prepends x and overwrites x's own chain (root -> f2 -> f12 -> f11)
            VkPhysicalDeviceVulkan11Features f11 = VkPhysicalDeviceVulkan11Features.calloc(stack).sType$Default()
                    .storageBuffer16BitAccess(c.storage16);
            VkPhysicalDeviceVulkan12Features f12 = VkPhysicalDeviceVulkan12Features.calloc(stack).sType$Default()
                    .shaderFloat16(c.shaderFloat16).shaderInt8(c.shaderInt8).storageBuffer8BitAccess(c.storage8);
            VkPhysicalDeviceFeatures2 f2 = VkPhysicalDeviceFeatures2.calloc(stack).sType$Default();
            f2.features().shaderInt16(c.shaderInt16).shaderInt64(c.shaderInt64).shaderFloat64(c.shaderFloat64);
            VkDeviceCreateInfo dci = VkDeviceCreateInfo.calloc(stack).sType$Default()
                    .pNext(f11).pNext(f12).pNext(f2)
                    .pQueueCreateInfos(qci);
            PointerBuffer pDevice = stack.mallocPointer(1);
            Vk.check(vkCreateDevice(c.device, dci, null, pDevice), "vkCreateDevice for " + c.info.name());
            device = new VkDevice(pDevice.get(0), c.device, dci, VK_API_VERSION_1_2);
            PointerBuffer pQueue = stack.mallocPointer(1);
            vkGetDeviceQueue(device, c.queueFamily, 0, pQueue);
            VkQueue q = new VkQueue(pQueue.get(0), device);
            name(VK_OBJECT_TYPE_DEVICE, device.address(), "workbench device");
            name(VK_OBJECT_TYPE_QUEUE, q.address(), "workbench compute queue");
            return q;
        }
    }

    private void createPoolAndAllocator() {
        try (MemoryStack stack = stackPush()) {
            VkCommandPoolCreateInfo cpi = VkCommandPoolCreateInfo.calloc(stack).sType$Default()
                    .flags(VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT)
                    .queueFamilyIndex(selected.queueFamily);
            long[] pool = new long[1];
            Vk.check(vkCreateCommandPool(device, cpi, null, pool), "vkCreateCommandPool");
            commandPool = pool[0];
            name(VK_OBJECT_TYPE_COMMAND_POOL, commandPool, "workbench command pool");

            VmaVulkanFunctions fns = VmaVulkanFunctions.calloc(stack).set(instance, device);
            VmaAllocatorCreateInfo aci = VmaAllocatorCreateInfo.calloc(stack)
                    .physicalDevice(selected.device).device(device).instance(instance)
                    .pVulkanFunctions(fns).vulkanApiVersion(VK_API_VERSION_1_2);
            PointerBuffer pAllocator = stack.mallocPointer(1);
            Vk.check(Vma.vmaCreateAllocator(aci, pAllocator), "vmaCreateAllocator");
            allocator = pAllocator.get(0);
        }
    }

    // ---- children ----

    /**
     * A storage buffer of {@code bytes} (> 0): host-visible and mapped on unified memory (integrated, CPU
     * devices), device-local with staging copies on a discrete GPU. Closed by the caller (or the context).
     */
    public GpuBuffer buffer(String name, long bytes) {
        checkOpen();
        return register(new GpuBuffer(this, name, bytes, unifiedMemory));
    }

    /** A compute pipeline from a SPIR-V resource on the class path. Closed by the caller (or the context). */
    public ComputeKernel kernel(KernelSpec spec) {
        checkOpen();
        return register(new ComputeKernel(this, spec));
    }

    /** An empty command sequence. Closed by the caller (or the context). */
    public CommandSequence sequence(String name) {
        checkOpen();
        return register(new CommandSequence(this, name));
    }

    private <T extends GpuResource> T register(T child) {
        children.add(child);
        return child;
    }

    void unregister(GpuResource child) {
        children.remove(child);
    }

    // ---- facts ----

    /** The open device, as plain Java. */
    public DeviceInfo device() {
        return selected.info;
    }

    /** True when validation layers are active on this context. */
    public boolean validationEnabled() {
        return validation;
    }

    /** Validation errors seen so far (a copy). Tests assert it is empty after close. */
    public List<String> validationErrors() {
        synchronized (validationErrors) {
            return List.copyOf(validationErrors);
        }
    }

    /** Children that were still open when the context closed (a copy); empty for clean code. */
    public List<String> leaks() {
        return List.copyOf(leaks);
    }

    /** Number of children currently open. */
    public int openChildren() {
        return children.size();
    }

    /** True on host-visible device memory (no staging copies). */
    public boolean unifiedMemory() {
        return unifiedMemory;
    }

    /** maxComputeWorkGroupCount per dimension (65,535 on lavapipe). */
    public int maxGroups(int dimension) {
        return selected.maxGroupCount[dimension];
    }

    /** maxStorageBufferRange in bytes: the largest buffer one binding can address (128 MiB on lavapipe). */
    public long maxStorageBufferBytes() {
        return selected.maxStorageBufferRange;
    }

    public int maxSharedMemoryBytes() {
        return selected.maxSharedBytes;
    }

    public int maxWorkgroupInvocations() {
        return selected.maxInvocations;
    }

    public int subgroupSize() {
        return selected.subgroupSize;
    }

    /** True for Mesa's llvmpipe (lavapipe), which stops shader loops after 65,535 iterations per invocation. */
    public boolean isLavapipe() {
        return selected.llvmpipe;
    }

    boolean timestampsSupported() {
        return selected.timestampValidBits > 0 && selected.timestampPeriod > 0;
    }

    float timestampPeriodNs() {
        return selected.timestampPeriod;
    }

    VkDevice vkDevice() {
        return device;
    }

    VkQueue queue() {
        return queue;
    }

    long commandPool() {
        return commandPool;
    }

    long allocator() {
        return allocator;
    }

    void sequenceStarted() {
        pendingSequences++;
    }

    void sequenceFinished() {
        pendingSequences--;
    }

    boolean hasPendingWork() {
        return pendingSequences > 0;
    }

    /** Gives a Vulkan handle a debug-utils name (visible in validation messages and RenderDoc). */
    void name(int objectType, long handle, String name) {
        if (!debugUtils || device == null) {
            return;
        }
        try (MemoryStack stack = stackPush()) {
            VkDebugUtilsObjectNameInfoEXT info = VkDebugUtilsObjectNameInfoEXT.calloc(stack).sType$Default()
                    .objectType(objectType).objectHandle(handle).pObjectName(stack.UTF8(name));
            Vk.check(vkSetDebugUtilsObjectNameEXT(device, info), "vkSetDebugUtilsObjectNameEXT for " + name);
        }
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("GpuContext is closed");
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Waits for the device, frees every child still open (newest first, each logged as LEAK and kept in
     * {@link #leaks()}), then the allocator, pool, device, messenger and instance. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (device != null) {
            vkDeviceWaitIdle(device);
        }
        List<GpuResource> open = new ArrayList<>(children);
        Collections.reverse(open);
        for (GpuResource r : open) {
            LOG.warn("LEAK: {} was still open when its GpuContext closed", r);
            leaks.add(r.toString());
            r.close();
        }
        closed = true;
        closeRoot();
    }

    private void closeRoot() {
        closed = true;
        if (allocator != VK_NULL_HANDLE) {
            Vma.vmaDestroyAllocator(allocator);
            allocator = VK_NULL_HANDLE;
        }
        if (commandPool != VK_NULL_HANDLE) {
            vkDestroyCommandPool(device, commandPool, null);
            commandPool = VK_NULL_HANDLE;
        }
        if (device != null) {
            // leaked child objects would be reported here by validation (VUID-vkDestroyDevice-device-00378)
            vkDestroyDevice(device, null);
            device = null;
        }
        if (messenger != VK_NULL_HANDLE) {
            vkDestroyDebugUtilsMessengerEXT(instance, messenger, null);
            messenger = VK_NULL_HANDLE;
        }
        if (instance != null) {
            vkDestroyInstance(instance, null);
            instance = null;
        }
        if (callback != null) {
            // after the instance: the layer may call back until then
            callback.free();
            callback = null;
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "GpuContext[%s (%s)%s]", selected.info.name(), selected.info.type(),
                closed ? ", closed" : "");
    }
}
