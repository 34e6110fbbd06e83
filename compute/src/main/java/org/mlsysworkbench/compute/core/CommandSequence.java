package org.mlsysworkbench.compute.core;

import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.VK10.*;

import java.nio.LongBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.VkBufferCopy;
import org.lwjgl.vulkan.VkCommandBuffer;
import org.lwjgl.vulkan.VkCommandBufferAllocateInfo;
import org.lwjgl.vulkan.VkCommandBufferBeginInfo;
import org.lwjgl.vulkan.VkDescriptorBufferInfo;
import org.lwjgl.vulkan.VkDescriptorPoolCreateInfo;
import org.lwjgl.vulkan.VkDescriptorPoolSize;
import org.lwjgl.vulkan.VkDescriptorSetAllocateInfo;
import org.lwjgl.vulkan.VkFenceCreateInfo;
import org.lwjgl.vulkan.VkMemoryBarrier;
import org.lwjgl.vulkan.VkQueryPoolCreateInfo;
import org.lwjgl.vulkan.VkSubmitInfo;
import org.lwjgl.vulkan.VkWriteDescriptorSet;

/**
 * A recorded list of {@link Op}s run as one queue submission (Kompute's sequence):
 * {@code seq.record(upload).record(dispatch).record(download).eval()}, or {@code evalAsync()} then
 * {@code await(timeout)}. The ops stay recorded, so {@code eval()} can run them again; {@link #clear()}
 * empties the list.
 *
 * <p>Synchronization is derived from the ops: a memory barrier goes wherever an op touches a buffer that
 * an earlier op wrote (read-after-write, write-after-write) or writes a buffer an earlier op read
 * (write-after-read); independent dispatches may overlap. Every dispatch binds all its buffers read-write.
 * Uploads to host-visible buffers that no earlier op touches are written before the submit, and
 * downloads no later op touches are read after the fence; all others go through the sequence's staging
 * buffer with transfer copies. With timestamps supported, {@link #timings()} gives the GPU time of each op
 * of the last evaluation.
 *
 * <p>Owns its command buffer, fence, query pool, descriptor pool and staging buffer. Not thread-safe.
 */
public final class CommandSequence extends GpuResource {

    /** GPU time of one op of the last evaluation. */
    public record OpTiming(int index, String label, double gpuMs) {
    }

    private static final long ALIGN = 256;

    private final List<Op> ops = new ArrayList<>();
    private final List<OpTiming> timings = new ArrayList<>();

    // owned
    private VkCommandBuffer commandBuffer;
    private long fence;
    private long queryPool;
    private int queryCapacity;
    private long descriptorPool;
    private int poolSets;
    private int poolDescriptors;
    private GpuBuffer staging;

    // state of the evaluation in flight
    private boolean running;
    private Plan plan;

    /** How each op runs in one evaluation. */
    private static final class Plan {
        final boolean[] direct;
        final long[] stagingOffset;
        final int[] queryIndex;
        int gpuOps;
        long stagingBytes;
        int dispatches;
        int descriptors;

        Plan(int n) {
            direct = new boolean[n];
            stagingOffset = new long[n];
            queryIndex = new int[n];
        }
    }

    CommandSequence(GpuContext context, String name) {
        super(context, "CommandSequence", name);
        try (MemoryStack stack = stackPush()) {
            PointerBuffer pCmd = stack.mallocPointer(1);
            Vk.check(vkAllocateCommandBuffers(context.vkDevice(), VkCommandBufferAllocateInfo.calloc(stack)
                    .sType$Default().commandPool(context.commandPool()).level(VK_COMMAND_BUFFER_LEVEL_PRIMARY)
                    .commandBufferCount(1), pCmd), "vkAllocateCommandBuffers for " + name);
            commandBuffer = new VkCommandBuffer(pCmd.get(0), context.vkDevice());
            context.name(VK_OBJECT_TYPE_COMMAND_BUFFER, commandBuffer.address(), name);
            LongBuffer handle = stack.mallocLong(1);
            Vk.check(vkCreateFence(context.vkDevice(), VkFenceCreateInfo.calloc(stack).sType$Default(), null, handle),
                    "vkCreateFence for " + name);
            fence = handle.get(0);
            context.name(VK_OBJECT_TYPE_FENCE, fence, name);
        } catch (RuntimeException e) {
            destroy();
            throw e;
        }
    }

