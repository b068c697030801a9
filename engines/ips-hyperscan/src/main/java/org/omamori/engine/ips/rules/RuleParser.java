package org.omamori.engine.ips.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

import org.omamori.engine.ips.rules.OptionValues.Option;
import org.omamori.engine.ips.rules.RuleDraft.ContentDraft;
import org.omamori.engine.ips.rules.RuleDraft.PcreDraft;
import org.omamori.engine.ips.rules.RuleDraft.ProbeDraft;

import static org.omamori.engine.ips.rules.Keywords.IGNORED;
import static org.omamori.engine.ips.rules.Keywords.MODIFIERS;
import static org.omamori.engine.ips.rules.Keywords.STICKY;
import static org.omamori.engine.ips.rules.Keywords.isKnown;
import static org.omamori.engine.ips.rules.Keywords.knownUnsupported;
import static org.omamori.engine.ips.rules.OptionValues.*;
import static org.omamori.engine.ips.rules.FlowOptions.flow;
import static org.omamori.engine.ips.rules.FlowOptions.flowbit;

/**
 * Parses one rule in the Suricata/Snort syntax:
 * {@code action protocol src sport -> dst dport (option; option:value; ...)}.
 *
 * <p>Three outcomes. A rule that uses only what the engine supports is {@link ParseOutcome.Parsed}.
 * A valid rule that uses anything else that changes what matches or what alerts (byte_test,
 * threshold, an unsupported buffer, protocol or pcre flag, …) is {@link ParseOutcome.Skipped} under
 * the first such keyword, never half understood. A rule that is not valid at all throws
 * {@link RuleParseException} saying why; the parser throws nothing else for any input text.
 *
 * <p>Options accepted but ignored because they change neither matching nor alerting:
 * {@code gid} (we use sid alone), {@code target} (only labels which side is the victim in
 * output), {@code tag} (asks for more packets to be logged; we do not log packets),
 * {@code rawbytes} (a Snort leftover Suricata ignores), {@code prefilter} (a hint which match to
 * pre-filter on; the engine chooses its own).
 *
 * <p>{@code file.data}/{@code file_data} is the body going the rule's way: the response body,
 * or the request body on a {@code to_server} rule (uploads), as in Suricata 6 and later.
 *
 * <p>Bounded for hostile input: a rule of at most {@value #MAX_RULE_LENGTH} characters, at most
 * {@value #MAX_OPTIONS} options, contents of at most {@value #MAX_CONTENT_LENGTH} bytes, address
 * and port lists nested at most {@value GroupParser#MAX_DEPTH} deep. All scanning is by hand,
 * linear in the text; no regular expression is used.
 *
 * <p>Thread-safe.
 */
public final class RuleParser {

    public static final int MAX_RULE_LENGTH = 64 * 1024;
    public static final int MAX_OPTIONS = 256;
    public static final int MAX_CONTENT_LENGTH = 64 * 1024;

    private final Variables variables;
    private final AddressParser addresses;
    private final PortParser ports;
    /**
     * The metadata texts read so far, each kept once: ET repeats a few thousand keys and values
     * (dates, severities, products) over ~10 entries a rule, and a load holds every parsed rule
     * while it compiles beside the set in force (issue 18: ~530,000 strings, 35 MB, at each
     * definitions update). One parser is one load.
     */
    private final Map<String, String> texts = new ConcurrentHashMap<>();

    public RuleParser(Variables variables) {
        this.variables = Objects.requireNonNull(variables, "variables");
        this.addresses = new AddressParser(variables);
        this.ports = new PortParser(variables);
    }

    public Variables variables() {
        return variables;
    }

    /**
     * Parses one rule, already joined from its continuation lines and without its comment mark.
     *
     * @param ruleText the rule
     * @param file     where it was read, for messages and {@link Rule#origin()}
     * @param line     the 1-based line it starts on
     * @throws RuleParseException the text is not a valid rule; says where and why
     */
    public ParseOutcome parse(String ruleText, String file, int line) throws RuleParseException {
        Objects.requireNonNull(ruleText, "ruleText");
        try {
            return parse(ruleText, new Rule.Origin(Objects.requireNonNull(file, "file"), line));
        } catch (RuleSyntaxError e) {
            throw new RuleParseException(file, line, e.getMessage());
        }
    }

