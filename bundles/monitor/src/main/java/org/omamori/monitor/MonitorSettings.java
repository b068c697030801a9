package org.omamori.monitor;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import org.omamori.grading.StarTable;
import org.omamori.notify.Brand;
import org.omamori.notify.LivenessPolicy;
import org.omamori.notify.SmtpSettings;

/**
 * How the cloud monitors (docs/monitor.md).
 *
 * @param stars          the star table grading uses
 * @param mailWindow     how long an alert waits for others to join its mail (default 5 min, 000 §4.3.1)
 * @param liveness       when an appliance counts as stopped and when reminders go (000 §4.3.2)
 * @param retentionDays  days of events and alerts kept (default 90)
 * @param brand          who the mail comes from
 * @param smtp           where mail goes; empty: mails stay in the outbox ({@code ./omamori cloud outbox})
 * @param cachedGraders  customers whose grader stays in memory between batches
 */
public record MonitorSettings(StarTable stars, Duration mailWindow, LivenessPolicy liveness, int retentionDays,
                              Brand brand, Optional<SmtpSettings> smtp, int cachedGraders) {

    public MonitorSettings {
        Objects.requireNonNull(stars, "stars");
        Objects.requireNonNull(mailWindow, "mailWindow");
        Objects.requireNonNull(liveness, "liveness");
        Objects.requireNonNull(brand, "brand");
        Objects.requireNonNull(smtp, "smtp");
        if (mailWindow.isNegative() || mailWindow.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("mailWindow " + mailWindow + " must be between 0 and 1 h");
        }
        if (retentionDays < 1 || retentionDays > 3650) {
            throw new IllegalArgumentException("retentionDays " + retentionDays + " must be 1..3650");
        }
        if (cachedGraders < 0) {
            throw new IllegalArgumentException("cachedGraders must not be negative: " + cachedGraders);
        }
    }

    public static MonitorSettings standard() {
        return new MonitorSettings(StarTable.standard(), Duration.ofMinutes(5), LivenessPolicy.standard(), 90,
                Brand.standard(), Optional.empty(), 10_000);
    }

    public MonitorSettings withMailWindow(Duration window) {
        return new MonitorSettings(stars, window, liveness, retentionDays, brand, smtp, cachedGraders);
    }

    public MonitorSettings withLiveness(LivenessPolicy policy) {
        return new MonitorSettings(stars, mailWindow, policy, retentionDays, brand, smtp, cachedGraders);
    }

    public MonitorSettings withSmtp(SmtpSettings settings) {
        return new MonitorSettings(stars, mailWindow, liveness, retentionDays, brand, Optional.of(settings), cachedGraders);
    }
}
