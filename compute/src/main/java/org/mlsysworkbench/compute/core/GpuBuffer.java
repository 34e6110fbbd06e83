package org.mlsysworkbench.compute.core;

import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.util.vma.Vma.*;
import static org.lwjgl.vulkan.VK10.*;

import java.nio.IntBuffer;
import java.nio.LongBuffer;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.util.vma.VmaAllocationCreateInfo;
import org.lwjgl.util.vma.VmaAllocationInfo;
import org.lwjgl.vulkan.VkBufferCreateInfo;

/**
 * A storage buffer of raw bytes; shaders see it as a {@code std430} array of the element type the
 * kernel documents. On unified memory (integrated GPUs, lavapipe) it is host-visible and persistently
 * mapped, so uploads and downloads are plain copies; on a discrete GPU (or with
 * {@code -Dworkbench.forceStaging=true}) it is device-local and {@link CommandSequence} copies through a
 * staging buffer. Created by {@link GpuContext#buffer}; closed by its creator or by the context.
 */
public final class GpuBuffer extends GpuResource {

    /** Buffer usage: storage for shaders, both transfer directions for staging and fills. */
    static final int USAGE = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT
            | VK_BUFFER_USAGE_TRANSFER_DST_BIT;

    private final long sizeBytes;
    // owned
    private long buffer;
    private long allocation;
    // not owned: the persistent mapping of the allocation (0 when device-local)
    private long mapped;

    GpuBuffer(GpuContext context, String name, long sizeBytes, boolean hostVisible) {
        this(context, name, sizeBytes, hostVisible, USAGE, "GpuBuffer");
    }

    GpuBuffer(GpuContext context, String name, long sizeBytes, boolean hostVisible, int usage, String kind) {
        super(context, kind, name);
        if (sizeBytes <= 0) {
            throw new IllegalArgumentException("buffer '" + name + "': size must be > 0 bytes, got " + sizeBytes);
        }
        this.sizeBytes = sizeBytes;
        try (MemoryStack stack = stackPush()) {
            VkBufferCreateInfo bci = VkBufferCreateInfo.calloc(stack).sType$Default()
                    .size(sizeBytes).usage(usage).sharingMode(VK_SHARING_MODE_EXCLUSIVE);
            VmaAllocationCreateInfo aci = VmaAllocationCreateInfo.calloc(stack)
                    .usage(hostVisible ? VMA_MEMORY_USAGE_AUTO : VMA_MEMORY_USAGE_AUTO_PREFER_DEVICE)
                    .flags(hostVisible ? VMA_ALLOCATION_CREATE_HOST_ACCESS_RANDOM_BIT
                            | VMA_ALLOCATION_CREATE_MAPPED_BIT : 0);
            LongBuffer pBuffer = stack.mallocLong(1);
            PointerBuffer pAllocation = stack.mallocPointer(1);
            VmaAllocationInfo info = VmaAllocationInfo.malloc(stack);
            Vk.check(vmaCreateBuffer(context.allocator(), bci, aci, pBuffer, pAllocation, info),
                    "vmaCreateBuffer for " + name + " (" + sizeBytes + " bytes)");
            buffer = pBuffer.get(0);
            allocation = pAllocation.get(0);
            IntBuffer flags = stack.mallocInt(1);
            vmaGetAllocationMemoryProperties(context.allocator(), allocation, flags);
            mapped = hostVisible && (flags.get(0) & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) != 0
                    ? info.pMappedData() : 0;
        }
        context.name(VK_OBJECT_TYPE_BUFFER, buffer, name);
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    /** True when the host reads and writes this buffer directly (no staging copy). */
    public boolean hostVisible() {
        return mapped != 0;
    }

    /** Uploads {@code data} at byte 0 now, waiting for completion (a one-op sequence when staged). */
    public void write(HostArray data) {
        checkOpen();
        checkRange(0, data.bytes());
        if (mapped != 0 && !context.hasPendingWork()) {
            writeMapped(0, data);
            return;
        }
        try (CommandSequence s = context.sequence(name() + "/write")) {
            s.record(Op.upload(this, data)).eval();
        }
    }

    /** Downloads into {@code data} from byte 0 now, waiting for completion. */
    public void read(HostArray data) {
        checkOpen();
        checkRange(0, data.bytes());
        if (mapped != 0 && !context.hasPendingWork()) {
            readMapped(0, data);
            return;
        }
        try (CommandSequence s = context.sequence(name() + "/read")) {
            s.record(Op.download(this, data)).eval();
        }
    }

    void writeMapped(long offset, HostArray data) {
        data.copyTo(mapped + offset);
        vmaFlushAllocation(context.allocator(), allocation, offset, data.bytes());
    }

    void readMapped(long offset, HostArray data) {
        vmaInvalidateAllocation(context.allocator(), allocation, offset, data.bytes());
        data.copyFrom(mapped + offset);
    }

    void checkRange(long offset, long bytes) {
        if (offset < 0 || offset + bytes > sizeBytes) {
            throw new IllegalArgumentException("buffer '" + name() + "' has " + sizeBytes + " bytes; range ["
                    + offset + ", " + (offset + bytes) + ") does not fit");
        }
    }

    long handle() {
        checkOpen();
        return buffer;
    }

    @Override
    void destroy() {
        if (buffer != VK_NULL_HANDLE) {
            vmaDestroyBuffer(context.allocator(), buffer, allocation);
            buffer = VK_NULL_HANDLE;
            allocation = VK_NULL_HANDLE;
            mapped = 0;
        }
    }
}
