package org.mlsysworkbench.views.core.charts;

import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which palette slot a run (or backend, or any named series) draws with. The slot comes from a hash of
 * the name (FNV-1a over its UTF-8 bytes), so the same name gets the same colour in every chart, every
 * view and after a reload; {@link #override} pins a name to another slot. One instance is shared by
 * every chart of the app. Thread-safe.
 */
public final class RunColors {

    private final Map<String, Integer> overrides = new ConcurrentHashMap<>();

    /** The palette slot of {@code name}: its override, or its hash. */
    public int slot(String name) {
        Integer pinned = overrides.get(name);
        return pinned != null ? pinned : hashSlot(name, ChartPalette.LIGHT.series().size());
    }

    /** Pins {@code name} to palette slot {@code slot}. */
    public void override(String name, int slot) {
        overrides.put(name, Math.floorMod(slot, ChartPalette.LIGHT.series().size()));
    }

    public void clearOverride(String name) {
        overrides.remove(name);
    }

    /** A copy of the pinned slots, for saving in a workspace. */
    public Map<String, Integer> overrides() {
        return Map.copyOf(overrides);
    }

    public Color color(String name, boolean dark) {
        return ChartPalette.of(dark).seriesColor(slot(name));
    }

    static int hashSlot(String name, int slots) {
        int h = 0x811C9DC5;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x01000193;
        }
        return Math.floorMod(h, slots);
    }
}