    /** Appends an op; returns this for chaining. */
    public CommandSequence record(Op op) {
        checkOpen();
        checkIdle();
        ops.add(op);
        return this;
    }

    /** Removes every recorded op. */
    public CommandSequence clear() {
        checkOpen();
        checkIdle();
        ops.clear();
        return this;
    }

    public int size() {
        return ops.size();
    }

    /** Runs the recorded ops and waits for them; downloads are filled on return. */
    public CommandSequence eval() {
        evalAsync();
        await(Duration.ofDays(1));
        return this;
    }

    /** Submits the recorded ops and returns at once; call {@link #await(Duration)} before using results. */
    public CommandSequence evalAsync() {
        checkOpen();
        checkIdle();
        plan = plan();
        prepareResources(plan);
        hostWrites(plan);
        try {
            recordCommands(plan);
        } catch (RuntimeException e) {
            vkResetCommandBuffer(commandBuffer, 0);
            throw e;
        }
        try (MemoryStack stack = stackPush()) {
            Vk.check(vkResetFences(context.vkDevice(), fence), "vkResetFences for " + name());
            VkSubmitInfo submit = VkSubmitInfo.calloc(stack).sType$Default()
                    .pCommandBuffers(stack.pointers(commandBuffer));
            Vk.check(vkQueueSubmit(context.queue(), submit, fence), "vkQueueSubmit for " + name());
        }
        running = true;
        context.sequenceStarted();
        return this;
    }

    /** True while a submission is in flight (until {@link #await} returns true). */
    public boolean isRunning() {
        return running;
    }

    /**
     * Waits up to {@code timeout} for the submission; on completion fills downloads and timings.
     *
     * @return true when done (also when nothing was running), false on timeout
     */
    public boolean await(Duration timeout) {
        checkOpen();
        if (!running) {
            return true;
        }
        long ns = timeout.toNanos();
        int r = Vk.check(vkWaitForFences(context.vkDevice(), fence, true, ns < 0 ? 0 : ns),
                "vkWaitForFences for " + name());
        if (r == VK_TIMEOUT) {
            return false;
        }
        running = false;
        context.sequenceFinished();
        hostReads(plan);
        readTimings(plan);
        return true;
    }

    /** GPU time per op of the last completed evaluation (empty when the queue has no timestamps). */
    public List<OpTiming> timings() {
        return Collections.unmodifiableList(new ArrayList<>(timings));
    }

    /** Sum of the GPU times of the dispatches of the last evaluation, milliseconds. */
    public double dispatchMs() {
        double ms = 0;
        for (OpTiming t : timings) {
            if (ops.get(t.index()) instanceof Op.Dispatch) {
                ms += t.gpuMs();
            }
        }
        return ms;
    }

    private void checkIdle() {
        if (running) {
            throw new IllegalStateException("sequence '" + name() + "' is still running: await() it first");
        }
    }

    // ---- planning ----

