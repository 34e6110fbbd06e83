package org.mlsysworkbench.compute.nd4j;

/**
 * Whether ND4J is on the class path, asked without loading any ND4J type (verifying
 * {@link Nd4jDenseKernels} itself would fail when the jars are absent). Thread-safe.
 */
public final class Nd4jPresence {

    private Nd4jPresence() {
    }

    /** True when {@code org.nd4j.linalg.factory.Nd4j} can be found. */
    public static boolean available() {
        try {
            Class.forName("org.nd4j.linalg.factory.Nd4j", false, Nd4jPresence.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