    /**
     * Parses an address field ({@code [$HOME_NET,!192.0.2.0/24]}) with these variables, as the
     * rule header would: for configuration checks and for fuzzing the address syntax alone.
     */
    public AddressSpec address(String field) throws RuleParseException {
        try {
            synchronized (addresses) {
                return addresses.spec(field);
            }
        } catch (RuleSyntaxError | UnsupportedFeature e) {
            throw new RuleParseException("address", 0, e.getMessage());
        }
    }

    /** Parses a port field ({@code [$HTTP_PORTS,1024:]}) with these variables. */
    public PortSpec port(String field) throws RuleParseException {
        try {
            synchronized (ports) {
                return ports.spec(field);
            }
        } catch (RuleSyntaxError | UnsupportedFeature e) {
            throw new RuleParseException("port", 0, e.getMessage());
        }
    }

    private ParseOutcome parse(String text, Rule.Origin origin) throws RuleSyntaxError {
        if (text.length() > MAX_RULE_LENGTH) {
            throw new RuleSyntaxError("rule longer than " + MAX_RULE_LENGTH + " characters");
        }
        String rule = text.strip();
        if (rule.isEmpty()) {
            throw new RuleSyntaxError("empty rule");
        }
        int open = rule.indexOf('(');
        if (open < 0) {
            throw new RuleSyntaxError("missing '(' before the options");
        }
        if (rule.charAt(rule.length() - 1) != ')') {
            throw new RuleSyntaxError("rule does not end with ')'");
        }
        RuleDraft d = new RuleDraft(origin);
        header(rule.substring(0, open), d);
        List<Option> options = options(rule.substring(open + 1, rule.length() - 1));
        for (Option o : options) {
            if (d.skip == null) {
                try {
                    option(o, d);
                } catch (UnsupportedFeature e) {
                    d.skip = e;
                }
            } else {
                identityOnly(o, d);
            }
        }
        if (d.sid < 0) {
            throw new RuleSyntaxError("missing sid");
        }
        if (d.skip != null) {
            return new ParseOutcome.Skipped(d.skip.keyword(), "sid " + d.sid + ": " + d.skip.getMessage());
        }
        return new ParseOutcome.Parsed(d.build());
    }

    // ---- header ------------------------------------------------------------------------------

    private void header(String header, RuleDraft d) throws RuleSyntaxError {
        List<String> f = headerFields(header);
        if (f.size() != 7) {
            throw new RuleSyntaxError("header needs 7 fields (action protocol source port direction destination port), found "
                    + f.size() + ": '" + GroupParser.clip(header.strip()) + "'");
        }
        String action = f.get(0);
        switch (action) {
            case "alert" -> d.action = RuleAction.ALERT;
            case "drop" -> d.action = RuleAction.DROP;
            case "reject" -> d.action = RuleAction.REJECT;
            case "pass" -> d.action = RuleAction.PASS;
            case "rejectsrc", "rejectdst", "rejectboth", "sdrop", "config", "log", "activate", "dynamic" ->
                    d.skipIfFirst(new UnsupportedFeature("action:" + action, "action " + action + " is not supported"));
            default -> throw new RuleSyntaxError("unknown action '" + GroupParser.clip(action) + "'");
        }
        String protocol = f.get(1).toLowerCase(Locale.ROOT);
        switch (protocol) {
            case "tcp" -> d.protocol = RuleProtocol.TCP;
            case "udp" -> d.protocol = RuleProtocol.UDP;
            case "ip" -> d.protocol = RuleProtocol.IP;
            case "http", "http1" -> d.protocol = RuleProtocol.HTTP;
            case "dns" -> d.protocol = RuleProtocol.DNS;
            case "tls" -> d.protocol = RuleProtocol.TLS;
            default -> {
                if (!isWord(protocol)) {
                    throw new RuleSyntaxError("bad protocol '" + GroupParser.clip(protocol) + "'");
                }
                d.skipIfFirst(new UnsupportedFeature("protocol:" + protocol, "protocol " + protocol + " is not supported"));
            }
        }
        switch (f.get(4)) {
            case "->" -> d.bidirectional = false;
            case "<>" -> d.bidirectional = true;
            default -> throw new RuleSyntaxError("bad direction '" + GroupParser.clip(f.get(4)) + "', expected '->' or '<>'");
        }
        try {
            synchronized (addresses) {
                d.source = field("source address", f.get(2), addresses::spec);
                d.destination = field("destination address", f.get(5), addresses::spec);
            }
            synchronized (ports) {
                d.sourcePorts = field("source port", f.get(3), ports::spec);
                d.destinationPorts = field("destination port", f.get(6), ports::spec);
            }
        } catch (UnsupportedFeature e) {
            d.skipIfFirst(e);
            // Keep the record whole for the parts that did parse; the rule is skipped anyway.
        }
    }

