package org.omamori.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.omamori.engine.appid.AppIdEngine;
import org.omamori.engine.appid.ndpi.Ndpi;
import org.omamori.engine.ips.CompiledRules;
import org.omamori.engine.ips.IpsEngine;
import org.omamori.engine.ips.IpsSettings;
import org.omamori.engine.ips.RuleSetReport;
import org.omamori.engine.ips.RuleSetSource;
import org.omamori.engine.ips.RuleSets;
import org.omamori.engine.ips.rules.Classtypes;
import org.omamori.engine.ips.rules.ThresholdConfigParser;
import org.omamori.engine.ips.rules.Variables;
import org.omamori.engine.urlfilter.CategoryLists;
import org.omamori.engine.urlfilter.UrlFilter;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventCodec;
import org.omamori.events.EventSink;
import org.omamori.ids.HomeNet;
import org.omamori.ids.Replay;
import org.omamori.ids.ReplayLimits;
import org.omamori.ids.ReplaySummary;
import org.omamori.ids.capture.CaptureException;
import org.omamori.ids.capture.CaptureReader;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "ids", mixinStandardHelpOptions = true, description = "Offline intrusion detection on packet captures.",
        subcommands = {IdsCommand.ReplayCapture.class})
final class IdsCommand {

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = {"Replays a capture (pcap or pcapng) through the appliance's engines (IPS, URL filter and,",
                    "when libndpi is installed, application identification):",
                    "TCP connections are reassembled and their HTTP/1.x exchanges inspected as the proxy would",
                    "(responses read as a browser reads them; what the proxy would refuse is reported as an evasion),",
                    "TLS ClientHellos by server name, DNS queries over UDP and TCP as the DNS filter would;",
                    "every rule that matches alerts; each connection's application is an access-log event (--events).",
                    "Progress on stderr, summary on stdout.",
                    "Exit code 0: no threat events; 1: threat events found; 2: bad usage, rules, threshold file or lists;",
                    "3: the file is unreadable or not a capture; 4: the capture is truncated or corrupt",
                    "(what was read before the damage is still inspected and summarised)."})
    static final class ReplayCapture implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "FILE", description = "The capture: pcap or pcapng, from tcpdump, Wireshark, ...")
        Path capture;

        @Option(names = "--rules", paramLabel = "FILE", description = "IPS rule files or folders of *.rules"
                + " (repeatable; default: the project rules, engines/ips-hyperscan/rules).")
        List<Path> rules;

        @Option(names = "--threshold-file", paramLabel = "FILE", description = {"Suricata's global threshold.config for the IPS",
                "(suppress, threshold/event_filter, rate_filter); a bad line fails with its file and line (exit 2)."})
        Path thresholdFile;

        @Mixin
        UrlCommand.ListOptions lists = new UrlCommand.ListOptions();

        @Option(names = "--events", paramLabel = "FILE",
                description = "Also write every event as one JSON line (the uplink's event format) to FILE.")
        Path eventsFile;

        @Option(names = "--home-net", paramLabel = "CIDR",
                description = "The LAN's addresses, e.g. 192.168.1.0/24,fd00::/8: hosts inside are zone lan, others wan,"
                        + " and the IPS's HOME_NET is set to them (default: clients lan, servers wan; HOME_NET the private ranges).")
        String homeNet;

        @Option(names = "--access-log", description = "Also make access-log events for requests the URL filter let through clean.")
        boolean accessLog;

        @Option(names = "--no-midstream", description = {"Leave alone TCP connections whose handshake the capture does not hold",
                "(Suricata's stream.midstream: false); by default they are picked up and inspected."})
        boolean noMidstream;

        @Option(names = "--max-flows", paramLabel = "N", defaultValue = "50000",
                description = "TCP connections tracked at once; beyond, the least recently active is closed (default ${DEFAULT-VALUE}).")
        int maxFlows;

        @Option(names = "--appliance", paramLabel = "ID", defaultValue = "000000000000",
                description = "The appliance id written into events (12 hex digits, default ${DEFAULT-VALUE}).")
        String appliance;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Replay.Options options = options();

            long size;
            InputStream in;
            CaptureReader reader;
            try {
                size = Files.size(capture);
                in = new BufferedInputStream(Files.newInputStream(capture), 1 << 20);
            } catch (NoSuchFileException e) {
                err.println("omamori ids replay: no such file: " + capture);
                return 3;
            } catch (IOException e) {
                err.println("omamori ids replay: cannot read " + capture + ": " + e.getMessage());
                return 3;
            }
            try {
                reader = CaptureReader.open(in);
            } catch (CaptureException e) {
                close(in);
                err.println("omamori ids replay: " + capture + ": " + e.getMessage());
                return e.problem() == CaptureException.Problem.NOT_A_CAPTURE ? 3 : 4;
            } catch (IOException e) {
                close(in);
                err.println("omamori ids replay: cannot read " + capture + ": " + e.getMessage());
                return 3;
            }

            try (reader; Engines engines = Engines.load(rules, thresholdFile, options.homeNet(), lists, err)) {
                if (engines == null) {
                    return 2;
                }
                EventFile events;
                try {
                    events = EventFile.open(eventsFile);
                } catch (IOException e) {
                    err.println("omamori ids replay: cannot write the events to " + eventsFile + ": "
                            + (e instanceof NoSuchFileException ? "no such folder" : e.getMessage()));
                    return 2;
                }
                try (events) {
                    return replay(engines, options, reader, size, out, err, events);
                } catch (UncheckedIOException e) {
                    err.println("\nomamori ids replay: cannot write the events to " + eventsFile + ": " + e.getCause().getMessage());
                    return 2;
                }
            } catch (IOException e) {
                err.println("\nomamori ids replay: cannot read " + capture + ": " + e.getMessage());
                return 3;
            }
        }

        private int replay(Engines engines, Replay.Options options, CaptureReader reader, long size, PrintWriter out,
                           PrintWriter err, EventFile events) throws IOException {
            long started = System.nanoTime();
            Progress progress = new Progress(err, size);
            ReplaySummary summary = new Replay(engines.pipeline, options, events).run(reader, progress);
            progress.clear();
            double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
            summary.print(out);
            out.printf("所要時間 / took %.1f s (%,.0f packets/s, %.1f MB/s)%n", seconds, summary.packets() / seconds,
                    reader.offset() / seconds / 1e6);
            out.flush();
            if (summary.error().isPresent()) {
                err.println("omamori ids replay: " + capture + ": " + summary.error().get().getMessage());
                err.println("  the summary covers the packets before that point; the file may have been cut"
                        + " while being written or copied.");
                return 4;
            }
            return summary.threatEvents() > 0 ? 1 : 0;
        }

        private Replay.Options options() {
            try {
                Optional<HomeNet> home = homeNet == null ? Optional.empty() : Optional.of(HomeNet.parse(homeNet));
                ReplayLimits limits = ReplayLimits.DEFAULTS.withMaxFlows(maxFlows);
                return new Replay.Options(home, limits, accessLog, ApplianceId.parse(appliance), !noMidstream);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "omamori ids replay: " + e.getMessage());
            }
        }

        private static void close(InputStream in) {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing was read
            }
        }
    }

    /**
     * The appliance's engines on the class path: the IPS with its rules, the URL filter with its
     * lists, and application identification when nDPI is on this machine (otherwise said once).
     */
    private static final class Engines implements AutoCloseable {
        final InspectionPipeline pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
        final IpsEngine ips = new IpsEngine("cli", IpsSettings.DEFAULTS);
        final UrlFilter urls = new UrlFilter("cli");
        Ndpi ndpi;

        /** Loads both engines, or says why not and returns null. */
        static Engines load(List<Path> rules, Path thresholdFile, Optional<HomeNet> homeNet, UrlCommand.ListOptions lists,
                            PrintWriter err) {
            Engines e = new Engines();
            List<Path> files = rules == null || rules.isEmpty() ? List.of(ApplianceHome.projectRules()) : rules;
            Variables variables = homeNet.map(h -> Variables.defaults().withAddress("HOME_NET", h.asRuleGroup()))
                    .orElse(Variables.defaults());
            for (Path f : files) {
                if (!Files.exists(f)) {
                    err.println("omamori ids replay: no such rule file or folder: " + f);
                    e.close();
                    return null;
                }
            }
            List<Path> thresholds = thresholdFile == null ? List.of() : List.of(thresholdFile);
            try {
                RuleSets.readThresholds(thresholds, variables); // its own message before the rules are compiled
            } catch (NoSuchFileException x) {
                err.println("omamori ids replay: no such threshold file: " + thresholdFile);
                e.close();
                return null;
            } catch (IOException | ThresholdConfigParser.Invalid x) {
                err.println("omamori ids replay: threshold file not loaded: " + x.getMessage());
                e.close();
                return null;
            }
            Exception[] failure = new Exception[1];
            RuleSetSource source = new RuleSetSource() {
                @Override
                public CompiledRules compile(IpsSettings settings) throws Exception {
                    try {
                        return RuleSets.compile(files, thresholds, variables, Classtypes.standard(), settings, n -> { });
                    } catch (Exception x) {
                        failure[0] = x;
                        throw x;
                    }
                }

                @Override
                public String toString() {
                    return files.toString();
                }
            };
            err.print("IPS rules: compiling " + files + " ...");
            err.flush();
            if (!e.ips.loadNow(source, IpsSettings.DEFAULTS)) {
                err.println("\romamori ids replay: IPS rules not loaded from " + files + ": "
                        + (failure[0] == null ? "see the log above" : failure[0].getMessage()));
                e.close();
                return null;
            }
            RuleSetReport report = e.ips.report();
            err.printf("\rIPS rules: %,d loaded, %,d skipped, %,d failed (details: ./omamori ips check)%n",
                    report.loaded(), report.skipped(), report.errors().size());
            e.ips.thresholdNotes().forEach(n -> err.println("threshold file: " + n));
            try {
                CategoryLists loadedLists = lists.load(err);
                e.urls.swapIn(loadedLists);
            } catch (IOException x) {
                err.println("omamori ids replay: cannot read the lists in " + lists.directory() + ": " + x.getMessage());
                e.close();
                return null;
            }
            e.pipeline.addEngine(e.ips);
            e.pipeline.addEngine(e.urls.asEngine());
            Optional<String> noNdpi = Ndpi.unavailable();
            if (noNdpi.isPresent()) {
                err.println("アプリケーション識別なし / application identification off: " + noNdpi.get());
            } else {
                e.ndpi = Ndpi.open(1); // the replay inspects on one thread
                e.pipeline.addEngine(new AppIdEngine("cli", e.ndpi));
            }
            return e;
        }

        @Override
        public void close() {
            pipeline.close();
            ips.close();
            urls.close();
            if (ndpi != null) {
                ndpi.close();
            }
        }
    }

    /** Events as JSON lines, or nowhere. */
    private static final class EventFile implements EventSink, AutoCloseable {
        private final OutputStream out;

        private EventFile(OutputStream out) {
            this.out = out;
        }

        static EventFile open(Path file) throws IOException {
            return new EventFile(file == null ? null : new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
        }

        @Override
        public void publish(List<Event> events) {
            if (out == null) {
                return;
            }
            try {
                for (Event e : events) {
                    out.write(EventCodec.toJson(e));
                    out.write('\n');
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            if (out != null) {
                out.close();
            }
        }
    }

    /** One line on stderr, redrawn at most twice a second. */
    private static final class Progress implements org.omamori.ids.ReplayProgress {
        private final PrintWriter err;
        private final long size;
        private long shown;

        Progress(PrintWriter err, long size) {
            this.err = err;
            this.size = size;
        }

        @Override
        public void update(long packets, long bytesRead) {
            long now = System.nanoTime();
            if (now - shown < 500_000_000L) {
                return;
            }
            shown = now;
            err.printf("\r再生中 / replaying: %,d packets, %,.1f of %,.1f MB (%d%%)   ", packets, bytesRead / 1e6, size / 1e6,
                    size == 0 ? 100 : Math.min(100, bytesRead * 100 / size)).flush();
        }

        void clear() {
            if (shown != 0) {
                err.print("\r" + " ".repeat(78) + "\r");
                err.flush();
            }
        }
    }
}
