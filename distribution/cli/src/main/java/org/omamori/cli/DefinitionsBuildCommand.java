package org.omamori.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.omamori.definitions.Kind;
import org.omamori.definitions.Pem;
import org.omamori.engine.urlfilter.CategoryLists;
import org.omamori.engine.urlfilter.ListProblem;
import org.omamori.engine.urlfilter.LoadProgress;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ./omamori definitions build urlfilter|ips|av}: a signed package made offline from a real feed (docs/operations.md). */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = {"Builds a signed definitions package offline from a feed already fetched: prints what it holds and how it",
                "differs from the version in force, and refuses one that would empty a category or drop more than half."},
        footer = {"", "Exit codes: 0 written, 1 the cloud store could not be opened, 2 bad usage or an unreadable feed, key or package,",
                "3 refused: the feed would empty a category or drop more than half of what is in force (--force builds it anyway)."})
final class DefinitionsBuildCommand {

    @ParentCommand
    DefinitionsCommand parent;

    @Spec
    CommandSpec spec;

    /** The options every build takes. */
    static final class Common {
        @Option(names = "--key", paramLabel = "PEM", description = "The operator's PRIVATE key (default: ~/.omamori/operator-private.pem; "
                + "never on an appliance).")
        Path key;

        @Option(names = "--out", paramLabel = "DIR|FILE.zip", description = "Where the package and its .sig go (default: the current "
                + "folder, as <kind>-<version>.zip).")
        Path out;

        @Option(names = "--version", paramLabel = "VERSION", description = "The package version (default: year.month.day.hhmmss, UTC); "
                + "must be newer than the version in force.")
        String version;

        @Option(names = "--against", paramLabel = "FILE", description = "Compare with this package (and FILE.sig) instead of the newest "
                + "published in the cloud store of --home.")
        Path against;

        @Option(names = "--first", description = "There is no version in force to compare with (a first package, built where no "
                + "cloud home is at hand).")
        boolean first;

        @Option(names = "--force", description = "Build even when a category would be emptied or more than half would be gone.")
        boolean force;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;
    }

    @Command(name = "urlfilter",
            description = {"From a UT1/squidGuard blacklist (a folder, or its .tar.gz): [blacklists/]<category>/domains and urls.",
                    "Their category names are mapped to ours by --mapping (lines 'theirs = ours'); unmapped ones are left out and listed."})
    int urlfilter(@Mixin Common common,
                  @Option(names = "--from", required = true, paramLabel = "DIR|TARBALL") Path from,
                  @Option(names = "--mapping", required = true, paramLabel = "FILE") Path mappingFile,
                  @Option(names = "--categories", paramLabel = "FILE", description = "Our categories.conf to ship (default: the one "
                          + "in force, if any).") Path categories) {
        return build(Kind.URLFILTER, common, (files, inForce, out) -> {
            CategoryMapping mapping = CategoryMapping.read(mappingFile);
            Path feed = from;
            if (Files.isRegularFile(from)) {
                feed = files.resolveSibling("feed");
                FeedArchive.unpack(from, feed, FeedArchive.Limits.defaults());
            } else if (!Files.isDirectory(from)) {
                throw new IllegalArgumentException("no such feed: " + from);
            }
            Ut1Feed.Result r = Ut1Feed.build(feed, mapping, files, org.omamori.definitions.PackageLimits.defaults().maxUnpackedBytes());
            if (r.taken().isEmpty()) {
                throw new IllegalArgumentException(from + ": no category of the mapping is in the feed");
            }
            Path conf = categories != null ? categories
                    : inForce.map(f -> f.files().resolve("categories.conf")).filter(Files::isRegularFile).orElse(null);
            if (conf != null) {
                Files.copy(conf, files.resolve("categories.conf"));
            }
            r.taken().forEach((ours, theirs) -> out.println("  " + ours + " ← " + String.join(", ", theirs)));
            if (!r.unmapped().isEmpty()) {
                out.println("left out (not in the mapping): " + String.join(", ", r.unmapped()));
            }
            if (!r.mappedButAbsent().isEmpty()) {
                out.println("mapped but not in the feed: " + String.join(", ", r.mappedButAbsent()));
            }
            out.println("categories.conf: " + (conf == null ? "none (the engine's defaults: phishing, malware, c2 block)" : conf));
            CategoryLists lists = CategoryLists.load(files, CategoryLists.DEFAULT_MAX_ENTRIES, LoadProgress.NONE);
            out.println("the URL filter engine loads " + lists.entries() + " entries" + (lists.problemCount() == 0 ? ""
                    : "; it will skip " + lists.problemCount() + " lines, e.g.:"));
            lists.problems().stream().limit(5).map(ListProblem::toString).forEach(p -> out.println("  " + p));
        });
    }

