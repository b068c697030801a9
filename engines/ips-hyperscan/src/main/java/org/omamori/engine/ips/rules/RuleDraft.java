package org.omamori.engine.ips.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** A rule while its options are read, with its contents while their modifiers are still coming. */
final class RuleDraft {
    final Rule.Origin origin;
    UnsupportedFeature skip;
    RuleAction action = RuleAction.ALERT;
    RuleProtocol protocol = RuleProtocol.IP;
    AddressSpec source = AddressSpec.ANY;
    AddressSpec destination = AddressSpec.ANY;
    PortSpec sourcePorts = PortSpec.ANY;
    PortSpec destinationPorts = PortSpec.ANY;
    boolean bidirectional;
    long sid = -1;
    int rev = 1;
    String msg = "";
    String classtype = "";
    int priority;
    final List<String> references = new ArrayList<>();
    final Map<String, List<String>> metadata = new LinkedHashMap<>();
    final List<Object> matches = new ArrayList<>();
    final List<Flowbit> flowbits = new ArrayList<>();
    final List<Xbit> xbits = new ArrayList<>();
    boolean toServer;
    boolean toClient;
    boolean established;
    Buffer buffer = Buffer.RAW;
    boolean fileData;
    ContentDraft last;
    Threshold threshold;
    /** Variables set so far by byte_extract and byte_math. */
    final java.util.Set<String> variables = new java.util.HashSet<>();

    RuleDraft(Rule.Origin origin) {
        this.origin = origin;
    }

    void skipIfFirst(UnsupportedFeature e) {
        if (skip == null) {
            skip = e;
        }
    }

