package org.mlsysworkbench.algorithms.nerf;

/**
 * A DVGO-style voxel radiance field: a density grid and a feature grid over an axis-aligned box, sampled
 * trilinearly (grid points at the box corners, "align corners"), an occupancy mask of empty space and either a
 * direct colour grid (coarse stage, 3 channels through a sigmoid) or a {@link ColorNet} (fine stage).
 *
 * <p>Density activation (post-activated, spec sheet section 1):
 * {@code alpha = 1 - exp(-softplus(sigma_raw + shift) * delta / densityUnit)},
 * {@code shift = log(1 / (1 - alphaInit) - 1)}, delta the step length in world units.
 *
 * <p>Layouts: {@code density[(x * ny + y) * nz + z]}, {@code features[((x * ny + y) * nz + z) * channels + c]},
 * {@code mask} with the density layout. Not thread-safe for writes; concurrent rendering reads are safe.
 */
public final class NerfModel {

    public final float[] boxMin;
    public final float[] boxMax;
    public final int nx;
    public final int ny;
    public final int nz;
    public final int channels;
    public final float[] density;
    public final float[] features;
    public final boolean[] mask;
    /** Null for the coarse stage (direct colour). */
    public final ColorNet net;
    public final float shift;
    /** Sample spacing as a fraction of the voxel size (0.5 in DVGO). */
    public final float stepRatio;
    /** World length over which {@code softplus(raw + shift)} is the optical depth. */
    public final float densityUnit;
    /** Samples with alpha or weight at or below this are not shaded (DVGO's fast_color_thres). */
    public final float colorThreshold;
    public final float near;
    public final float far;

    public NerfModel(float[] boxMin, float[] boxMax, int nx, int ny, int nz, int channels, float[] density,
                     float[] features, boolean[] mask, ColorNet net, float shift, float stepRatio, float densityUnit,
                     float colorThreshold, float near, float far) {
        this.boxMin = boxMin.clone();
        this.boxMax = boxMax.clone();
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.channels = channels;
        this.density = density;
        this.features = features;
        this.mask = mask;
        this.net = net;
        this.shift = shift;
        this.stepRatio = stepRatio;
        this.densityUnit = densityUnit;
        this.colorThreshold = colorThreshold;
        this.near = near;
        this.far = far;
        int n = nx * ny * nz;
        if (density.length != n || features.length != n * channels || mask.length != n) {
            throw new IllegalArgumentException("grid arrays do not match " + nx + "x" + ny + "x" + nz);
        }
        if (net != null && net.features != channels) {
            throw new IllegalArgumentException("net expects " + net.features + " channels, grid has " + channels);
        }
    }

    /** {@code log(1 / (1 - alphaInit) - 1)}. */
    public static float shiftFor(double alphaInit) {
        return (float) Math.log(1 / (1 - alphaInit) - 1);
    }

    /** Grid dimensions for a box and a resolution along its longest side. */
    public static int[] dims(float[] min, float[] max, int longest) {
        float ext = Math.max(max[0] - min[0], Math.max(max[1] - min[1], max[2] - min[2]));
        float voxel = ext / (longest - 1);
        int[] d = new int[3];
        for (int a = 0; a < 3; a++) {
            d[a] = Math.max(2, Math.round((max[a] - min[a]) / voxel) + 1);
        }
        return d;
    }

    /** An empty model (density at alphaInit everywhere, mask all true). */
    public static NerfModel empty(float[] min, float[] max, int longest, int channels, ColorNet net,
                                  double alphaInit, float stepRatio, float densityUnit, float colorThreshold,
                                  float near, float far) {
        int[] d = dims(min, max, longest);
        int n = d[0] * d[1] * d[2];
        boolean[] mask = new boolean[n];
        java.util.Arrays.fill(mask, true);
        return new NerfModel(min, max, d[0], d[1], d[2], channels, new float[n], new float[n * channels], mask, net,
                shiftFor(alphaInit), stepRatio, densityUnit, colorThreshold, near, far);
    }

    /** Voxel size (world units) along the longest axis. */
    public float voxelSize() {
        return Math.max((boxMax[0] - boxMin[0]) / (nx - 1),
                Math.max((boxMax[1] - boxMin[1]) / (ny - 1), (boxMax[2] - boxMin[2]) / (nz - 1)));
    }

    /** World distance between samples on a ray. */
    public float stepSize() {
        return stepRatio * voxelSize();
    }

    public int voxels() {
        return nx * ny * nz;
    }

    /** Number of learnable parameters: both grids plus the network. */
    public long parameters() {
        long p = (long) voxels() * (1 + channels);
        if (net != null) {
            p += net.w1.length + net.w2.length + net.w3.length;
        }
        return p;
    }

