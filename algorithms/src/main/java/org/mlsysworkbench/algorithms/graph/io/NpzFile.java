package org.mlsysworkbench.algorithms.graph.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.mlsysworkbench.algorithms.graph.GraphFormatException;

/**
 * A NumPy {@code .npz} archive (a ZIP of {@code .npy} entries, stored or deflated), read fully into memory.
 * Errors name the file and the array: {@code cora.npz[adj_indices.npy]: truncated data ...}.
 */
public final class NpzFile {

    private final String fileName;
    private final Map<String, NpyArray> arrays;

    private NpzFile(String fileName, Map<String, NpyArray> arrays) {
        this.fileName = fileName;
        this.arrays = arrays;
    }

    /** Reads every array of the archive. */
    public static NpzFile read(Path file) throws IOException {
        String name = file.toString();
        if (!Files.exists(file)) {
            throw new NoSuchFileException(name);
        }
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            List<? extends ZipEntry> entries = new ArrayList<>(zip.stream().toList());
            if (entries.isEmpty()) {
                throw new GraphFormatException(name, "empty archive, expected .npy entries");
            }
            for (ZipEntry e : entries) {
                String src = name + "[" + e.getName() + "]";
                byte[] bytes;
                try (InputStream in = zip.getInputStream(e)) {
                    bytes = in.readAllBytes();
                } catch (ZipException | java.io.EOFException ex) {
                    throw new GraphFormatException(src, "truncated or corrupt entry (" + ex.getMessage() + ")", ex);
                }
                if (e.getSize() >= 0 && bytes.length != e.getSize()) {
                    throw new GraphFormatException(src, "truncated entry: " + bytes.length + " of " + e.getSize()
                            + " bytes");
                }
                String key = e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4)
                        : e.getName();
                arrays.put(key, NpyArray.parse(bytes, src));
            }
        } catch (ZipException ex) {
            throw new GraphFormatException(name, "not a readable .npz (ZIP) archive, truncated or corrupt: "
                    + ex.getMessage(), ex);
        }
        return new NpzFile(name, arrays);
    }

    /** The array named {@code key} (without {@code .npy}); its absence is a format error naming it. */
    public NpyArray get(String key) throws GraphFormatException {
        NpyArray a = arrays.get(key);
        if (a == null) {
            throw new GraphFormatException(fileName + "[" + key + ".npy]", "array missing; the archive holds "
                    + arrays.keySet());
        }
        return a;
    }

    public boolean has(String key) {
        return arrays.containsKey(key);
    }

    public String fileName() {
        return fileName;
    }
}
