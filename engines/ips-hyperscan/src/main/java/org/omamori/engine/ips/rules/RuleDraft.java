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
    boolean toServer;
    boolean toClient;
    boolean established;
    Buffer buffer = Buffer.RAW;
    boolean fileData;
    ContentDraft last;

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

    Rule build() {
        List<Match> built = new ArrayList<>(matches.size());
        for (Object m : matches) {
            built.add(m instanceof ContentDraft c ? c.build(toServer) : ((PcreDraft) m).build(toServer));
        }
        return new Rule(action, protocol, source, sourcePorts, bidirectional, destination, destinationPorts,
                sid, rev, msg, classtype, priority, references, freeze(metadata), built,
                new Flow(toServer, toClient, established), flowbits, origin);
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
            return new Content(b, bytes, negated, nocase, offset, depth, distance, within, fastPattern);
        }
    }

    /** A pcre and whether it came from {@code file.data}, whose direction is known only at the end. */
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
