package org.omamori.monitor.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code org.omamori.monitor} (docs/monitor.md). */
@ObjectClassDefinition(pid = MonitorComponent.PID, name = "Omamori monitor",
        description = "Grading, alert mail, stopped-appliance notices and retention of the cloud.")
public @interface MonitorConfig {

    @AttributeDefinition(description = "Seconds an important alert waits for others to join its mail (000 §4.3.1).")
    int mailWindowSeconds() default 300;

    @AttributeDefinition(description = "Seconds without a heartbeat after which an appliance is stopped (000 §4.3.2).", min = "20")
    int silenceSeconds() default 600;

    @AttributeDefinition(description = "Local time of the daily reminder about still-stopped appliances, HH:mm.")
    String dailyCheck() default "09:00";

    @AttributeDefinition(description = "Time zone of the daily check.")
    String zone() default "Asia/Tokyo";

    @AttributeDefinition(description = "Hours after a stopped notice during which no daily reminder goes.")
    int quietAfterFirstHours() default 6;

    @AttributeDefinition(description = "Days of events and alerts kept.", min = "1")
    int retentionDays() default 90;

    @AttributeDefinition(description = "Seconds between two runs of the alert-mail and liveness jobs.", min = "1")
    int checkSeconds() default 30;

    @AttributeDefinition(description = "Seconds between two runs of the definitions canary check (docs/definitions.md).", min = "1")
    int definitionsCanarySeconds() default 300;

    @AttributeDefinition(description = "Seconds within which a canary's last heartbeat must be for it to count in the canary check.",
            min = "60")
    int definitionsQuietSeconds() default 7200;

    @AttributeDefinition(description = "Seconds the cloud's engines and definitions must stay the same before alerts under"
            + " investigation are judged with them (an engine may still be loading a package just applied).", min = "0")
    int investigationSettleSeconds() default 30;

    @AttributeDefinition(description = "A reseller's star table file (docs/grading.md); empty: the standard table.")
    String starTable() default "";

    @AttributeDefinition(description = "SMTP server; empty: mails stay in the outbox (./omamori cloud outbox).")
    String smtpHost() default "";

    int smtpPort() default 587;

    @AttributeDefinition(description = "REQUIRED, OPTIONAL or OFF.")
    String smtpStarttls() default "REQUIRED";

    String smtpUser() default "";

    @AttributeDefinition(description = "PEM certificates trusted for the SMTP server (its own, or a private CA's), relative"
            + " to the omamori home; empty: the JVM's trust store. The host name is checked either way.")
    String smtpTrust() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "SMTP password; never logged.")
    String _smtpPassword() default "";

    String mailFrom() default "noreply@omamori.example";

    String mailFromName() default "サイバーセキュリティお助け隊";

    @AttributeDefinition(description = "The service's name in mail subjects and bodies.")
    String serviceName() default "サイバーセキュリティお助け隊";

    @AttributeDefinition(description = "Where the customer asks for help, as the mail says it.")
    String desk() default "お助け隊 相談窓口";

    @AttributeDefinition(description = "The portal's address, shown in mails.")
    String portal() default "https://portal.omamori.example/";
}