    /** A deep copy with another colour network (or the same one copied when {@code newNet} is null). */
    public NerfModel withNet(ColorNet newNet) {
        return new NerfModel(boxMin, boxMax, nx, ny, nz, channels, density.clone(), features.clone(), mask.clone(),
                newNet != null ? newNet : net == null ? null : net.copy(), shift, stepRatio, densityUnit,
                colorThreshold, near, far);
    }

    /** Trilinear density at a world point (raw, before activation); 0 outside the box. */
    public float rawDensityAt(float x, float y, float z) {
        float gx = (x - boxMin[0]) / (boxMax[0] - boxMin[0]) * (nx - 1);
        float gy = (y - boxMin[1]) / (boxMax[1] - boxMin[1]) * (ny - 1);
        float gz = (z - boxMin[2]) / (boxMax[2] - boxMin[2]) * (nz - 1);
        if (gx < 0 || gy < 0 || gz < 0 || gx > nx - 1 || gy > ny - 1 || gz > nz - 1) {
            return 0;
        }
        int ix = Math.min((int) gx, nx - 2);
        int iy = Math.min((int) gy, ny - 2);
        int iz = Math.min((int) gz, nz - 2);
        float fx = gx - ix;
        float fy = gy - iy;
        float fz = gz - iz;
        int b = (ix * ny + iy) * nz + iz;
        int sx = ny * nz;
        float c00 = density[b] * (1 - fz) + density[b + 1] * fz;
        float c01 = density[b + nz] * (1 - fz) + density[b + nz + 1] * fz;
        float c10 = density[b + sx] * (1 - fz) + density[b + sx + 1] * fz;
        float c11 = density[b + sx + nz] * (1 - fz) + density[b + sx + nz + 1] * fz;
        return (c00 * (1 - fy) + c01 * fy) * (1 - fx) + (c10 * (1 - fy) + c11 * fy) * fx;
    }

    /**
     * Resamples density and features trilinearly onto a grid of {@code longest} points along the longest side
     * (DVGO's progressive upscaling); the mask is resampled by nearest neighbour. The net is kept (copied).
     */
    public NerfModel resampled(int longest, int newChannels, ColorNet newNet) {
        int[] d = dims(boxMin, boxMax, longest);
        int n = d[0] * d[1] * d[2];
        float[] dens = new float[n];
        float[] feat = new float[n * newChannels];
        boolean[] m = new boolean[n];
        for (int x = 0; x < d[0]; x++) {
            for (int y = 0; y < d[1]; y++) {
                for (int z = 0; z < d[2]; z++) {
                    int i = (x * d[1] + y) * d[2] + z;
                    float px = boxMin[0] + (boxMax[0] - boxMin[0]) * x / (d[0] - 1);
                    float py = boxMin[1] + (boxMax[1] - boxMin[1]) * y / (d[1] - 1);
                    float pz = boxMin[2] + (boxMax[2] - boxMin[2]) * z / (d[2] - 1);
                    dens[i] = rawDensityAt(px, py, pz);
                    m[i] = maskAt(px, py, pz);
                    if (newChannels == channels) {
                        featureAt(px, py, pz, feat, i * channels);
                    }
                }
            }
        }
        return new NerfModel(boxMin, boxMax, d[0], d[1], d[2], newChannels, dens, feat, m, newNet, shift,
                stepRatio, densityUnit, colorThreshold, near, far);
    }

    /** Trilinear features at a world point into {@code out[off..off+channels)}. */
    public void featureAt(float x, float y, float z, float[] out, int off) {
        float gx = clamp((x - boxMin[0]) / (boxMax[0] - boxMin[0]) * (nx - 1), nx - 1);
        float gy = clamp((y - boxMin[1]) / (boxMax[1] - boxMin[1]) * (ny - 1), ny - 1);
        float gz = clamp((z - boxMin[2]) / (boxMax[2] - boxMin[2]) * (nz - 1), nz - 1);
        int ix = Math.min((int) gx, nx - 2);
        int iy = Math.min((int) gy, ny - 2);
        int iz = Math.min((int) gz, nz - 2);
        float fx = gx - ix;
        float fy = gy - iy;
        float fz = gz - iz;
        int b = (ix * ny + iy) * nz + iz;
        for (int c = 0; c < channels; c++) {
            out[off + c] = 0;
        }
        for (int k = 0; k < 8; k++) {
            int dx = k >> 2;
            int dy = (k >> 1) & 1;
            int dz = k & 1;
            float w = (dx == 1 ? fx : 1 - fx) * (dy == 1 ? fy : 1 - fy) * (dz == 1 ? fz : 1 - fz);
            int v = (b + dx * ny * nz + dy * nz + dz) * channels;
            for (int c = 0; c < channels; c++) {
                out[off + c] += w * features[v + c];
            }
        }
    }

