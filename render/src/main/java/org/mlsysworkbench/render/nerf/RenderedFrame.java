package org.mlsysworkbench.render.nerf;

import org.mlsysworkbench.algorithms.nerf.NerfRenderer;

/**
 * A frame ready for display: packed opaque {@code 0xAARRGGBB} pixels (row-major, from the top) of the colour image
 * and of the per-pixel energy heat map, both {@code width x height}.
 *
 * @param generation the request generation this frame answers
 * @param coarse     true when rendered at reduced resolution (camera moving) and upscaled
 * @param frame      the renderer's output at the rendered resolution (statistics, energy per pixel)
 * @param renderMs   measured wall-clock render time
 */
public record RenderedFrame(long generation, boolean coarse, int width, int height, int[] argb, int[] heatArgb,
                            NerfRenderer.Frame frame, double renderMs) {
}
