package org.mlsysworkbench.algorithms.nerf;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic CC0 ground-truth scenes in the NeRF-Synthetic layout (spec sheet, "procedural ground-truth
 * scenes"): cameras on a sphere of radius 4.03 at elevation 10..60 degrees looking at the origin,
 * {@code camera_angle_x = 0.6911112070083618}, near/far 2/6, black background.
 *
 * <ul>
 *   <li>{@link Kind#VOLUME}: an emission-absorption volume {@code sigma(x) = sum_b s_b exp(-0.5 |x - c_b|^2 / r_b^2)}
 *       inside the box {@code [-1.5, 1.5]^3} (zero outside), emitted colour the sigma-weighted mean of the blob
 *       colours, rendered with the NeRF quadrature itself (512 midpoint samples on [2, 6], pixel-centre rays).</li>
 *   <li>{@link Kind#SURFACE}: an SDF union (checkered plinth, striped sphere r 0.38, banded torus R 0.62 r 0.10,
 *       blue rounded cube), sphere traced (256 steps, eps 1e-4), shaded {@code albedo (0.25 + 0.75 max(0, n.l))}
 *       plus a Blinn-Phong highlight (exponent 40, weight 0.35), 2x2 supersampled.</li>
 * </ul>
 */
public final class ProceduralScenes {

    /** The scene kinds. */
    public enum Kind { VOLUME, SURFACE }

    public static final double CAMERA_ANGLE_X = 0.6911112070083618;
    public static final double CAMERA_RADIUS = 4.03;
    public static final float NEAR = 2f;
    public static final float FAR = 6f;
    /** Half-extent of the box that holds the volume scene. */
    public static final float VOLUME_BOUND = 1.5f;
    static final int VOLUME_SAMPLES = 512;

    // blob: centre xyz, radius, strength (density per world unit), rgb
    private static final double[][] BLOBS = {
            {0.30, -0.05, 0.10, 0.30, 7.0, 0.95, 0.35, 0.20},
            {-0.30, 0.25, -0.05, 0.26, 9.0, 0.20, 0.65, 0.95},
            {0.00, -0.30, 0.35, 0.22, 12.0, 0.95, 0.85, 0.30},
    };

    private ProceduralScenes() {
    }

    /** Renders {@code views} views of {@code kind} at {@code size x size}, poses drawn from {@code seed}. */
    public static NerfViews render(Kind kind, int views, int size, long seed, Parallel parallel) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float focal = (float) (0.5 * size / Math.tan(0.5 * CAMERA_ANGLE_X));
        List<float[]> poses = new ArrayList<>();
        for (int v = 0; v < views; v++) {
            double az = rnd.nextDouble() * 2 * Math.PI;
            double el = Math.toRadians(10 + 50 * rnd.nextDouble());
            poses.add(NerfViews.orbitPose(az, el, CAMERA_RADIUS));
        }
        List<float[]> rgb = new ArrayList<>();
        List<float[]> alpha = new ArrayList<>();
        for (float[] pose : poses) {
            float[] c = new float[size * size * 3];
            float[] a = new float[size * size];
            parallel.forEach(size, 4, (w, from, to) -> {
                float[] o = new float[3];
                float[] d = new float[3];
                float[] out = new float[4];
                for (int y = from; y < to; y++) {
                    for (int x = 0; x < size; x++) {
                        if (kind == Kind.VOLUME) {
                            NerfViews.ray(pose, focal, size, size, x, y, o, d);
                            volumeRay(o, d, out);
                        } else {
                            out[0] = 0;
                            out[1] = 0;
                            out[2] = 0;
                            out[3] = 0;
                            float[] s = new float[4];
                            for (int sy = 0; sy < 2; sy++) {
                                for (int sx = 0; sx < 2; sx++) {
                                    NerfViews.ray(pose, focal, size, size, x + (sx - 0.5f) * 0.5f,
                                            y + (sy - 0.5f) * 0.5f, o, d);
                                    surfaceRay(o, d, s);
                                    for (int k = 0; k < 4; k++) {
                                        out[k] += 0.25f * s[k];
                                    }
                                }
                            }
                        }
                        int p = y * size + x;
                        c[3 * p] = out[0];
                        c[3 * p + 1] = out[1];
                        c[3 * p + 2] = out[2];
                        a[p] = out[3];
                    }
                }
            });
            rgb.add(c);
            alpha.add(a);
        }
        String name = kind == Kind.VOLUME ? "procedural-volume" : "procedural-surface";
        return new NerfViews(name, size, size, focal, rgb, alpha, poses);
    }

    /**
     * The volume scene sampled onto a coarse-stage {@link NerfModel} (density and direct colour grids) without any
     * training: raw density is the inverse softplus of {@code sigma * densityUnit} minus the shift, colour the
     * logit of the emitted colour. A preview of the exact scene, and a known-good model for renderer tests.
     */
    public static NerfModel volumeModel(int resolution) {
        float b = VOLUME_BOUND;
        float unit = 2 * b / 100f;
        NerfModel m = NerfModel.empty(new float[]{-b, -b, -b}, new float[]{b, b, b}, resolution, 3, null, 1e-2, 0.5f,
                unit, 1e-4f, NEAR, FAR);
        double[] c = new double[3];
        for (int x = 0; x < m.nx; x++) {
            for (int y = 0; y < m.ny; y++) {
                for (int z = 0; z < m.nz; z++) {
                    int i = (x * m.ny + y) * m.nz + z;
                    double px = -b + 2.0 * b * x / (m.nx - 1);
                    double py = -b + 2.0 * b * y / (m.ny - 1);
                    double pz = -b + 2.0 * b * z / (m.nz - 1);
                    double sigma = Math.max(1e-6, volumeDensity(px, py, pz, c) * unit);
                    // softplus^-1(s) = log(exp(s) - 1)
                    double inv = sigma > 20 ? sigma : Math.log(Math.expm1(sigma));
                    m.density[i] = (float) (inv - m.shift);
                    for (int k = 0; k < 3; k++) {
                        double v = Math.min(0.999, Math.max(0.001, c[k]));
                        m.features[3 * i + k] = (float) Math.log(v / (1 - v));
                    }
                }
            }
        }
        m.rebuildMask(1e-4f);
        return m;
    }

    /** Density of the volume scene at a point (per world unit); zero outside the box. */
    public static double volumeDensity(double x, double y, double z, double[] rgbOut) {
        if (Math.abs(x) > VOLUME_BOUND || Math.abs(y) > VOLUME_BOUND || Math.abs(z) > VOLUME_BOUND) {
            if (rgbOut != null) {
                rgbOut[0] = 0;
                rgbOut[1] = 0;
                rgbOut[2] = 0;
            }
            return 0;
        }
        double sigma = 0;
        double r = 0;
        double g = 0;
        double b = 0;
        for (double[] bl : BLOBS) {
            double dx = x - bl[0];
            double dy = y - bl[1];
            double dz = z - bl[2];
            double s = bl[4] * Math.exp(-0.5 * (dx * dx + dy * dy + dz * dz) / (bl[3] * bl[3]));
            sigma += s;
            r += s * bl[5];
            g += s * bl[6];
            b += s * bl[7];
        }
        if (rgbOut != null) {
            double inv = sigma > 0 ? 1 / sigma : 0;
            rgbOut[0] = r * inv;
            rgbOut[1] = g * inv;
            rgbOut[2] = b * inv;
        }
        return sigma;
    }

    /** The volume scene along one ray: rgb (premultiplied on black) and coverage {@code 1 - T}. */
    static void volumeRay(float[] o, float[] d, float[] out) {
        double delta = (FAR - NEAR) / VOLUME_SAMPLES;
        double trans = 1;
        double r = 0;
        double g = 0;
        double b = 0;
        double[] c = new double[3];
        for (int i = 0; i < VOLUME_SAMPLES; i++) {
            double t = NEAR + (i + 0.5) * delta;
            double sigma = volumeDensity(o[0] + t * d[0], o[1] + t * d[1], o[2] + t * d[2], c);
            if (sigma <= 0) {
                continue;
            }
            double a = 1 - Math.exp(-sigma * delta);
            double w = trans * a;
            r += w * c[0];
            g += w * c[1];
            b += w * c[2];
            trans *= 1 - a;
        }
        out[0] = (float) r;
        out[1] = (float) g;
        out[2] = (float) b;
        out[3] = (float) (1 - trans);
    }

    private static final double[] LIGHT = normalize(0.5, 0.3, 0.8);

    /** One sphere-traced ray of the surface scene: shaded rgb and coverage (0 or 1). */
    static void surfaceRay(float[] o, float[] d, float[] out) {
        double t = NEAR;
        int hit = -1;
        for (int i = 0; i < 256 && t < FAR; i++) {
            double px = o[0] + t * d[0];
            double py = o[1] + t * d[1];
            double pz = o[2] + t * d[2];
            double dist = sdf(px, py, pz);
            if (dist < 1e-4) {
                hit = 1;
                break;
            }
            t += dist;
        }
        if (hit < 0) {
            out[0] = 0;
            out[1] = 0;
            out[2] = 0;
            out[3] = 0;
            return;
        }
        double px = o[0] + t * d[0];
        double py = o[1] + t * d[1];
        double pz = o[2] + t * d[2];
        double e = 1e-4;
        double[] n = normalize(sdf(px + e, py, pz) - sdf(px - e, py, pz), sdf(px, py + e, pz) - sdf(px, py - e, pz),
                sdf(px, py, pz + e) - sdf(px, py, pz - e));
        double[] albedo = albedo(px, py, pz);
        double diffuse = 0.25 + 0.75 * Math.max(0, n[0] * LIGHT[0] + n[1] * LIGHT[1] + n[2] * LIGHT[2]);
        double[] h = normalize(LIGHT[0] - d[0], LIGHT[1] - d[1], LIGHT[2] - d[2]);
        double spec = 0.35 * Math.pow(Math.max(0, n[0] * h[0] + n[1] * h[1] + n[2] * h[2]), 40);
        for (int k = 0; k < 3; k++) {
            out[k] = (float) Math.min(1, albedo[k] * diffuse + spec);
        }
        out[3] = 1;
    }

    private static double sdf(double x, double y, double z) {
        return Math.min(Math.min(plinth(x, y, z), sphere(x, y, z)), Math.min(torus(x, y, z), cube(x, y, z)));
    }

    private static double plinth(double x, double y, double z) {
        return box(x, y, z + 0.55, 0.9, 0.9, 0.12, 0);
    }

    private static double sphere(double x, double y, double z) {
        double dx = x + 0.3;
        double dy = y - 0.3;
        double dz = z + 0.05;
        return Math.sqrt(dx * dx + dy * dy + dz * dz) - 0.38;
    }

    private static double torus(double x, double y, double z) {
        double dx = x - 0.15;
        double dy = y + 0.2;
        double dz = z + 0.33;
        double q = Math.sqrt(dx * dx + dy * dy) - 0.62;
        return Math.sqrt(q * q + dz * dz) - 0.10;
    }

    private static double cube(double x, double y, double z) {
        return box(x - 0.45, y - 0.4, z + 0.25, 0.13, 0.13, 0.13, 0.05);
    }

    private static double box(double x, double y, double z, double hx, double hy, double hz, double round) {
        double qx = Math.abs(x) - hx;
        double qy = Math.abs(y) - hy;
        double qz = Math.abs(z) - hz;
        double ox = Math.max(qx, 0);
        double oy = Math.max(qy, 0);
        double oz = Math.max(qz, 0);
        return Math.sqrt(ox * ox + oy * oy + oz * oz) + Math.min(Math.max(qx, Math.max(qy, qz)), 0) - round;
    }

    private static double[] albedo(double x, double y, double z) {
        double ds = sphere(x, y, z);
        double dt = torus(x, y, z);
        double dc = cube(x, y, z);
        double dp = plinth(x, y, z);
        double m = Math.min(Math.min(ds, dt), Math.min(dc, dp));
        if (m == dp) {
            boolean even = ((int) Math.floor(x * 5) + (int) Math.floor(y * 5)) % 2 == 0;
            return even ? new double[]{0.85, 0.85, 0.80} : new double[]{0.25, 0.25, 0.32};
        }
        if (m == ds) {
            return Math.sin((z + 0.05) * 40) > 0 ? new double[]{0.90, 0.20, 0.15} : new double[]{0.95, 0.95, 0.90};
        }
        if (m == dt) {
            double ang = Math.atan2(y + 0.2, x - 0.15);
            return ((int) Math.floor(ang * 8 / Math.PI) & 1) == 0 ? new double[]{0.20, 0.75, 0.25}
                    : new double[]{0.95, 0.80, 0.15};
        }
        return new double[]{0.15, 0.30, 0.90};
    }

    private static double[] normalize(double x, double y, double z) {
        double n = Math.sqrt(x * x + y * y + z * z);
        return new double[]{x / n, y / n, z / n};
    }
}