    private Plan plan() {
        Plan p = new Plan(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            for (GpuResource r : resources(op)) {
                r.checkOpen();
            }
            if (op instanceof Op.Upload u) {
                p.direct[i] = u.target().hostVisible() && !referencedBetween(u.target(), 0, i);
                if (!p.direct[i]) {
                    p.stagingOffset[i] = p.stagingBytes;
                    p.stagingBytes += align(u.source().bytes());
                }
            } else if (op instanceof Op.Download d) {
                p.direct[i] = d.source().hostVisible() && !referencedBetween(d.source(), i + 1, ops.size());
                if (!p.direct[i]) {
                    p.stagingOffset[i] = p.stagingBytes;
                    p.stagingBytes += align(d.target().bytes());
                }
            } else if (op instanceof Op.Dispatch d) {
                p.dispatches++;
                p.descriptors += d.buffers().size();
                for (GpuBuffer b : d.buffers()) {
                    if (b.sizeBytes() > context.maxStorageBufferBytes()) {
                        throw new IllegalArgumentException("buffer '" + b.name() + "' has " + b.sizeBytes()
                                + " bytes; one binding addresses at most " + context.maxStorageBufferBytes()
                                + " on " + context.device().name() + " (split it)");
                    }
                }
            }
            boolean gpu = !(op instanceof Op.Barrier) && !p.direct[i];
            p.queryIndex[i] = gpu ? p.gpuOps++ : -1;
        }
        return p;
    }

    private boolean referencedBetween(GpuBuffer b, int from, int to) {
        for (int j = from; j < to; j++) {
            for (GpuResource r : resources(ops.get(j))) {
                if (r == b) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<GpuResource> resources(Op op) {
        if (op instanceof Op.Upload u) {
            return List.of(u.target());
        } else if (op instanceof Op.Download d) {
            return List.of(d.source());
        } else if (op instanceof Op.Dispatch d) {
            List<GpuResource> r = new ArrayList<>(d.buffers());
            r.add(d.kernel());
            return r;
        } else if (op instanceof Op.Fill f) {
            return List.of(f.target());
        } else if (op instanceof Op.Copy c) {
            return List.of(c.source(), c.target());
        }
        return List.of();
    }

    private static long align(long bytes) {
        return (bytes + ALIGN - 1) / ALIGN * ALIGN;
    }

    private void prepareResources(Plan p) {
        if (p.stagingBytes > 0 && (staging == null || staging.sizeBytes() < p.stagingBytes)) {
            if (staging != null) {
                staging.close();
            }
            staging = new GpuBuffer(context, name() + "/staging", Math.max(p.stagingBytes, 64 * 1024), true,
                    VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT, "staging buffer");
            if (!staging.hostVisible()) {
                throw new IllegalStateException("no host-visible memory for the staging buffer of " + name());
            }
        }
        try (MemoryStack stack = stackPush()) {
            LongBuffer handle = stack.mallocLong(1);
            if (p.dispatches > poolSets || p.descriptors > poolDescriptors) {
                if (descriptorPool != VK_NULL_HANDLE) {
                    vkDestroyDescriptorPool(context.vkDevice(), descriptorPool, null);
                    descriptorPool = VK_NULL_HANDLE;
                }
                poolSets = Math.max(8, Integer.highestOneBit(p.dispatches) * 2);
                poolDescriptors = Math.max(32, Integer.highestOneBit(Math.max(1, p.descriptors)) * 2);
                VkDescriptorPoolSize.Buffer sizes = VkDescriptorPoolSize.calloc(1, stack);
                sizes.get(0).type(VK_DESCRIPTOR_TYPE_STORAGE_BUFFER).descriptorCount(poolDescriptors);
                Vk.check(vkCreateDescriptorPool(context.vkDevice(), VkDescriptorPoolCreateInfo.calloc(stack)
                        .sType$Default().maxSets(poolSets).pPoolSizes(sizes), null, handle),
                        "vkCreateDescriptorPool for " + name());
                descriptorPool = handle.get(0);
                context.name(VK_OBJECT_TYPE_DESCRIPTOR_POOL, descriptorPool, name());
            } else if (descriptorPool != VK_NULL_HANDLE) {
                // the previous evaluation has completed (checkIdle), so its sets are free to recycle
                Vk.check(vkResetDescriptorPool(context.vkDevice(), descriptorPool, 0), "vkResetDescriptorPool");
            }
            if (context.timestampsSupported() && 2 * p.gpuOps > queryCapacity) {
                if (queryPool != VK_NULL_HANDLE) {
                    vkDestroyQueryPool(context.vkDevice(), queryPool, null);
                    queryPool = VK_NULL_HANDLE;
                }
                queryCapacity = Math.max(16, Integer.highestOneBit(2 * p.gpuOps) * 2);
                Vk.check(vkCreateQueryPool(context.vkDevice(), VkQueryPoolCreateInfo.calloc(stack).sType$Default()
                        .queryType(VK_QUERY_TYPE_TIMESTAMP).queryCount(queryCapacity), null, handle),
                        "vkCreateQueryPool for " + name());
                queryPool = handle.get(0);
                context.name(VK_OBJECT_TYPE_QUERY_POOL, queryPool, name());
            }
        }
    }

    private void hostWrites(Plan p) {
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i) instanceof Op.Upload u) {
                if (p.direct[i]) {
                    u.target().writeMapped(u.offsetBytes(), u.source());
                } else {
                    staging.writeMapped(p.stagingOffset[i], u.source());
                }
            }
        }
    }

