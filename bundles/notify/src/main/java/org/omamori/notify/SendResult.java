package org.omamori.notify;

import java.util.List;
import java.util.Objects;

/** How one send went: sent, worth trying again later, or refused for good. */
public sealed interface SendResult {

    /**
     * The server accepted the mail.
     *
     * @param rejected recipients the server refused while accepting the others; empty as a rule
     */
    record Sent(List<String> rejected) implements SendResult {
        public Sent {
            rejected = List.copyOf(rejected);
        }
    }

    /** A temporary failure: a 4xx reply, no connection, a timeout, a TLS or login problem. */
    record Retry(String reason) implements SendResult {
        public Retry {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A permanent failure: a 5xx reply to the mail or to all its recipients. Sending again would fail again. */
    record Refused(String reason) implements SendResult {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
