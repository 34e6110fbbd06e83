package org.mlsysworkbench.algorithms.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The one JSON mapper of the app: configs, workspaces, env.json. Unknown fields fail (a typo in a
 * config must not be silently ignored); output is indented with keys in declaration order.
 *
 * <p>A config file may name a {@code "parent"} (a path relative to the file) and list only the values
 * it changes; {@link #readConfig} merges the chain, child over parent.
 */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static void write(Path file, Object value) throws IOException {
        Files.writeString(file, write(value), StandardCharsets.UTF_8);
    }

    /** Parses text as {@code type}; a bad document gives a {@link ConfigException} naming {@code source}. */
    public static <T> T read(String text, Class<T> type, String source) {
        try {
            return MAPPER.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source, describe(e), e);
        }
    }

    /** Reads a config file, following its {@code "parent"} chain, and validates it. */
    public static <T extends ExperimentConfig> T readConfig(Path file, Class<T> type) {
        ObjectNode merged = readTree(file, 0);
        T config;
        try {
            config = MAPPER.treeToValue(merged, type);
        } catch (JsonProcessingException e) {
            throw new ConfigException(file.toString(), describe(e), e);
        }
        try {
            config.validate();
        } catch (ConfigException e) {
            throw new ConfigException(file + ": " + e.field(), e.getMessage().substring(e.field().length() + 2), e);
        }
        return config;
    }

    /** Parses a config from text and validates it; {@code source} names it in errors. */
    public static <T extends ExperimentConfig> T readConfig(String text, Class<T> type, String source) {
        T config = read(text, type, source);
        config.validate();
        return config;
    }

    private static ObjectNode readTree(Path file, int depth) {
        if (depth > 8) {
            throw new ConfigException(file.toString(), "parent chain deeper than 8 (a cycle?)");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), "file not found");
        } catch (JsonProcessingException e) {
            throw new ConfigException(file.toString(), describe(e), e);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot read: " + e.getMessage(), e);
        }
        if (!(node instanceof ObjectNode obj)) {
            throw new ConfigException(file.toString(), "expected a JSON object");
        }
        JsonNode parent = obj.remove("parent");
        if (parent == null) {
            return obj;
        }
        Path parentFile = file.toAbsolutePath().getParent().resolve(parent.asText());
        ObjectNode base = readTree(parentFile, depth + 1);
        base.setAll(obj);
        return base;
    }

    /** One line: where in the document and what was wrong. */
    static String describe(JsonProcessingException e) {
        String msg = e.getOriginalMessage();
        int cut = msg.indexOf(" (class ");
        if (cut > 0) {
            msg = msg.substring(0, cut);
        }
        var loc = e.getLocation();
        String where = loc == null ? "" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": ";
        String path = "";
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder sb = new StringBuilder("field '");
            for (var ref : m.getPath()) {
                if (ref.getFieldName() != null) {
                    if (sb.length() > 7) {
                        sb.append('.');
                    }
                    sb.append(ref.getFieldName());
                } else {
                    sb.append('[').append(ref.getIndex()).append(']');
                }
            }
            path = sb.append("': ").toString();
        }
        return where + path + msg.replace('\n', ' ');
    }
}