    private void hostReads(Plan p) {
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i) instanceof Op.Download d) {
                if (p.direct[i]) {
                    d.source().readMapped(d.offsetBytes(), d.target());
                } else {
                    staging.readMapped(p.stagingOffset[i], d.target());
                }
            }
        }
    }

    private void readTimings(Plan p) {
        timings.clear();
        if (queryPool == VK_NULL_HANDLE || p.gpuOps == 0) {
            return;
        }
        try (MemoryStack stack = stackPush()) {
            LongBuffer stamps = stack.mallocLong(2 * p.gpuOps);
            Vk.check(vkGetQueryPoolResults(context.vkDevice(), queryPool, 0, 2 * p.gpuOps, stamps, 8,
                    VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT), "vkGetQueryPoolResults for " + name());
            for (int i = 0; i < ops.size(); i++) {
                int q = p.queryIndex[i];
                if (q < 0) {
                    continue;
                }
                long ticks = stamps.get(2 * q + 1) - stamps.get(2 * q);
                timings.add(new OpTiming(i, label(ops.get(i)), Math.max(0, ticks) * context.timestampPeriodNs() / 1e6));
            }
        }
    }

    private static String label(Op op) {
        if (op instanceof Op.Dispatch d) {
            return d.label();
        } else if (op instanceof Op.Upload u) {
            return "upload " + u.target().name();
        } else if (op instanceof Op.Download d) {
            return "download " + d.source().name();
        } else if (op instanceof Op.Fill f) {
            return "fill " + f.target().name();
        } else if (op instanceof Op.Copy c) {
            return "copy " + c.source().name() + " -> " + c.target().name();
        }
        return "barrier";
    }

    // ---- recording ----

    private void recordCommands(Plan p) {
        VkCommandBuffer cmd = commandBuffer;
        try (MemoryStack stack = stackPush()) {
            Vk.check(vkBeginCommandBuffer(cmd, VkCommandBufferBeginInfo.calloc(stack).sType$Default()
                    .flags(VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT)), "vkBeginCommandBuffer for " + name());
        }
        boolean timed = queryPool != VK_NULL_HANDLE && p.gpuOps > 0;
        if (timed) {
            vkCmdResetQueryPool(cmd, queryPool, 0, 2 * p.gpuOps);
        }
        // Earlier submissions (and host writes before this one) wrote buffers this submission reads or
        // overwrites: read-after-write and write-after-write across submits.
        barrier(cmd, VK_PIPELINE_STAGE_HOST_BIT | VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT
                        | VK_PIPELINE_STAGE_TRANSFER_BIT,
                VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT);
        Set<GpuBuffer> written = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<GpuBuffer> read = Collections.newSetFromMap(new IdentityHashMap<>());
        int pendingStages = 0;
        boolean anyDownload = false;
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            if (op instanceof Op.Download) {
                anyDownload = true;
            }
            if (p.direct[i]) {
                continue;
            }
            int stage = op instanceof Op.Dispatch ? VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT
                    : VK_PIPELINE_STAGE_TRANSFER_BIT;
            List<GpuBuffer> reads = new ArrayList<>();
            List<GpuBuffer> writes = new ArrayList<>();
            accesses(op, reads, writes);
            boolean hazard = op instanceof Op.Barrier;
            for (GpuBuffer b : reads) {
                hazard |= written.contains(b);                      // read-after-write
            }
            for (GpuBuffer b : writes) {
                hazard |= written.contains(b) || read.contains(b);  // write-after-write, write-after-read
            }
            if (hazard && pendingStages != 0) {
                // An earlier op of this submission wrote (or read) a buffer this op touches next.
                barrier(cmd, pendingStages, op instanceof Op.Barrier
                        ? VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT : stage);
                written.clear();
                read.clear();
                pendingStages = 0;
            }
            if (op instanceof Op.Barrier) {
                continue;
            }
            int q = p.queryIndex[i];
            if (timed) {
                vkCmdWriteTimestamp(cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, queryPool, 2 * q);
            }
            recordOp(cmd, op, p.stagingOffset[i]);
            if (timed) {
                vkCmdWriteTimestamp(cmd, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, queryPool, 2 * q + 1);
            }
            read.addAll(reads);
            written.addAll(writes);
            pendingStages |= stage;
        }
        if (anyDownload) {
            // Shader and transfer writes must be visible to the host reads after the fence: read-after-write.
            try (MemoryStack stack = stackPush()) {
                VkMemoryBarrier.Buffer mb = VkMemoryBarrier.calloc(1, stack).sType$Default()
                        .srcAccessMask(VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT)
                        .dstAccessMask(VK_ACCESS_HOST_READ_BIT);
                vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                        VK_PIPELINE_STAGE_HOST_BIT, 0, mb, null, null);
            }
        }
        Vk.check(vkEndCommandBuffer(cmd), "vkEndCommandBuffer for " + name());
    }

    private static void accesses(Op op, List<GpuBuffer> reads, List<GpuBuffer> writes) {
        if (op instanceof Op.Upload u) {
            writes.add(u.target());
        } else if (op instanceof Op.Download d) {
            reads.add(d.source());
        } else if (op instanceof Op.Dispatch d) {
            reads.addAll(d.buffers());
            writes.addAll(d.buffers());
        } else if (op instanceof Op.Fill f) {
            writes.add(f.target());
        } else if (op instanceof Op.Copy c) {
            reads.add(c.source());
            writes.add(c.target());
        }
    }

    /** A global memory barrier from the writes of {@code srcStages} to reads and writes in {@code dstStages}. */
    private static void barrier(VkCommandBuffer cmd, int srcStages, int dstStages) {
        int srcAccess = 0;
        if ((srcStages & VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT) != 0) {
            srcAccess |= VK_ACCESS_SHADER_WRITE_BIT;
        }
        if ((srcStages & VK_PIPELINE_STAGE_TRANSFER_BIT) != 0) {
            srcAccess |= VK_ACCESS_TRANSFER_WRITE_BIT;
        }
        if ((srcStages & VK_PIPELINE_STAGE_HOST_BIT) != 0) {
            srcAccess |= VK_ACCESS_HOST_WRITE_BIT;
        }
        int dstAccess = 0;
        if ((dstStages & VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT) != 0) {
            dstAccess |= VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT;
        }
        if ((dstStages & VK_PIPELINE_STAGE_TRANSFER_BIT) != 0) {
            dstAccess |= VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
        }
        try (MemoryStack stack = stackPush()) {
            VkMemoryBarrier.Buffer mb = VkMemoryBarrier.calloc(1, stack).sType$Default()
                    .srcAccessMask(srcAccess).dstAccessMask(dstAccess);
            vkCmdPipelineBarrier(cmd, srcStages, dstStages, 0, mb, null, null);
        }
    }

    private void recordOp(VkCommandBuffer cmd, Op op, long stagingOffset) {
        try (MemoryStack stack = stackPush()) {
            if (op instanceof Op.Upload u) {
                VkBufferCopy.Buffer region = VkBufferCopy.calloc(1, stack)
                        .srcOffset(stagingOffset).dstOffset(u.offsetBytes()).size(u.source().bytes());
                vkCmdCopyBuffer(cmd, staging.handle(), u.target().handle(), region);
            } else if (op instanceof Op.Download d) {
                VkBufferCopy.Buffer region = VkBufferCopy.calloc(1, stack)
                        .srcOffset(d.offsetBytes()).dstOffset(stagingOffset).size(d.target().bytes());
                vkCmdCopyBuffer(cmd, d.source().handle(), staging.handle(), region);
            } else if (op instanceof Op.Fill f) {
                vkCmdFillBuffer(cmd, f.target().handle(), 0, VK_WHOLE_SIZE, f.value());
            } else if (op instanceof Op.Copy c) {
                vkCmdCopyBuffer(cmd, c.source().handle(), c.target().handle(),
                        VkBufferCopy.calloc(1, stack).srcOffset(0).dstOffset(0).size(c.bytes()));
            } else if (op instanceof Op.Dispatch d) {
                recordDispatch(cmd, d, stack);
            }
        }
    }

    private void recordDispatch(VkCommandBuffer cmd, Op.Dispatch d, MemoryStack stack) {
        ComputeKernel k = d.kernel();
        LongBuffer pSet = stack.mallocLong(1);
        Vk.check(vkAllocateDescriptorSets(context.vkDevice(), VkDescriptorSetAllocateInfo.calloc(stack).sType$Default()
                .descriptorPool(descriptorPool).pSetLayouts(stack.longs(k.setLayout())), pSet),
                "vkAllocateDescriptorSets for " + d.label());
        long set = pSet.get(0);
        List<GpuBuffer> buffers = d.buffers();
        VkWriteDescriptorSet.Buffer writes = VkWriteDescriptorSet.calloc(buffers.size(), stack);
        for (int b = 0; b < buffers.size(); b++) {
            VkDescriptorBufferInfo.Buffer info = VkDescriptorBufferInfo.calloc(1, stack)
                    .buffer(buffers.get(b).handle()).offset(0).range(VK_WHOLE_SIZE);
            writes.get(b).sType$Default().dstSet(set).dstBinding(b).descriptorCount(1)
                    .descriptorType(VK_DESCRIPTOR_TYPE_STORAGE_BUFFER).pBufferInfo(info);
        }
        vkUpdateDescriptorSets(context.vkDevice(), writes, null);
        vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, k.pipeline());
        vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, k.pipelineLayout(), 0, stack.longs(set), null);
        if (d.pushConstants().length > 0) {
            vkCmdPushConstants(cmd, k.pipelineLayout(), VK_SHADER_STAGE_COMPUTE_BIT, 0, stack.ints(d.pushConstants()));
        }
        Grid g = d.grid();
        if (g.groups() > 0) {
            vkCmdDispatch(cmd, g.x(), g.y(), g.z());
        }
    }

    @Override
    void destroy() {
        if (running) {
            vkWaitForFences(context.vkDevice(), fence, true, Long.MAX_VALUE);
            running = false;
            context.sequenceFinished();
        }
        if (staging != null) {
            staging.close();
            staging = null;
        }
        if (queryPool != VK_NULL_HANDLE) {
            vkDestroyQueryPool(context.vkDevice(), queryPool, null);
            queryPool = VK_NULL_HANDLE;
        }
        if (descriptorPool != VK_NULL_HANDLE) {
            vkDestroyDescriptorPool(context.vkDevice(), descriptorPool, null);
            descriptorPool = VK_NULL_HANDLE;
        }
        if (fence != VK_NULL_HANDLE) {
            vkDestroyFence(context.vkDevice(), fence, null);
            fence = VK_NULL_HANDLE;
        }
        if (commandBuffer != null) {
            vkFreeCommandBuffers(context.vkDevice(), context.commandPool(), commandBuffer);
            commandBuffer = null;
        }
    }
}
