package org.mlsysworkbench.compute.core;

import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.system.MemoryUtil.memAlloc;
import static org.lwjgl.system.MemoryUtil.memFree;
import static org.lwjgl.vulkan.VK10.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.LongBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.VkComputePipelineCreateInfo;
import org.lwjgl.vulkan.VkDescriptorSetLayoutBinding;
import org.lwjgl.vulkan.VkDescriptorSetLayoutCreateInfo;
import org.lwjgl.vulkan.VkPipelineLayoutCreateInfo;
import org.lwjgl.vulkan.VkPipelineShaderStageCreateInfo;
import org.lwjgl.vulkan.VkPushConstantRange;
import org.lwjgl.vulkan.VkShaderModuleCreateInfo;
import org.lwjgl.vulkan.VkSpecializationInfo;
import org.lwjgl.vulkan.VkSpecializationMapEntry;

/**
 * A compute pipeline: SPIR-V module, descriptor-set layout of {@code n} storage buffers, push-constant
 * range and specialization constants ({@link KernelSpec}). Buffers are bound per dispatch
 * ({@link Op#dispatch}), so one kernel serves any number of buffer sets. Created by
 * {@link GpuContext#kernel}; closed by its creator or by the context.
 */
public final class ComputeKernel extends GpuResource {

    private final KernelSpec spec;
    // owned
    private long shaderModule;
    private long setLayout;
    private long pipelineLayout;
    private long pipeline;

    ComputeKernel(GpuContext context, KernelSpec spec) {
        super(context, "ComputeKernel", spec.toString());
        this.spec = spec;
        ByteBuffer code = loadSpirv(spec.shader());
        try (MemoryStack stack = stackPush()) {
            LongBuffer handle = stack.mallocLong(1);
            Vk.check(vkCreateShaderModule(context.vkDevice(), VkShaderModuleCreateInfo.calloc(stack).sType$Default()
                    .pCode(code), null, handle), "vkCreateShaderModule for " + spec.shader());
            shaderModule = handle.get(0);
            context.name(VK_OBJECT_TYPE_SHADER_MODULE, shaderModule, spec.shader());

            VkDescriptorSetLayoutBinding.Buffer bindings = VkDescriptorSetLayoutBinding.calloc(spec.bindings(), stack);
            for (int i = 0; i < spec.bindings(); i++) {
                bindings.get(i).binding(i).descriptorType(VK_DESCRIPTOR_TYPE_STORAGE_BUFFER).descriptorCount(1)
                        .stageFlags(VK_SHADER_STAGE_COMPUTE_BIT);
            }
            Vk.check(vkCreateDescriptorSetLayout(context.vkDevice(), VkDescriptorSetLayoutCreateInfo.calloc(stack)
                    .sType$Default().pBindings(bindings), null, handle), "vkCreateDescriptorSetLayout for " + name());
            setLayout = handle.get(0);
            context.name(VK_OBJECT_TYPE_DESCRIPTOR_SET_LAYOUT, setLayout, name());

            VkPipelineLayoutCreateInfo pli = VkPipelineLayoutCreateInfo.calloc(stack).sType$Default()
                    .pSetLayouts(stack.longs(setLayout));
            if (spec.pushConstantBytes() > 0) {
                pli.pPushConstantRanges(VkPushConstantRange.calloc(1, stack)
                        .stageFlags(VK_SHADER_STAGE_COMPUTE_BIT).offset(0).size(spec.pushConstantBytes()));
            }
            Vk.check(vkCreatePipelineLayout(context.vkDevice(), pli, null, handle),
                    "vkCreatePipelineLayout for " + name());
            pipelineLayout = handle.get(0);
            context.name(VK_OBJECT_TYPE_PIPELINE_LAYOUT, pipelineLayout, name());

            int[] constants = spec.specConstants();
            VkSpecializationInfo specInfo = null;
            if (constants.length > 0) {
                VkSpecializationMapEntry.Buffer entries = VkSpecializationMapEntry.calloc(constants.length, stack);
                for (int i = 0; i < constants.length; i++) {
                    entries.get(i).constantID(i).offset(4 * i).size(4);
                }
                ByteBuffer data = stack.malloc(4 * constants.length);
                data.asIntBuffer().put(constants);
                specInfo = VkSpecializationInfo.calloc(stack).pMapEntries(entries).pData(data);
            }
            VkPipelineShaderStageCreateInfo stage = VkPipelineShaderStageCreateInfo.calloc(stack).sType$Default()
                    .stage(VK_SHADER_STAGE_COMPUTE_BIT).module(shaderModule).pName(stack.UTF8("main"))
                    .pSpecializationInfo(specInfo);
            VkComputePipelineCreateInfo.Buffer cpi = VkComputePipelineCreateInfo.calloc(1, stack);
            cpi.get(0).sType$Default().stage(stage).layout(pipelineLayout);
            Vk.check(vkCreateComputePipelines(context.vkDevice(), VK_NULL_HANDLE, cpi, null, handle),
                    "vkCreateComputePipelines for " + name());
            pipeline = handle.get(0);
            context.name(VK_OBJECT_TYPE_PIPELINE, pipeline, name());
        } catch (RuntimeException e) {
            destroy();
            throw e;
        } finally {
            memFree(code);
        }
    }

    /** Reads {@code shaders/<shader>.spv} from the class path into native memory (caller frees). */
    private static ByteBuffer loadSpirv(String shader) {
        String path = "shaders/" + shader + ".spv";
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = loader != null && loader.getResource(path) != null ? loader.getResourceAsStream(path)
                : ComputeKernel.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("SPIR-V not found on the class path: " + path
                        + " (is src/main/glsl/" + shader + ".comp built?)");
            }
            byte[] bytes = in.readAllBytes();
            if (bytes.length == 0 || bytes.length % 4 != 0) {
                throw new IllegalArgumentException(path + ": not SPIR-V (" + bytes.length + " bytes)");
            }
            ByteBuffer code = memAlloc(bytes.length);
            code.put(bytes).flip();
            return code;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + path, e);
        }
    }

    public KernelSpec spec() {
        return spec;
    }

    long pipeline() {
        checkOpen();
        return pipeline;
    }

    long pipelineLayout() {
        return pipelineLayout;
    }

    long setLayout() {
        return setLayout;
    }

    @Override
    void destroy() {
        if (pipeline != VK_NULL_HANDLE) {
            vkDestroyPipeline(context.vkDevice(), pipeline, null);
            pipeline = VK_NULL_HANDLE;
        }
        if (pipelineLayout != VK_NULL_HANDLE) {
            vkDestroyPipelineLayout(context.vkDevice(), pipelineLayout, null);
            pipelineLayout = VK_NULL_HANDLE;
        }
        if (setLayout != VK_NULL_HANDLE) {
            vkDestroyDescriptorSetLayout(context.vkDevice(), setLayout, null);
            setLayout = VK_NULL_HANDLE;
        }
        if (shaderModule != VK_NULL_HANDLE) {
            vkDestroyShaderModule(context.vkDevice(), shaderModule, null);
            shaderModule = VK_NULL_HANDLE;
        }
    }
}
