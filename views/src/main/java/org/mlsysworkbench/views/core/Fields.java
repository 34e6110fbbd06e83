package org.mlsysworkbench.views.core;

import java.util.ArrayList;
import java.util.List;
import org.mlsysworkbench.algorithms.core.ConfigException;

/** Parsing of what a user typed into config fields; errors name the field and what was expected. */
public final class Fields {

    private Fields() {
    }

    public static int parseInt(String field, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw new ConfigException(field, "a whole number, got '" + text + "'");
        }
    }

    public static long parseLong(String field, String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw new ConfigException(field, "an integer, got '" + text + "'");
        }
    }

    public static double parseDouble(String field, String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw new ConfigException(field, "a number, got '" + text + "'");
        }
    }

    /** Comma- or space-separated whole numbers. */
    public static List<Integer> parseInts(String field, String text) {
        List<Integer> out = new ArrayList<>();
        for (String p : (text == null ? "" : text).split("[,\\s]+")) {
            if (!p.isBlank()) {
                try {
                    out.add(Integer.parseInt(p.trim()));
                } catch (NumberFormatException e) {
                    throw new ConfigException(field, "comma-separated whole numbers, got '" + p + "'");
                }
            }
        }
        return out;
    }

    /** The values joined as the fields show them. */
    public static String join(List<?> values) {
        return String.join(", ", values.stream().map(String::valueOf).toList());
    }
}
