package org.omamori.engine.urlfilter;

/** Told how far a long load has come, e.g. to draw a progress line in the CLI. */
@FunctionalInterface
public interface LoadProgress {

    LoadProgress NONE = entries -> { };

    /**
     * Called from the loading thread every {@link CategoryLists#PROGRESS_STEP} entries and once
     * at the end with the final count.
     */
    void entriesLoaded(long entries);
}
