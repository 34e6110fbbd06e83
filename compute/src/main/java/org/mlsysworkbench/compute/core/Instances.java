package org.mlsysworkbench.compute.core;

import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.EXTDebugUtils.VK_EXT_DEBUG_UTILS_EXTENSION_NAME;
import static org.lwjgl.vulkan.KHRPortabilityEnumeration.VK_INSTANCE_CREATE_ENUMERATE_PORTABILITY_BIT_KHR;
import static org.lwjgl.vulkan.KHRPortabilityEnumeration.VK_KHR_PORTABILITY_ENUMERATION_EXTENSION_NAME;
import static org.lwjgl.vulkan.VK10.*;
import static org.lwjgl.vulkan.VK12.VK_API_VERSION_1_2;

import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.EXTValidationFeatures;
import org.lwjgl.vulkan.VkApplicationInfo;
import org.lwjgl.vulkan.VkExtensionProperties;
import org.lwjgl.vulkan.VkInstance;
import org.lwjgl.vulkan.VkInstanceCreateInfo;
import org.lwjgl.vulkan.VkLayerProperties;
import org.lwjgl.vulkan.VkValidationFeaturesEXT;

/** Instance creation shared by {@link GpuContext} and {@link VulkanDevices}: no surface, Vulkan 1.2. */
final class Instances {

    static final String VALIDATION_LAYER = "VK_LAYER_KHRONOS_validation";

    private Instances() {
    }

    static List<String> layers() {
        try (MemoryStack stack = stackPush()) {
            IntBuffer count = stack.mallocInt(1);
            Vk.check(vkEnumerateInstanceLayerProperties(count, null), "vkEnumerateInstanceLayerProperties");
            VkLayerProperties.Buffer props = VkLayerProperties.malloc(count.get(0), stack);
            Vk.check(vkEnumerateInstanceLayerProperties(count, props), "vkEnumerateInstanceLayerProperties");
            List<String> names = new ArrayList<>();
            for (VkLayerProperties p : props) {
                names.add(p.layerNameString());
            }
            return names;
        }
    }

    static List<String> extensions() {
        try (MemoryStack stack = stackPush()) {
            IntBuffer count = stack.mallocInt(1);
            Vk.check(vkEnumerateInstanceExtensionProperties((String) null, count, null),
                    "vkEnumerateInstanceExtensionProperties");
            VkExtensionProperties.Buffer props = VkExtensionProperties.malloc(count.get(0), stack);
            Vk.check(vkEnumerateInstanceExtensionProperties((String) null, count, props),
                    "vkEnumerateInstanceExtensionProperties");
            List<String> names = new ArrayList<>();
            for (VkExtensionProperties p : props) {
                names.add(p.extensionNameString());
            }
            return names;
        }
    }

    /**
     * Creates an instance. {@code validation} enables the Khronos layer with synchronization validation;
     * the caller checks {@link #layers()} first. {@code debugUtils} enables VK_EXT_debug_utils (names, messenger).
     */
    static VkInstance create(String appName, boolean validation, boolean debugUtils) {
        List<String> available = extensions();
        boolean portability = available.contains(VK_KHR_PORTABILITY_ENUMERATION_EXTENSION_NAME);
        try (MemoryStack stack = stackPush()) {
            VkApplicationInfo app = VkApplicationInfo.calloc(stack).sType$Default()
                    .pApplicationName(stack.UTF8(appName)).applicationVersion(1)
                    .pEngineName(stack.UTF8("mlsys-workbench")).engineVersion(1)
                    .apiVersion(VK_API_VERSION_1_2);
            List<String> exts = new ArrayList<>();
            if (debugUtils) {
                exts.add(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
            }
            if (portability) {
                // MoltenVK lists its devices only when the application opts in
                exts.add(VK_KHR_PORTABILITY_ENUMERATION_EXTENSION_NAME);
            }
            PointerBuffer ppExts = stack.mallocPointer(exts.size());
            for (String e : exts) {
                ppExts.put(stack.UTF8(e));
            }
            ppExts.flip();
            VkInstanceCreateInfo ici = VkInstanceCreateInfo.calloc(stack).sType$Default()
                    .pApplicationInfo(app)
                    .ppEnabledExtensionNames(ppExts)
                    .flags(portability ? VK_INSTANCE_CREATE_ENUMERATE_PORTABILITY_BIT_KHR : 0);
            if (validation) {
                ici.ppEnabledLayerNames(stack.pointers(stack.UTF8(VALIDATION_LAYER)));
                // synchronization validation is off by default; it catches missing barriers that lavapipe forgives
                ici.pNext(VkValidationFeaturesEXT.calloc(stack).sType$Default().pEnabledValidationFeatures(
                        stack.ints(EXTValidationFeatures.VK_VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT)));
            }
            PointerBuffer pInstance = stack.mallocPointer(1);
            Vk.check(vkCreateInstance(ici, null, pInstance), "vkCreateInstance");
            return new VkInstance(pInstance.get(0), ici);
        }
    }
}
