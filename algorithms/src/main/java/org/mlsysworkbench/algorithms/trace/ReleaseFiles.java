package org.mlsysworkbench.algorithms.trace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Recognises the released AcmeTrace job files a user points the loader at. Only {@code trace_kalos.csv}
 * has a published digest (8,960,159 bytes, SHA-256 {@value #KALOS_SHA256} at upstream commit f9fdf59);
 * Seren's size varies between copies (about 94-99 MB), so it is not checked. Stateless.
 */
public final class ReleaseFiles {

    /** SHA-256 of the released {@code trace_kalos.csv}. */
    public static final String KALOS_SHA256 = "7c5a7845da1d66448fa668342e4ecb622fd9a005118080660ec3ad2788d4c9bf";
    /** Size of the released {@code trace_kalos.csv} in bytes. */
    public static final long KALOS_BYTES = 8_960_159L;

    private ReleaseFiles() {
    }

    /**
     * A one-line verdict for a file named {@code trace_kalos.csv}: whether it is byte-identical to the
     * release; empty for other names.
     */
    public static String checkKalos(Path file) throws IOException {
        if (!file.getFileName().toString().equals("trace_kalos.csv")) {
            return "";
        }
        String digest = sha256(file);
        if (digest.equals(KALOS_SHA256)) {
            return "trace_kalos.csv is the released file (SHA-256 7c5a7845…c9bf)";
        }
        return "trace_kalos.csv differs from the release: " + Files.size(file) + " bytes (release " + KALOS_BYTES
                + "), SHA-256 " + digest.substring(0, 8) + "… (release 7c5a7845…); statistics may not match the paper";
    }

    /** Hex SHA-256 of a file. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
