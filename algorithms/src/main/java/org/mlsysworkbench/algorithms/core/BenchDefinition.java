package org.mlsysworkbench.algorithms.core;

import java.util.List;

/**
 * The headless half of a bench: what the CLI's {@code run <id>} and the GUI page share.
 * The GUI half (the page) lives in {@code views}; {@code app} pairs them by {@link #id()}.
 *
 * @param id          stable bench id used on the command line ({@code attention}, {@code trace}, ...)
 * @param title       display name
 * @param summary     one sentence for the Home gallery and {@code list}
 * @param configType  the config record class, for JSON (de)serialisation
 * @param defaults    the config used when none is given
 * @param experiment  the experiment; stateless
 * @param examples    names of example configs shipped under {@code samples/<id>/<name>.json}
 */
public record BenchDefinition<C extends ExperimentConfig, R>(String id, String title, String summary,
                                                            Class<C> configType, C defaults,
                                                            Experiment<C, R> experiment, List<String> examples) {

    public BenchDefinition {
        examples = List.copyOf(examples);
        if (!id.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("bench id must be lower-case: " + id);
        }
    }

    /** Parses and validates a config of this bench; errors name {@code source}. */
    public C parseConfig(String json, String source) {
        return Json.readConfig(json, configType, source);
    }
}
