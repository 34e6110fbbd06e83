package org.mlsysworkbench.views.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every command of the window, by id. The {@code ?} overlay, the command palette and the key bindings are
 * generated from this list at run time, never kept by hand. Not thread-safe: FX thread only.
 */
public final class CommandRegistry {

    private final Map<String, WorkbenchCommand> commands = new LinkedHashMap<>();

    /** Adds a command; an id or shortcut used twice is a programming error. */
    public WorkbenchCommand register(String id, String title, String shortcut, Runnable action) {
        WorkbenchCommand c = new WorkbenchCommand(id, title, shortcut, action);
        if (commands.containsKey(id)) {
            throw new IllegalArgumentException("command registered twice: " + id);
        }
        if (!c.shortcut().isEmpty()) {
            for (WorkbenchCommand other : commands.values()) {
                if (other.shortcut().equalsIgnoreCase(c.shortcut())) {
                    throw new IllegalArgumentException(id + " reuses the shortcut " + c.shortcut() + " of "
                            + other.id());
                }
            }
        }
        commands.put(id, c);
        return c;
    }

    public List<WorkbenchCommand> all() {
        return List.copyOf(commands.values());
    }

    /** The commands that have a shortcut, in registration order: what the {@code ?} overlay lists. */
    public List<WorkbenchCommand> withShortcuts() {
        List<WorkbenchCommand> list = new ArrayList<>();
        for (WorkbenchCommand c : commands.values()) {
            if (!c.shortcut().isEmpty()) {
                list.add(c);
            }
        }
        return list;
    }

    public Optional<WorkbenchCommand> find(String id) {
        return Optional.ofNullable(commands.get(id));
    }

    /** Runs the command {@code id}. */
    public void execute(String id) {
        WorkbenchCommand c = commands.get(id);
        if (c == null) {
            throw new IllegalArgumentException("no command '" + id + "'; known: " + commands.keySet());
        }
        c.action().run();
    }

    /** Commands whose title or id contains every word of {@code query} (case-insensitive): the palette. */
    public List<WorkbenchCommand> search(String query) {
        String[] words = query.toLowerCase(Locale.ROOT).trim().split("\\s+");
        List<WorkbenchCommand> hits = new ArrayList<>();
        for (WorkbenchCommand c : commands.values()) {
            String hay = (c.title() + " " + c.id()).toLowerCase(Locale.ROOT);
            boolean all = true;
            for (String w : words) {
                if (!w.isEmpty() && !hay.contains(w)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                hits.add(c);
            }
        }
        return hits;
    }
}