    void sid(OptionValues.Option o) throws RuleSyntaxError {
        String v = OptionValues.required(o);
        long value = 0;
        if (v.length() > 10) {
            throw new RuleSyntaxError("sid: not a number '" + GroupParser.clip(v) + "'");
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                throw new RuleSyntaxError("sid: not a number '" + GroupParser.clip(v) + "'");
            }
            value = value * 10 + (c - '0');
        }
        if (value < 1 || value > 0xFFFF_FFFFL) {
            throw new RuleSyntaxError("sid: " + value + " out of range 1..4294967295");
        }
        if (sid >= 0) {
            throw new RuleSyntaxError("sid: given twice");
        }
        sid = value;
    }

    void content(ContentDraft c, boolean fromFileData) {
        c.fileData = fromFileData;
        matches.add(c);
        last = c;
    }

    ContentDraft last(String modifier) throws RuleSyntaxError {
        if (last == null) {
            throw new RuleSyntaxError(modifier + ": no content before it");
        }
        return last;
    }

    /**
     * The buffer a relative payload keyword reads: that of the match before it (which a Snort-style
     * modifier may have moved), else the sticky buffer.
     */
    Buffer relativeBuffer() {
        if (matches.isEmpty()) {
            return buffer;
        }
        return switch (matches.get(matches.size() - 1)) {
            case ContentDraft c -> c.buffer;
            case PcreDraft p -> p.pcre().buffer();
            case ProbeDraft p -> p.probe().buffer();
            default -> buffer;
        };
    }

    /** Whether that buffer came from {@code file.data}, whose direction is known only at the end. */
    boolean relativeFileData() {
        if (matches.isEmpty()) {
            return fileData;
        }
        return switch (matches.get(matches.size() - 1)) {
            case ContentDraft c -> c.fileData;
            case PcreDraft p -> p.fileData();
            case ProbeDraft p -> p.fileData();
            default -> fileData;
        };
    }

    Rule build() {
        List<Match> built = new ArrayList<>(matches.size());
        for (Object m : matches) {
            Match match = switch (m) {
                case ContentDraft c -> c.build(toServer);
                case PcreDraft p -> p.build(toServer);
                case ProbeDraft p -> p.build(toServer);
                default -> throw new IllegalStateException("not a match: " + m);
            };
            built.add(toClient ? towardsClient(match) : match);
        }
        return new Rule(action, protocol, source, sourcePorts, bidirectional, destination, destinationPorts,
                sid, rev, msg, classtype, priority, references, freeze(metadata), built,
                new Flow(toServer, toClient, established), flowbits, xbits, threshold, origin);
    }

    /** On a {@code to_client} rule the request-head keywords that have a response side name it (http.header: the response's). */
    private static Match towardsClient(Match m) {
        Buffer b = m.buffer().towardsClient();
        return b == m.buffer() ? m : rebuffer(m, b);
    }

    static Match rebuffer(Match m, Buffer b) {
        return switch (m) {
            case Content c -> new Content(b, c.bytes(), c.negated(), c.nocase(), c.offset(), c.depth(), c.distance(),
                    c.within(), c.fastPattern(), c.endsWith());
            case Pcre p -> new Pcre(b, p.pattern(), p.negated(), p.caseless(), p.dotAll(), p.multiline(), p.extended(),
                    p.relative());
            case Probe.IsDataAt p -> new Probe.IsDataAt(b, p.negated(), p.position(), p.relative());
            case Probe.ByteTest p -> new Probe.ByteTest(b, p.read(), p.operator(), p.negateOperator(), p.value());
            case Probe.ByteJump p -> new Probe.ByteJump(b, p.read(), p.multiplier(), p.align(), p.fromBeginning(),
                    p.fromEnd(), p.postOffset());
            case Probe.ByteExtract p -> new Probe.ByteExtract(b, p.read(), p.name(), p.multiplier(), p.align());
            case Probe.ByteMath p -> new Probe.ByteMath(b, p.read(), p.operator(), p.rvalue(), p.name());
            case Probe.Size p -> new Probe.Size(b, p.of(), p.min(), p.max(), p.negated());
        };
    }

    private static Map<String, List<String>> freeze(Map<String, List<String>> m) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return out;
    }

    /** A content while its modifiers are still coming. */
    static final class ContentDraft {
        Buffer buffer;
        final byte[] bytes;
        final boolean negated;
        boolean nocase;
        boolean fastPattern;
        boolean fileData;
        OptionalInt offset = OptionalInt.empty();
        OptionalInt depth = OptionalInt.empty();
        OptionalInt distance = OptionalInt.empty();
        OptionalInt within = OptionalInt.empty();
        boolean moved;
        boolean endsWith;

        ContentDraft(Buffer buffer, byte[] bytes, boolean negated) {
            this.buffer = buffer;
            this.bytes = bytes;
            this.negated = negated;
        }

        void offset(int v) throws RuleSyntaxError {
            absolute("offset");
            offset = once("offset", offset, v);
        }

        void depth(int v) throws RuleSyntaxError {
            absolute("depth");
            depth = once("depth", depth, v);
        }

        void distance(int v) throws RuleSyntaxError {
            relative("distance");
            distance = once("distance", distance, v);
        }

        void within(int v) throws RuleSyntaxError {
            relative("within");
            within = once("within", within, v);
        }

        /** {@code startswith}: the content is at the start of its buffer. */
        void startsWith() throws RuleSyntaxError {
            if (offset.isPresent() || depth.isPresent() || distance.isPresent() || within.isPresent()) {
                throw new RuleSyntaxError("startswith: cannot be combined with offset, depth, distance or within");
            }
            offset = OptionalInt.of(0);
            depth = OptionalInt.of(bytes.length);
        }

        void moveTo(Buffer target, String modifier) throws RuleSyntaxError {
            if (buffer == target) {
                return; // "content:x; http_host; http_host;" occurs in ET Open and Suricata accepts it
            }
            if (moved) {
                throw new RuleSyntaxError(modifier + ": the content before it is already in another buffer");
            }
            // After a sticky buffer the modifier wins for its content, as in Snort
            // ("file_data; content:a; content:b; http_header;" puts b in the headers).
            buffer = target;
            moved = true;
            fileData = false;
        }

        private void absolute(String name) throws RuleSyntaxError {
            if (distance.isPresent() || within.isPresent()) {
                throw new RuleSyntaxError(name + ": cannot be combined with distance or within on the same content");
            }
        }

        private void relative(String name) throws RuleSyntaxError {
            if (offset.isPresent() || depth.isPresent()) {
                throw new RuleSyntaxError(name + ": cannot be combined with offset or depth on the same content");
            }
        }

        private static OptionalInt once(String name, OptionalInt old, int v) throws RuleSyntaxError {
            if (old.isPresent()) {
                throw new RuleSyntaxError(name + ": given twice for the same content");
            }
            return OptionalInt.of(v);
        }

        Content build(boolean toServer) {
            Buffer b = fileData && toServer ? Buffer.HTTP_REQUEST_BODY : buffer;
            return new Content(b, bytes, negated, nocase, offset, depth, distance, within, fastPattern, endsWith);
        }
    }

    /** A pcre and whether it came from {@code file.data}, whose direction is known only at the end. */
    /** A payload keyword and whether its buffer came from {@code file.data}. */
    record ProbeDraft(Probe probe, boolean fileData) {
        Match build(boolean toServer) {
            return fileData && toServer && probe.buffer() == Buffer.HTTP_RESPONSE_BODY
                    ? rebuffer(probe, Buffer.HTTP_REQUEST_BODY) : probe;
        }
    }

    record PcreDraft(Pcre pcre, boolean fileData) {
        Pcre build(boolean toServer) {
            Pcre p = pcre;
            return fileData && toServer
                    ? new Pcre(Buffer.HTTP_REQUEST_BODY, p.pattern(), p.negated(), p.caseless(), p.dotAll(),
                            p.multiline(), p.extended(), p.relative())
                    : p;
        }
    }
}
