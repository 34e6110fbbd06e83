package org.mlsysworkbench.algorithms.cnnquant;

import org.mlsysworkbench.algorithms.core.ConfigException;

/**
 * Sizes of the bench's small CNN: conv1(3x3, 1 -> c1) - BN - ReLU - maxpool2 - conv2(3x3, c1 -> c2) - BN - ReLU
 * - maxpool2 - fc1(c2*h/4*w/4 -> hidden) - ReLU - fc2(hidden -> classes). Convolutions pad by one pixel.
 *
 * @param height  input rows, divisible by 4
 * @param width   input columns, divisible by 4
 * @param c1      conv1 output channels
 * @param c2      conv2 output channels
 * @param hidden  fc1 outputs
 * @param classes fc2 outputs
 */
public record CnnShape(int height, int width, int c1, int c2, int hidden, int classes) {

    /** Number of weight layers: conv1, conv2, fc1, fc2. */
    public static final int LAYERS = 4;
    /** Names of the weight layers, in order. */
    public static final String[] LAYER_NAMES = {"conv1", "conv2", "fc1", "fc2"};

    public CnnShape {
        ConfigException.require(height >= 4 && height % 4 == 0, "height", "a multiple of 4, got " + height);
        ConfigException.require(width >= 4 && width % 4 == 0, "width", "a multiple of 4, got " + width);
        ConfigException.require(c1 >= 1 && c2 >= 1 && hidden >= 1 && classes >= 2, "channels",
                "positive layer sizes and at least 2 classes");
    }

    /** Flattened size of the conv2 block's output (the fc1 input). */
    public int flat() {
        return c2 * (height / 4) * (width / 4);
    }

    /** Fan-in S of a layer (inputs per output): 9 * input channels for a conv, the input length for an FC. */
    public int fanIn(int layer) {
        return switch (layer) {
            case 0 -> 9;
            case 1 -> 9 * c1;
            case 2 -> flat();
            case 3 -> hidden;
            default -> throw new IllegalArgumentException("layer " + layer);
        };
    }

    /** Outputs N of a layer (output channels or units). */
    public int outputs(int layer) {
        return switch (layer) {
            case 0 -> c1;
            case 1 -> c2;
            case 2 -> hidden;
            case 3 -> classes;
            default -> throw new IllegalArgumentException("layer " + layer);
        };
    }

    public boolean isConv(int layer) {
        return layer < 2;
    }

    /** Input channels of a conv layer (the C_s of Q-CNN), or the input length of an FC layer. */
    public int inChannels(int layer) {
        return switch (layer) {
            case 0 -> 1;
            case 1 -> c1;
            default -> fanIn(layer);
        };
    }

    /** Spatial positions (rows * columns) of a conv layer's input and output; 1 for FC layers. */
    public int positions(int layer) {
        return switch (layer) {
            case 0 -> height * width;
            case 1 -> (height / 2) * (width / 2);
            default -> 1;
        };
    }

    /** Number of values of a layer's input (per image). */
    public int inputSize(int layer) {
        return switch (layer) {
            case 0 -> height * width;
            case 1 -> c1 * positions(1);
            case 2 -> flat();
            default -> hidden;
        };
    }

    /** Number of values of a layer's output (per image, before BN and pooling). */
    public int outputSize(int layer) {
        return outputs(layer) * positions(layer);
    }

    /** Multiply-accumulates of one image's forward pass through a layer. */
    public long macs(int layer) {
        return (long) fanIn(layer) * outputs(layer) * positions(layer);
    }

    /** Number of weights of a layer (S * N). */
    public int weightCount(int layer) {
        return fanIn(layer) * outputs(layer);
    }
}
