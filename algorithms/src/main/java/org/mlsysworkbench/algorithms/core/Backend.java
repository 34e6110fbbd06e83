package org.mlsysworkbench.algorithms.core;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where kernels run. Each feature declares kernel contracts in {@code algorithms} (for example
 * {@code BackendKernels}) with a plain-Java implementation; the Vulkan module implements the same
 * contracts, and {@code app} registers them on a Vulkan backend. An experiment asks
 * {@code ctx.backend().kernels(Contract.class)} and falls back to its CPU twin when the backend has none.
 *
 * <p>Thread-safe. A backend that owns native resources is closed by whoever created it (the app).
 */
public class Backend implements AutoCloseable {

    private static final Backend CPU = new Backend("cpu", DeviceInfo.javaCpu());

    private final String id;
    private final DeviceInfo device;
    private final Map<Class<?>, Object> kernels = new ConcurrentHashMap<>();

    public Backend(String id, DeviceInfo device) {
        this.id = id;
        this.device = device;
    }

    /** The plain-Java backend: every contract resolves to its CPU twin. */
    public static Backend cpu() {
        return CPU;
    }

    /** "cpu" or "vulkan". */
    public String id() {
        return id;
    }

    public DeviceInfo device() {
        return device;
    }

    /** True when timings on this backend measure a CPU device pretending to be a GPU (lavapipe). */
    public boolean functionalOnly() {
        return !"cpu".equals(id) && device.isCpuDevice();
    }

    /** Registers the implementation of a kernel contract on this backend. */
    public <K> Backend register(Class<K> contract, K implementation) {
        kernels.put(contract, contract.cast(implementation));
        return this;
    }

    /** The backend's implementation of a contract, if it has one. */
    public <K> Optional<K> kernels(Class<K> contract) {
        return Optional.ofNullable(contract.cast(kernels.get(contract)));
    }

    /** Closes every registered implementation that is {@link AutoCloseable}. */
    @Override
    public void close() {
        for (Object k : kernels.values()) {
            if (k instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException("closing " + k, e);
                }
            }
        }
        kernels.clear();
    }

    @Override
    public String toString() {
        return id + " (" + device.name() + ")";
    }
}
