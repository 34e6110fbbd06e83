import static org.lwjgl.util.shaderc.Shaderc.*;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Build step (not part of the runtime): compiles every {@code <src>/<feature>/<name>.comp} to
 * {@code <out>/<feature>/<name>.spv} with LWJGL's shaderc, targeting Vulkan 1.2. Runs as a single-file
 * source program from exec-maven-plugin, so shaderc stays off the module's class path.
 *
 * <p>A compile error prints shaderc's {@code file:line: error: ...} messages and exits with status 1,
 * which fails the Maven build. Files whose .spv is newer than the .comp are skipped.
 */
public final class SpirvBuild {

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: SpirvBuild <glsl source dir> <spv output dir>");
        }
        Path src = Path.of(args[0]);
        Path out = Path.of(args[1]);
        if (!Files.isDirectory(src)) {
            return;
        }
        List<Path> shaders;
        try (Stream<Path> walk = Files.walk(src)) {
            shaders = walk.filter(p -> p.toString().endsWith(".comp")).sorted().collect(Collectors.toList());
        }
        List<String> errors = new ArrayList<>();
        int compiled = 0;
        long compiler = shaderc_compiler_initialize();
        if (compiler == 0) {
            throw new IllegalStateException("shaderc_compiler_initialize failed");
        }
        try {
            for (Path shader : shaders) {
                String rel = src.relativize(shader).toString().replace('\\', '/');
                Path target = out.resolve(rel.substring(0, rel.length() - ".comp".length()) + ".spv");
                if (Files.exists(target)
                        && Files.getLastModifiedTime(target).compareTo(Files.getLastModifiedTime(shader)) > 0) {
                    continue;
                }
                String error = compile(compiler, shader, target);
                if (error != null) {
                    errors.add(error);
                } else {
                    compiled++;
                }
            }
        } finally {
            shaderc_compiler_release(compiler);
        }
        if (!errors.isEmpty()) {
            for (String e : errors) {
                System.err.println(e);
            }
            System.err.println("SPIR-V build failed: " + errors.size() + " shader(s) with errors");
            System.exit(1);
        }
        System.out.println("SPIR-V build: " + compiled + " compiled, " + (shaders.size() - compiled)
                + " up to date, in " + out);
    }

    /** Compiles one shader; returns shaderc's error text (file:line: error: ...) or null on success. */
    private static String compile(long compiler, Path shader, Path target) throws IOException {
        String glsl = Files.readString(shader, StandardCharsets.UTF_8);
        long options = shaderc_compile_options_initialize();
        try {
            shaderc_compile_options_set_target_env(options, shaderc_target_env_vulkan, shaderc_env_version_vulkan_1_2);
            shaderc_compile_options_set_optimization_level(options, shaderc_optimization_level_performance);
            shaderc_compile_options_set_warnings_as_errors(options);
            long result = shaderc_compile_into_spv(compiler, glsl, shaderc_compute_shader,
                    shader.toAbsolutePath().toString(), "main", options);
            if (result == 0) {
                return shader + ": shaderc returned no result";
            }
            try {
                if (shaderc_result_get_compilation_status(result) != shaderc_compilation_status_success) {
                    String message = shaderc_result_get_error_message(result);
                    return message == null ? shader + ": compilation failed" : message.strip();
                }
                ByteBuffer spv = shaderc_result_get_bytes(result);
                Files.createDirectories(target.getParent());
                try (OutputStream os = Files.newOutputStream(target)) {
                    Channels.newChannel(os).write(spv);
                }
                return null;
            } finally {
                shaderc_result_release(result);
            }
        } finally {
            shaderc_compile_options_release(options);
        }
    }
}
