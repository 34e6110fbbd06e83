package org.mlsysworkbench.algorithms.nerf;

import java.util.ArrayList;
import java.util.List;

/**
 * Posed views of one scene: RGB composited on black (premultiplied), coverage alpha and camera-to-world
 * poses in the NeRF-Synthetic convention (camera looks along -Z, +Y up; world +Z up).
 *
 * @param name   scene name for logs and file names
 * @param width  pixels per row
 * @param height rows
 * @param focal  focal length in pixels
 * @param rgb    per view, {@code 3 * width * height} floats in 0..1, row-major from the top row
 * @param alpha  per view, {@code width * height} coverage values in 0..1
 * @param poses  per view, the top 3x4 block of the camera-to-world matrix, row-major (12 floats)
 */
public record NerfViews(String name, int width, int height, float focal, List<float[]> rgb, List<float[]> alpha,
                        List<float[]> poses) {

    public NerfViews {
        rgb = List.copyOf(rgb);
        alpha = List.copyOf(alpha);
        poses = List.copyOf(poses);
        if (rgb.size() != poses.size() || alpha.size() != poses.size()) {
            throw new IllegalArgumentException("views: " + rgb.size() + " images, " + alpha.size() + " alphas, "
                    + poses.size() + " poses");
        }
    }

    public int count() {
        return poses.size();
    }

    /** The views whose index i satisfies {@code (i % every == 0) == heldOut}: a deterministic split. */
    public NerfViews split(int every, boolean heldOut) {
        List<float[]> r = new ArrayList<>();
        List<float[]> a = new ArrayList<>();
        List<float[]> p = new ArrayList<>();
        for (int i = 0; i < count(); i++) {
            if ((i % every == 0) == heldOut) {
                r.add(rgb.get(i));
                a.add(alpha.get(i));
                p.add(poses.get(i));
            }
        }
        return new NerfViews(name + (heldOut ? "-test" : "-train"), width, height, focal, r, a, p);
    }

    /** The views composited on a grey background of level {@code b} (1 = white): {@code rgb + (1 - alpha) b}. */
    public NerfViews onBackground(float b) {
        if (b == 0f) {
            return this;
        }
        List<float[]> r = new ArrayList<>();
        for (int i = 0; i < count(); i++) {
            float[] c = rgb.get(i).clone();
            float[] a = alpha.get(i);
            for (int p = 0; p < a.length; p++) {
                for (int k = 0; k < 3; k++) {
                    c[3 * p + k] += (1 - a[p]) * b;
                }
            }
            r.add(c);
        }
        return new NerfViews(name, width, height, focal, r, alpha, poses);
    }

    /** The first {@code n} views (all when n exceeds the count). */
    public NerfViews first(int n) {
        int k = Math.min(n, count());
        return new NerfViews(name, width, height, focal, rgb.subList(0, k), alpha.subList(0, k), poses.subList(0, k));
    }

    /**
     * The ray through the centre of pixel (column {@code px}, row {@code py}) of a {@code w x h} image with
     * focal {@code f}: origin into {@code o[0..2]}, unit direction into {@code d[0..2]}.
     * {@code d_cam = ((px + 0.5 - w/2)/f, -(py + 0.5 - h/2)/f, -1)}, {@code d = R d_cam}, {@code o = t}.
     */
    public static void ray(float[] pose, float f, int w, int h, float px, float py, float[] o, float[] d) {
        float cx = (px + 0.5f - w * 0.5f) / f;
        float cy = -(py + 0.5f - h * 0.5f) / f;
        float dx = pose[0] * cx + pose[1] * cy - pose[2];
        float dy = pose[4] * cx + pose[5] * cy - pose[6];
        float dz = pose[8] * cx + pose[9] * cy - pose[10];
        float inv = (float) (1.0 / Math.sqrt(dx * dx + dy * dy + dz * dz));
        d[0] = dx * inv;
        d[1] = dy * inv;
        d[2] = dz * inv;
        o[0] = pose[3];
        o[1] = pose[7];
        o[2] = pose[11];
    }

    /** A camera-to-world pose on a sphere of {@code radius} looking at the origin, world +Z up. */
    public static float[] orbitPose(double azimuthRad, double elevationRad, double radius) {
        double cx = radius * Math.cos(elevationRad) * Math.cos(azimuthRad);
        double cy = radius * Math.cos(elevationRad) * Math.sin(azimuthRad);
        double cz = radius * Math.sin(elevationRad);
        // back = camera +Z axis points away from the target
        double[] back = normalize(cx, cy, cz);
        double[] right = normalize(-back[1], back[0], 0);
        if (Math.abs(back[2]) > 0.999999) {
            right = new double[]{1, 0, 0};
        }
        double[] up = {back[1] * right[2] - back[2] * right[1], back[2] * right[0] - back[0] * right[2],
                back[0] * right[1] - back[1] * right[0]};
        return new float[]{
                (float) right[0], (float) up[0], (float) back[0], (float) cx,
                (float) right[1], (float) up[1], (float) back[1], (float) cy,
                (float) right[2], (float) up[2], (float) back[2], (float) cz};
    }

    private static double[] normalize(double x, double y, double z) {
        double n = Math.sqrt(x * x + y * y + z * z);
        return new double[]{x / n, y / n, z / n};
    }
}
