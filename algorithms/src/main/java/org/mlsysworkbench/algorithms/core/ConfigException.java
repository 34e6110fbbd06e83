package org.mlsysworkbench.algorithms.core;

/** A config value or input file that is not what the experiment expects; the message names the field. */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public ConfigException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    public ConfigException(String field, String problem, Throwable cause) {
        super(field + ": " + problem, cause);
        this.field = field;
    }

    /** The config field, file or {@code file:line} the message is about. */
    public String field() {
        return field;
    }

    /** Throws unless {@code ok}; a one-line guard for validate() methods. */
    public static void require(boolean ok, String field, String expected) {
        if (!ok) {
            throw new ConfigException(field, "expected " + expected);
        }
    }
}