    private interface FieldParser<T> {
        T parse(String field) throws RuleSyntaxError, UnsupportedFeature;
    }

    private static <T> T field(String name, String text, FieldParser<T> parser) throws RuleSyntaxError, UnsupportedFeature {
        try {
            return parser.parse(text);
        } catch (RuleSyntaxError e) {
            throw new RuleSyntaxError(name + ": " + e.getMessage());
        }
    }

    /** Splits the header on spaces outside brackets: lists may be written {@code [1.2.3.4, 5.6.7.8]}. */
    private static List<String> headerFields(String header) {
        List<String> fields = new ArrayList<>(7);
        int depth = 0;
        int start = -1;
        for (int i = 0; i < header.length() && fields.size() <= 8; i++) {
            char c = header.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']' && depth > 0) {
                depth--;
            }
            boolean space = Character.isWhitespace(c) && depth == 0;
            if (!space && start < 0) {
                start = i;
            } else if (space && start >= 0) {
                fields.add(header.substring(start, i));
                start = -1;
            }
        }
        if (start >= 0 && fields.size() <= 8) {
            fields.add(header.substring(start));
        }
        return fields;
    }

    // ---- options -----------------------------------------------------------------------------


    /** After a skip: read only what names the rule, but still refuse words that are no option. */
    private static void identityOnly(Option o, RuleDraft d) throws RuleSyntaxError {
        switch (o.name()) {
            case "sid" -> d.sid(o);
            case "rev" -> d.rev = intValue(o, 0, Integer.MAX_VALUE);
            case "msg" -> d.msg = text(o);
            default -> {
                if (!isKnown(o.name())) {
                    throw new RuleSyntaxError("unknown option '" + o.name() + "'");
                }
            }
        }
    }


    private void option(Option o, RuleDraft d) throws RuleSyntaxError, UnsupportedFeature {
        String name = o.name();
        switch (name) {
            case "msg" -> d.msg = text(o);
            case "sid" -> d.sid(o);
            case "rev" -> d.rev = intValue(o, 0, Integer.MAX_VALUE);
            case "classtype" -> {
                String v = required(o);
                if (!isWord(v.toLowerCase(Locale.ROOT))) {
                    throw new RuleSyntaxError("classtype: bad name '" + GroupParser.clip(v) + "'");
                }
                d.classtype = v;
            }
            case "priority" -> d.priority = intValue(o, 1, 255);
            case "reference" -> {
                String v = required(o);
                if (v.indexOf(',') <= 0) {
                    throw new RuleSyntaxError("reference: expected type,value but found '" + GroupParser.clip(v) + "'");
                }
                d.references.add(v);
            }
            case "metadata" -> metadata(required(o), d.metadata, texts);
            case "content" -> d.content(content(o, d.buffer), d.fileData);
            case "uricontent" -> d.content(content(o, Buffer.HTTP_URI), false);
            case "nocase" -> {
                noValue(o);
                d.last(name).nocase = true;
            }
            case "offset" -> d.last(name).offset(modifierValue(o, 0, MAX_CONTENT_LENGTH * 16, d.variables));
            case "depth" -> d.last(name).depth(modifierValue(o, 1, MAX_CONTENT_LENGTH * 16, d.variables));
            case "distance" -> d.last(name).distance(modifierValue(o, -MAX_CONTENT_LENGTH * 16, MAX_CONTENT_LENGTH * 16, d.variables));
            case "within" -> d.last(name).within(modifierValue(o, 1, MAX_CONTENT_LENGTH * 16, d.variables));
            case "startswith" -> {
                noValue(o);
                d.last(name).startsWith();
            }
            case "fast_pattern" -> {
                fastPattern(o);
                d.last(name).fastPattern = true;
            }
            case "pcre" -> d.matches.add(new PcreDraft(MatchValues.pcre(required(o), d.buffer), d.fileData && d.buffer == Buffer.HTTP_RESPONSE_BODY));
            case "flow" -> flow(required(o), d);
            case "flowbits" -> d.flowbits.add(flowbit(required(o)));
            case "endswith" -> {
                noValue(o);
                d.last(name).endsWith = true;
            }
            case "dotprefix" -> {
                noValue(o);
                Buffer dotted = d.buffer.dotPrefixed();
                if (dotted == null) {
                    throw new UnsupportedFeature("dotprefix", "dotprefix on " + d.buffer + " is not supported");
                }
                d.buffer = dotted;
            }
            case "bsize" -> {
                if (d.buffer == Buffer.RAW) {
                    throw new RuleSyntaxError("bsize: needs a sticky buffer before it");
                }
                d.matches.add(new ProbeDraft(PayloadOptions.size(name, required(o), d.buffer, Probe.SizeOf.BSIZE), d.fileData));
            }
            case "dsize" -> d.matches.add(new ProbeDraft(PayloadOptions.size(name, required(o), Buffer.RAW, Probe.SizeOf.DSIZE), false));
            case "urilen" -> d.matches.add(new ProbeDraft(PayloadOptions.size(name, required(o), Buffer.HTTP_URI, Probe.SizeOf.URILEN), false));
            case "isdataat", "byte_test", "byte_jump", "byte_extract", "byte_math" -> {
                String v = required(o);
                boolean relative = v.toLowerCase(Locale.ROOT).contains("relative");
                Buffer b = relative ? d.relativeBuffer() : d.buffer;
                boolean fileData = relative ? d.relativeFileData() : d.fileData;
                Probe probe = switch (name) {
                    case "isdataat" -> PayloadOptions.isDataAt(v, b, d.variables);
                    case "byte_test" -> PayloadOptions.byteTest(v, b, d.variables);
                    case "byte_jump" -> PayloadOptions.byteJump(v, b, d.variables);
                    case "byte_extract" -> PayloadOptions.byteExtract(v, b, d.variables);
                    default -> PayloadOptions.byteMath(v, b, d.variables);
                };
                d.matches.add(new ProbeDraft(probe, fileData));
            }
            case "xbits" -> d.xbits.add(FlowOptions.xbit(required(o)));
            case "threshold", "detection_filter" -> {
                if (d.threshold != null) {
                    throw new RuleSyntaxError(name + ": a rule takes one threshold or detection_filter");
                }
                d.threshold = PayloadOptions.threshold(name, required(o));
            }
            case "noalert" -> {
                noValue(o);
                d.flowbits.add(new Flowbit(Flowbit.Op.NOALERT, ""));
            }
            default -> {
                Buffer sticky = STICKY.get(name);
                if (sticky != null) {
                    noValue(o);
                    d.buffer = sticky;
                    d.fileData = name.equals("file.data") || name.equals("file_data");
                    return;
                }
                Buffer modifier = MODIFIERS.get(name);
                if (modifier != null) {
                    noValue(o);
                    d.last(name).moveTo(modifier, name);
                    return;
                }
                if (IGNORED.contains(name)) {
                    return;
                }
                if (knownUnsupported(name)) {
                    throw new UnsupportedFeature(name, name + " is not supported");
                }
                throw new RuleSyntaxError("unknown option '" + name + "'");
            }
        }
    }

    // ---- content and pcre values: MatchValues -------------------------------------------------

    private static ContentDraft content(Option o, Buffer buffer) throws RuleSyntaxError {
        MatchValues.ContentValue v = MatchValues.content(o.name(), required(o));
        return new ContentDraft(buffer, v.bytes(), v.negated());
    }
}
