package org.mlsysworkbench.render.nerf;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A latest-wins mailbox between a render thread and the UI: {@link #post} replaces any unread item, an item older
 * than the newest generation already posted is dropped, and {@link #takeLatest} empties the box. Thread-safe.
 *
 * @param <T> the item, stamped with a generation by the caller
 */
public final class FrameMailbox<T> {

    private record Stamped<T>(long generation, T item) {
    }

    private final AtomicReference<Stamped<T>> slot = new AtomicReference<>();
    private volatile long newest = Long.MIN_VALUE;
    private long dropped;

    /**
     * Offers an item; returns false (and drops it) when an item of a newer generation was posted before.
     */
    public synchronized boolean post(long generation, T item) {
        if (generation < newest) {
            dropped++;
            return false;
        }
        newest = generation;
        if (slot.getAndSet(new Stamped<>(generation, item)) != null) {
            dropped++;
        }
        return true;
    }

    /** The newest unread item, or null; the box is empty afterwards. */
    public T takeLatest() {
        Stamped<T> s = slot.getAndSet(null);
        return s == null ? null : s.item();
    }

    /** Items replaced before anyone read them, or refused as stale. */
    public synchronized long dropped() {
        return dropped;
    }
}