    private static float clamp(float g, int max) {
        return g < 0 ? 0 : Math.min(g, max);
    }

    /** Nearest-voxel occupancy at a world point; false outside the box. */
    public boolean maskAt(float x, float y, float z) {
        int ix = Math.round((x - boxMin[0]) / (boxMax[0] - boxMin[0]) * (nx - 1));
        int iy = Math.round((y - boxMin[1]) / (boxMax[1] - boxMin[1]) * (ny - 1));
        int iz = Math.round((z - boxMin[2]) / (boxMax[2] - boxMin[2]) * (nz - 1));
        if (ix < 0 || iy < 0 || iz < 0 || ix >= nx || iy >= ny || iz >= nz) {
            return false;
        }
        return mask[(ix * ny + iy) * nz + iz];
    }

    /**
     * Rebuilds the occupancy mask from the density: a voxel is occupied when the alpha of one step at its grid
     * point exceeds {@code threshold}, then dilated by a 3x3x3 max-pool (DVGO's mask cache).
     *
     * @return the fraction of voxels kept
     */
    public double rebuildMask(float threshold) {
        int n = voxels();
        boolean[] occ = new boolean[n];
        float step = stepSize() / densityUnit;
        for (int i = 0; i < n; i++) {
            occ[i] = alpha(density[i], step) > threshold;
        }
        return dilateInto(occ);
    }

    /**
     * Rebuilds the occupancy mask from what the training cameras see: a voxel is kept when a sample in one of its
     * cells reaches rendering weight {@code w = T alpha > threshold} on some ray through every {@code stride}-th
     * pixel, then the mask is dilated by a 3x3x3 max-pool. Unlike the density threshold this does not depend on
     * {@code alphaInit}: free space the cameras never needed stays masked.
     *
     * @return the fraction of voxels kept
     */
    public double rebuildMaskFromViews(NerfViews views, float threshold, int stride, float[] bg, Parallel par) {
        int n = voxels();
        boolean[] seen = new boolean[n];
        int w = views.width();
        int h = views.height();
        int rows = views.count() * h;
        boolean[][] local = new boolean[par.threads()][n];
        RayKernel[] kernels = new RayKernel[par.threads()];
        par.forEach(rows, 8, (worker, from, to) -> {
            RayKernel k = kernels[worker] == null ? (kernels[worker] = new RayKernel()) : kernels[worker];
            boolean[] mine = local[worker];
            float[] o = new float[3];
            float[] d = new float[3];
            for (int row = from; row < to; row++) {
                int v = row / h;
                int y = row % h;
                if (y % stride != 0) {
                    continue;
                }
                for (int x = 0; x < w; x += stride) {
                    NerfViews.ray(views.poses().get(v), views.focal(), w, h, x, y, o, d);
                    k.forward(this, o, d, 0.5f, bg);
                    for (int i = 0; i < k.n; i++) {
                        if (k.trans[i] * k.alpha[i] > threshold) {
                            int b = k.base[i];
                            for (int c = 0; c < 8; c++) {
                                mine[b + (c >> 2) * ny * nz + ((c >> 1) & 1) * nz + (c & 1)] = true;
                            }
                        }
                    }
                }
            }
        });
        for (boolean[] mine : local) {
            for (int i = 0; i < n; i++) {
                seen[i] |= mine[i];
            }
        }
        return dilateInto(seen);
    }

    private double dilateInto(boolean[] occ) {
        int kept = 0;
        for (int x = 0; x < nx; x++) {
            for (int y = 0; y < ny; y++) {
                for (int z = 0; z < nz; z++) {
                    boolean any = false;
                    for (int dx = -1; dx <= 1 && !any; dx++) {
                        for (int dy = -1; dy <= 1 && !any; dy++) {
                            for (int dz = -1; dz <= 1 && !any; dz++) {
                                int a = x + dx;
                                int b = y + dy;
                                int c = z + dz;
                                if (a >= 0 && b >= 0 && c >= 0 && a < nx && b < ny && c < nz) {
                                    any = occ[(a * ny + b) * nz + c];
                                }
                            }
                        }
                    }
                    mask[(x * ny + y) * nz + z] = any;
                    kept += any ? 1 : 0;
                }
            }
        }
        return (double) kept / voxels();
    }

    /** {@code 1 - exp(-softplus(raw + shift) * interval)} where interval is step / densityUnit. */
    public float alpha(float raw, float interval) {
        return (float) (1 - Math.exp(-softplus(raw + shift) * interval));
    }

    static double softplus(double x) {
        return x > 20 ? x : Math.log1p(Math.exp(x));
    }
}