    @Command(name = "ips",
            description = {"From a folder of Suricata rule files (ET Open's rules/*.rules) and the project's own rules, filtered by",
                    "disable.conf, enable.conf and modify.conf in suricata-update's syntax (sid, gid:sid, group:FILE, re:REGEX;",
                    "modify: FILTER \"FROM\" \"TO\"). The package is the appliance's whole rule set."})
    int ips(@Mixin Common common,
            @Option(names = "--from", required = true, paramLabel = "DIR") Path from,
            @Option(names = "--conf", paramLabel = "DIR", description = "Where disable.conf, enable.conf and modify.conf are "
                    + "(each optional; default: the --from folder).") Path conf,
            @Option(names = "--own", paramLabel = "DIR", description = "The project's own rules (default: engines/ips-hyperscan/rules; "
                    + "'none' for none).") String own) {
        return build(Kind.IPS, common, (files, inForce, out) -> {
            Path rules = Files.isDirectory(from.resolve("rules")) ? from.resolve("rules") : from;
            if (!Files.isDirectory(rules)) {
                throw new IllegalArgumentException("no such folder: " + from);
            }
            Path confDir = conf != null ? conf : from;
            List<Path> folders = new java.util.ArrayList<>(List.of(rules));
            if (!"none".equals(own)) {
                folders.add(own != null ? Path.of(own) : ApplianceHome.projectRules());
            }
            SuricataFeed.Result r = SuricataFeed.build(folders, existing(confDir.resolve("disable.conf")),
                    existing(confDir.resolve("enable.conf")), existing(confDir.resolve("modify.conf")), files);
            out.println("read " + r.rules() + " rules from " + r.files() + " files; " + r.enabled() + " enabled (disable.conf turned off "
                    + r.disabledByConf() + ", enable.conf on " + r.enabledByConf() + ", modify.conf changed " + r.modified() + "); "
                    + r.duplicates() + " duplicate sids, " + r.unreadable() + " lines that are not rules");
            r.notes().forEach(n -> out.println("  " + n));
            if (r.enabled() == 0) {
                throw new IllegalArgumentException("no rule is enabled");
            }
        });
    }

    @Command(name = "av",
            description = {"From ClamAV databases as freshclam leaves them (main/daily/bytecode .cvd, .cld, .cud) and the project's",
                    "own signature files; each database's header is checked (version, signature count, a .cvd's MD5)."})
    int av(@Mixin Common common,
           @Option(names = "--from", required = true, paramLabel = "DIR", description = "freshclam's DatabaseDirectory (e.g. /var/lib/clamav).")
           Path from,
           @Option(names = "--own", paramLabel = "DIR", description = "The project's own signatures (default: engines/av-clamav/signatures).")
           Path own,
           @Option(names = "--databases", paramLabel = "NAME,…", split = ",", description = "Only these databases (e.g. daily,bytecode; "
                   + "default: all).") List<String> only) {
        return build(Kind.AV, common, (files, inForce, out) -> {
            ClamavFeed.Result r = ClamavFeed.build(from, own != null ? own : ApplianceHome.root().resolve("engines/av-clamav/signatures"),
                    only == null ? Set.of() : Set.copyOf(only), files);
            if (!r.leftOut().isEmpty()) {
                out.println("left out: " + String.join(", ", r.leftOut()));
            }
        });
    }

    @FunctionalInterface
    interface Feed {
        void make(Path files, Optional<DefinitionsBuild.InForce> inForce, PrintWriter out) throws IOException;
    }

    private static Optional<Path> existing(Path p) {
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    private int build(Kind kind, Common common, Feed feed) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path scratch = null;
        try {
            PrivateKey key = DefinitionsBuild.privateKey(common.key, out);
            scratch = Files.createTempDirectory("omamori-build");
            if (common.first && common.against != null) {
                throw new IllegalArgumentException("--first and --against exclude each other");
            }
            Optional<DefinitionsBuild.InForce> inForce = common.first ? Optional.empty()
                    : DefinitionsBuild.inForce(kind, common.against, parent.home, Pem.publicOf(key), scratch);
            Path files = scratch.resolve("files");
            Files.createDirectories(files);
            feed.make(files, inForce, out);
            return DefinitionsBuild.finish(kind, files, inForce, common.version, common.force, key, common.out, out);
        } catch (IllegalArgumentException | IOException e) {
            out.flush();
            err.println("omamori definitions build " + kind + ": " + e.getMessage());
            return 2;
        } catch (IllegalStateException e) {
            out.flush();
            err.println("omamori definitions build " + kind + ": " + e.getMessage());
            return 1;
        } finally {
            out.flush();
            if (scratch != null) {
                try {
                    DefinitionsBuild.delete(scratch);
                } catch (IOException e) {
                    err.println("omamori definitions build: scratch folder " + scratch + " not removed: " + e.getMessage());
                }
            }
        }
    }
}
