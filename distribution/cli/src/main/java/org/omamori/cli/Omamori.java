package org.omamori.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./omamori} command line: what operators, scripts and monitoring call. */
@Command(name = "omamori", mixinStandardHelpOptions = true, versionProvider = Omamori.Version.class,
        description = "Omamori managed security appliance and tools.",
        subcommands = {DemoCommand.class, ApplianceCommand.class, CloudCommand.class, PortalCommand.class, BillingCommand.class, ContractCommand.class, InvoiceCommand.class, ReportCommand.class, DistCommand.class, DeskCommand.class, NoticeCommand.class, RmaCommand.class, DefinitionsCommand.class, InsuranceCommand.class, EditionsCommand.class, EnginesCommand.class, UrlCommand.class, IpsCommand.class, AvCommand.class,
                IdsCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:a URL was blocked (url check) or the command failed",
                "2:bad usage or unreadable input", "3:the appliance is not running", "4:the appliance refused the admin token"})
public final class Omamori {

    public static void main(String[] args) {
        // Library logging goes to stderr and stays quiet unless something is wrong.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("omamori.log", "warn"));
        // Flyway warns that H2 is newer than it was verified with: true, known, and no news to an operator.
        System.setProperty("org.slf4j.simpleLogger.log.org.flywaydb", System.getProperty("omamori.log", "error"));
        quietPlatformLogging(System.getProperty("omamori.log", "warn"));
        System.exit(new CommandLine(new Omamori()).setUsageHelpAutoWidth(true).execute(args));
    }

    /**
     * The same for code that logs through {@code System.Logger} (the clamd client; the JDK's own):
     * its default backend, java.util.logging, prints INFO in two lines of its own format, which
     * broke into the demo's tables. One line as slf4j-simple writes it, at the level of {@code omamori.log}.
     */
    static void quietPlatformLogging(String level) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s %3$s - %5$s%6$s%n");
        java.util.logging.Level jul = switch (level.toLowerCase(java.util.Locale.ROOT)) {
            case "trace" -> java.util.logging.Level.FINEST;
            case "debug" -> java.util.logging.Level.FINE;
            case "info" -> java.util.logging.Level.INFO;
            case "error" -> java.util.logging.Level.SEVERE;
            case "off" -> java.util.logging.Level.OFF;
            default -> java.util.logging.Level.WARNING;
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(jul);
        for (java.util.logging.Handler handler : root.getHandlers()) {
            handler.setLevel(jul);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Omamori.class.getPackage().getImplementationVersion();
            return new String[] {"omamori " + (v == null ? "development build" : v)};
        }
    }
}
