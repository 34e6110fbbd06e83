package org.mlsysworkbench.compute.core;

/**
 * Base of every object a {@link GpuContext} hands out: registered with the context while open, so that
 * closing the context frees (and reports as LEAK) whatever is still open. {@link #close()} is
 * idempotent; any use after close throws {@link IllegalStateException}. Not thread-safe: confine a
 * context and its children to one thread (the GPU thread).
 */
public abstract class GpuResource implements AutoCloseable {

    // not owned
    protected final GpuContext context;
    private final String kind;
    private final String name;
    private boolean closed;

    GpuResource(GpuContext context, String kind, String name) {
        this.context = context;
        this.kind = kind;
        this.name = name;
    }

    /** The debug name given at creation ("core/gemm/a"). */
    public final String name() {
        return name;
    }

    public final boolean isClosed() {
        return closed;
    }

    /** Frees the Vulkan objects. A second call does nothing. */
    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            destroy();
        } finally {
            context.unregister(this);
        }
    }

    /** Destroys the owned handles; called once. */
    abstract void destroy();

    /** Throws when this object or its context is closed. */
    final void checkOpen() {
        if (closed) {
            throw new IllegalStateException(kind + " '" + name + "' is closed");
        }
        context.checkOpen();
    }

    @Override
    public String toString() {
        return kind + " '" + name + "'";
    }
}
