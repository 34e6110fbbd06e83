import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Installer build step (run as a single-file program by the -Pinstaller profile): rewrites every jar in a
 * folder without the native libraries of other platforms, so an image carries only its own (DuckDB's JDBC jar,
 * for example, bundles Linux, macOS and Windows builds in one 80 MB jar). Usage: java StripForeignNatives.java
 * DIR PLATFORM, where PLATFORM is linux-x86_64. Prints what it removed.
 */
public final class StripForeignNatives {

    private static final List<String> NATIVE_SUFFIXES = List.of(".so", ".dll", ".dylib", ".jnilib", ".a");

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        String platform = args[1];
        if (!"linux-x86_64".equals(platform)) {
            throw new IllegalArgumentException("only linux-x86_64 is described here, got " + platform);
        }
        long removed = 0;
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.jar")) {
            for (Path jar : jars) {
                removed += strip(jar);
            }
        }
        System.out.printf("strip-natives: removed %.1f MB of other platforms' natives from %s%n", removed / 1e6, dir);
    }

    /** True for a native library built for something other than Linux on x86-64. */
    static boolean foreign(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        boolean isNative = n.contains(".so_") || NATIVE_SUFFIXES.stream().anyMatch(n::endsWith);
        if (!isNative || n.endsWith("/")) {
            return false;
        }
        boolean linux64 = n.contains("linux_amd64") || n.contains("linux-x86-64") || n.contains("linux-x86_64")
                || n.contains("linux/x86_64") || n.contains("linux/amd64") || n.contains("linux-amd64");
        if (linux64) {
            return false;
        }
        for (String other : List.of("mac", "osx", "darwin", "windows", "win32", "win64", "win-", "freebsd", "openbsd",
                "sunos", "solaris", "aix", "android", "arm", "aarch64", "ppc", "s390", "riscv", "mips", "linux-x86/",
                "linux-i386", "loongarch", "linux_arm64", "x86/")) {
            if (n.contains(other)) {
                return true;
            }
        }
        return false;
    }

    private static long strip(Path jar) throws IOException {
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        long removed = 0;
        boolean changed = false;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (foreign(e.getName())) {
                    removed += copy(in, OutputStream.nullOutputStream());
                    changed = true;
                    continue;
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                copy(in, out);
                out.closeEntry();
            }
        }
        if (changed) {
            Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.delete(tmp);
        }
        return removed;
    }

    private static long copy(InputStream in, OutputStream out) throws IOException {
        return in.transferTo(out);
    }
}
