package org.mlsysworkbench.algorithms.core.tensor;

/**
 * Element type of a {@link Tensor}. Training runs in {@link #F32}; {@link #F64} exists so that
 * {@link GradCheck} can compare every op's backward pass with central finite differences in double
 * precision (relative error 1e-5 is below float32 resolution). Every op supports both; mixing them in
 * one op is an error.
 */
public enum DType {
    /** 32-bit IEEE float: the training type, backed by {@code float[]}. */
    F32,
    /** 64-bit IEEE double: the gradient-check type, backed by {@code double[]}. */
    F64
}
