package org.omamori.notify;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A fault of the service as its notice needs it (000 §9.2–9.3). The operator confirms a fault
 * before any customer hears of it; only levels A and B are ever mailed.
 *
 * @param level     how bad it is for customers
 * @param component what failed
 * @param since     when it was first detected
 * @param recovered when it ended; empty while it lasts (the notice), present for the recovery mail
 * @param appliance the appliance concerned, for a fault of one appliance (level B)
 */
public record Fault(Level level, Component component, Instant since, Optional<Instant> recovered,
                    Optional<ApplianceRef> appliance) {

    /** The failure levels of 000 §9.2, with what §9.3 says about telling the customer. */
    public enum Level {
        /** The main function cannot be provided, e.g. abnormal traffic is not notified. */
        A("本サービスの主たる機能の提供ができない障害"),
        /** An appliance fault stops the service for some devices. */
        B("UTM 装置の故障により一部の機器においてサービス提供ができない障害"),
        /** The service works and customers are not affected: logged, never mailed. */
        Z("本サービスの機能の提供はでき、お客様への影響がない障害");

        private final String meaningJa;

        Level(String meaningJa) {
            this.meaningJa = meaningJa;
        }

        /** A and B: the customer administrators are told once the operator confirmed the fault (000 §9.3). */
        public boolean notifiesCustomers() {
            return this != Z;
        }

        public String meaningJa() {
            return meaningJa;
        }

        /** The worse of two levels: A over B over Z. */
        public Level worse(Level other) {
            return ordinal() <= other.ordinal() ? this : other;
        }
    }

    /** What failed: each tells the customer something different about what they may notice. */
    public enum Component {
        DATABASE, MAIL, SCHEDULER, INGEST, APPLIANCE
    }

    public Fault {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(recovered, "recovered");
        Objects.requireNonNull(appliance, "appliance");
        if (component == Component.APPLIANCE && appliance.isEmpty()) {
            throw new IllegalArgumentException("an appliance fault names its appliance");
        }
    }

    /** The same fault, ended at {@code at}. */
    public Fault recoveredAt(Instant at) {
        return new Fault(level, component, since, Optional.of(at), appliance);
    }
}
