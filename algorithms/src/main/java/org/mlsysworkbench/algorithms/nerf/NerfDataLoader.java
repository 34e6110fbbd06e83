package org.mlsysworkbench.algorithms.nerf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads posed views from the NeRF-Synthetic layout ({@code transforms_*.json} + PNG) and from the npz layout
 * of {@code tiny_nerf_data.npz} ({@code images}, {@code poses}, {@code focal}, optional {@code alphas}).
 * Every problem throws {@link NerfFormatException} naming the file and the field; nothing is half-loaded.
 */
public final class NerfDataLoader {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Largest deviation of R^T R from the identity, and of det R from 1, accepted as a rotation. */
    static final double ROTATION_TOLERANCE = 1e-3;

    private NerfDataLoader() {
    }

    /** Reads a NeRF-Synthetic {@code transforms_*.json}; PNG paths resolve next to it. */
    public static NerfViews loadBlender(Path transforms) throws NerfFormatException {
        String f = transforms.toString();
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(transforms));
        } catch (IOException e) {
            throw new NerfFormatException(f, "json", "cannot parse: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new NerfFormatException(f, "json", "expected a JSON object");
        }
        JsonNode angle = root.get("camera_angle_x");
        if (angle == null || !angle.isNumber() || angle.asDouble() <= 0 || angle.asDouble() >= Math.PI) {
            throw new NerfFormatException(f, "camera_angle_x", "expected a number in (0, pi)");
        }
        JsonNode frames = root.get("frames");
        if (frames == null || !frames.isArray() || frames.isEmpty()) {
            throw new NerfFormatException(f, "frames", "expected a non-empty array of frames");
        }
        Path dir = transforms.toAbsolutePath().getParent();
        int width = -1;
        int height = -1;
        List<float[]> rgb = new ArrayList<>();
        List<float[]> alpha = new ArrayList<>();
        List<float[]> poses = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            JsonNode fr = frames.get(i);
            String field = "frames[" + i + "]";
            JsonNode fp = fr.get("file_path");
            if (fp == null || !fp.isTextual() || fp.asText().isBlank()) {
                throw new NerfFormatException(f, field + ".file_path", "expected an image path");
            }
            poses.add(parsePose(fr.get("transform_matrix"), f, field + ".transform_matrix"));
            String rel = fp.asText();
            Path img = dir.resolve(rel.endsWith(".png") ? rel : rel + ".png").normalize();
            if (!Files.isRegularFile(img)) {
                throw new NerfFormatException(f, field + ".file_path", "image " + img + " does not exist");
            }
            PngCodec.Image im = PngCodec.read(img);
            if (width < 0) {
                width = im.width();
                height = im.height();
            } else if (im.width() != width || im.height() != height) {
                throw new NerfFormatException(f, field + ".file_path", "expected " + width + "x" + height
                        + " like frames[0], found " + im.width() + "x" + im.height() + " in " + img);
            }
            float[] c = new float[width * height * 3];
            float[] a = new float[width * height];
            float[] px = im.rgba();
            for (int p = 0; p < a.length; p++) {
                a[p] = px[4 * p + 3];
                c[3 * p] = px[4 * p] * a[p];
                c[3 * p + 1] = px[4 * p + 1] * a[p];
                c[3 * p + 2] = px[4 * p + 2] * a[p];
            }
            rgb.add(c);
            alpha.add(a);
        }
        float focal = (float) (0.5 * width / Math.tan(0.5 * angle.asDouble()));
        String name = dir.getFileName() == null ? "scene" : dir.getFileName().toString();
        return new NerfViews(name, width, height, focal, rgb, alpha, poses);
    }

    /** Reads npz views: {@code images (N,H,W,3)}, {@code poses (N,4,4)}, {@code focal ()}, {@code alphas (N,H,W)}. */
    public static NerfViews loadNpz(Path npz) throws NerfFormatException {
        String f = npz.toString();
        NpzReader.Array images = NpzReader.read(npz, "images");
        NpzReader.Array poses = NpzReader.read(npz, "poses");
        NpzReader.Array focal = NpzReader.read(npz, "focal");
        if (images.shape().length != 4 || images.size(3) != 3) {
            throw new NerfFormatException(f, "images", "expected shape (N, H, W, 3), found "
                    + java.util.Arrays.toString(images.shape()));
        }
        int n = images.size(0);
        int h = images.size(1);
        int w = images.size(2);
        if (poses.shape().length != 3 || poses.size(0) != n || poses.size(1) < 3 || poses.size(2) != 4) {
            throw new NerfFormatException(f, "poses", "expected shape (" + n + ", 4, 4), found "
                    + java.util.Arrays.toString(poses.shape()));
        }
        if (focal.data().length != 1 || !(focal.data()[0] > 0)) {
            throw new NerfFormatException(f, "focal", "expected one positive scalar");
        }
        float[] alphasData = null;
        if (hasEntry(npz, "alphas")) {
            NpzReader.Array alphas = NpzReader.read(npz, "alphas");
            if (alphas.data().length != n * h * w) {
                throw new NerfFormatException(f, "alphas", "expected shape (" + n + ", " + h + ", " + w + ")");
            }
            alphasData = alphas.data();
        }
        List<float[]> rgb = new ArrayList<>();
        List<float[]> alpha = new ArrayList<>();
        List<float[]> ps = new ArrayList<>();
        int rows = poses.size(1);
        for (int v = 0; v < n; v++) {
            float[] c = new float[h * w * 3];
            System.arraycopy(images.data(), v * h * w * 3, c, 0, c.length);
            for (int i = 0; i < c.length; i++) {
                if (!(c[i] >= 0f && c[i] <= 1f)) {
                    throw new NerfFormatException(f, "images[" + v + "]", "expected values in [0, 1], found " + c[i]);
                }
            }
            rgb.add(c);
            float[] a = new float[h * w];
            if (alphasData != null) {
                System.arraycopy(alphasData, v * h * w, a, 0, a.length);
            } else {
                for (int p = 0; p < a.length; p++) {
                    a[p] = Math.max(c[3 * p], Math.max(c[3 * p + 1], c[3 * p + 2])) > 0 ? 1f : 0f;
                }
            }
            alpha.add(a);
            float[] m = new float[16];
            System.arraycopy(poses.data(), v * rows * 4, m, 0, rows * 4);
            ps.add(checkPose(m, f, "poses[" + v + "]"));
        }
        String name = npz.getFileName().toString().replace(".npz", "");
        return new NerfViews(name, w, h, focal.data()[0], rgb, alpha, ps);
    }

    private static boolean hasEntry(Path npz, String entry) throws NerfFormatException {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(npz.toFile())) {
            return zip.getEntry(entry + ".npy") != null;
        } catch (IOException e) {
            throw new NerfFormatException(npz.toString(), entry, "cannot read: " + e.getMessage(), e);
        }
    }

    private static float[] parsePose(JsonNode m, String f, String field) throws NerfFormatException {
        if (m == null || !m.isArray() || m.size() < 3) {
            throw new NerfFormatException(f, field, "expected a 4x4 (or 3x4) matrix");
        }
        float[] out = new float[16];
        for (int r = 0; r < 3; r++) {
            JsonNode row = m.get(r);
            if (row == null || !row.isArray() || row.size() != 4) {
                throw new NerfFormatException(f, field + "[" + r + "]", "expected a row of 4 numbers");
            }
            for (int c = 0; c < 4; c++) {
                if (!row.get(c).isNumber()) {
                    throw new NerfFormatException(f, field + "[" + r + "][" + c + "]", "expected a number");
                }
                out[4 * r + c] = (float) row.get(c).asDouble();
            }
        }
        return checkPose(out, f, field);
    }

    /** Returns the 3x4 block after checking that its 3x3 part is a rotation (orthonormal, det +1). */
    static float[] checkPose(float[] m, String f, String field) throws NerfFormatException {
        for (int i = 0; i < 12; i++) {
            if (!Float.isFinite(m[i])) {
                throw new NerfFormatException(f, field, "expected finite numbers, found " + m[i]);
            }
        }
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                double dot = 0;
                for (int r = 0; r < 3; r++) {
                    dot += (double) m[4 * r + a] * m[4 * r + b];
                }
                if (Math.abs(dot - (a == b ? 1 : 0)) > ROTATION_TOLERANCE) {
                    throw new NerfFormatException(f, field, "expected a rotation in the top-left 3x3 block "
                            + "(columns " + a + " and " + b + " have dot product " + dot + ")");
                }
            }
        }
        double det = m[0] * (m[5] * m[10] - m[6] * m[9]) - m[1] * (m[4] * m[10] - m[6] * m[8])
                + m[2] * (m[4] * m[9] - m[5] * m[8]);
        if (Math.abs(det - 1) > ROTATION_TOLERANCE) {
            throw new NerfFormatException(f, field, "expected a rotation with determinant +1, found " + det);
        }
        return java.util.Arrays.copyOf(m, 12);
    }
}
