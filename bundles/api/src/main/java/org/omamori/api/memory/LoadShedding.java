package org.omamori.api.memory;

import java.time.Duration;

/**
 * Whether new work must be refused now because the process is past its memory budget. Intakes ask
 * {@link #shedding()} for every connection or packet they take (a volatile read), refuse it with a
 * clear error while it says so, and report each refusal with {@link #refused}; work that can wait
 * (a definitions install) waits with {@link #awaitAccepting}. The installed guard is
 * {@link Shedding#current()}; it is also an OSGi service of this interface. Thread-safe.
 */
public interface LoadShedding {

    /** Never sheds: what {@link Shedding#current()} gives while no guard is installed. */
    LoadShedding NEVER = new LoadShedding() {
        @Override
        public boolean shedding() {
            return false;
        }

        @Override
        public String reason() {
            return "";
        }

        @Override
        public void refused(String intake) {
            // nothing to count
        }

        @Override
        public boolean awaitAccepting(Duration timeout) {
            return true;
        }
    };

    /** True while new work must be refused. */
    boolean shedding();

    /** Why, in one line for logs (English), e.g. "heap after collection 250 MB of 269 MB (over 90 %)"; empty when not shedding. */
    String reason();

    /** One piece of work refused by an intake ({@code proxy}, {@code dns}, …) while shedding: counted in the guard's metric and log. */
    void refused(String intake);

    /** Waits until not shedding or {@code timeout} has passed; true when work is accepted. */
    boolean awaitAccepting(Duration timeout) throws InterruptedException;
}
