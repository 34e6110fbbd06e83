package org.mlsysworkbench.render.nerf;

import org.mlsysworkbench.algorithms.nerf.NerfViews;
import org.mlsysworkbench.algorithms.nerf.ProceduralScenes;

/**
 * A camera orbiting the origin (world +Z up), the NeRF-Synthetic convention. Immutable.
 *
 * @param azimuthDeg   angle around +Z, degrees
 * @param elevationDeg angle above the XY plane, degrees, clamped to [-89, 89]
 * @param radius       distance to the origin, world units
 * @param fovXRad      horizontal field of view, radians
 */
public record OrbitCamera(double azimuthDeg, double elevationDeg, double radius, double fovXRad) {

    /** The view of the Blender scenes: radius 4.03, {@code camera_angle_x = 0.6911}. */
    public static OrbitCamera standard() {
        return new OrbitCamera(30, 30, ProceduralScenes.CAMERA_RADIUS, ProceduralScenes.CAMERA_ANGLE_X);
    }

    public OrbitCamera {
        elevationDeg = Math.max(-89, Math.min(89, elevationDeg));
        radius = Math.max(0.5, radius);
    }

    /** Orbits by a mouse drag: {@code dx, dy} in degrees. */
    public OrbitCamera orbit(double dAzimuthDeg, double dElevationDeg) {
        return new OrbitCamera(azimuthDeg + dAzimuthDeg, elevationDeg + dElevationDeg, radius, fovXRad);
    }

    /** Zooms by a factor (< 1 moves closer). */
    public OrbitCamera zoom(double factor) {
        return new OrbitCamera(azimuthDeg, elevationDeg, radius * factor, fovXRad);
    }

    /** The 3x4 camera-to-world matrix, row-major. */
    public float[] pose() {
        return NerfViews.orbitPose(Math.toRadians(azimuthDeg), Math.toRadians(elevationDeg), radius);
    }

    /** Focal length in pixels for an image {@code width} pixels wide. */
    public float focal(int width) {
        return (float) (0.5 * width / Math.tan(0.5 * fovXRad));
    }
}
