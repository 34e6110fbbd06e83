package org.mlsysworkbench.app.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.mlsysworkbench.algorithms.core.ProgressListener;

/** A one-line progress bar on stderr, redrawn at most 10 times a second. */
final class ConsoleProgress implements ProgressListener {

    private final PrintWriter err;
    private final boolean quiet;
    private long lastDrawNanos;
    private boolean drawn;

    ConsoleProgress(PrintWriter err, boolean quiet) {
        this.err = err;
        this.quiet = quiet;
    }

    @Override
    public synchronized void progress(double fraction, String message) {
        if (quiet) {
            return;
        }
        long now = System.nanoTime();
        if (fraction < 1 && now - lastDrawNanos < 100_000_000L) {
            return;
        }
        lastDrawNanos = now;
        int width = 30;
        int filled = fraction < 0 ? 0 : (int) Math.round(Math.min(1, fraction) * width);
        String pct = fraction < 0 ? "  ?%" : String.format(Locale.ROOT, "%3.0f%%", 100 * Math.min(1, fraction));
        String msg = message == null ? "" : message;
        if (msg.length() > 40) {
            msg = msg.substring(0, 40);
        }
        err.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + pct + " " + msg
                + " ".repeat(Math.max(0, 40 - msg.length())));
        err.flush();
        drawn = true;
    }

    /** Ends the bar's line. */
    synchronized void finish() {
        if (drawn) {
            err.println();
        }
    }
}
