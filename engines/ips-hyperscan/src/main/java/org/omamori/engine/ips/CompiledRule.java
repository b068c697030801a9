package org.omamori.engine.ips;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.EnumSet;

import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.Verdict;
import org.omamori.engine.ips.rules.AddressSpec;
import org.omamori.engine.ips.rules.Buffer;
import org.omamori.engine.ips.rules.Classtypes;
import org.omamori.engine.ips.rules.Content;
import org.omamori.engine.ips.rules.Flowbit;
import org.omamori.engine.ips.rules.Match;
import org.omamori.engine.ips.rules.Pcre;
import org.omamori.engine.ips.rules.PortSpec;
import org.omamori.engine.ips.rules.Rule;
import org.omamori.engine.ips.rules.RuleAction;
import org.omamori.engine.ips.rules.RuleProtocol;

/**
 * A rule ready to run: its trigger (the one match that Hyperscan looks for), its matches
 * grouped per buffer for confirmation, the side it inspects, and the verdict it gives,
 * built once so firing allocates nothing.
 */
final class CompiledRule {

    /** Why a rule cannot run although it parsed; the keyword is counted like a parser skip. */
    static final class Unrunnable extends Exception {
        final String keyword;

        Unrunnable(String keyword, String reason) {
            super(reason, null, false, false);
            this.keyword = keyword;
        }
    }

    final int index;
    /**
     * The rule's header, sid and origin ({@link Rule#withoutTexts}): its matches, msg, classtype,
     * references and metadata are read while compiling only, and not kept.
     */
    final Rule rule;
    /**
     * Rules with the same protocol, flow state and address/port header share a class: an
     * inspection checks a class once per direction, however many of its rules trigger.
     */
    final int headerClass;
    /** The rule's flowbits, or none: firing a rule without any looks at nothing. */
    final Flowbit[] flowbits;
    /** The rule's xbits, or none. */
    final org.omamori.engine.ips.rules.Xbit[] xbits;
    /** The sides it inspects: one, or both for a raw-payload rule that names no flow direction. */
    final Set<Side> sides;
    /** The trigger, or null for a rule without matches ({@link #headerOnly}). */
    final Match trigger;
    /** No content, pcre or payload keyword: the rule applies to every exchange its address/port header fits. */
    final boolean headerOnly;
    final Chain[] chains;
    /** The chain holding the trigger, and the trigger's step in it; -1 when it cannot anchor (a pcre trigger). */
    final int triggerChain;
    final int triggerStep;
    /** The trigger's length in bytes when it is a content (0 for a pcre). */
    final int triggerLength;
    /** Bytes after a trigger can still complete the rule: it is worth trying again when more arrive. */
    final boolean waitsForLaterBytes;
    /**
     * For an anchored trigger in a stream: how many bytes after the trigger's end the rule can
     * still need, or -1 when not bounded. An occurrence is confirmed once, when they are all here.
     */
    final long reachAfterTrigger;
    /**
     * Trying the oldest of several trigger occurrences covers the ones before the newest (see
     * {@link Chain#onlyLowerBoundsAfter}): those need not be tried one by one.
     */
    final boolean occurrencesCoalesce;
    final boolean streamed;
    /** A negated match in a streamed buffer: the rule can be confirmed only when that stream ended. */
    final boolean needsStreamEnd;
    final boolean pass;
    final boolean noAlert;
    /** Its threshold or detection_filter, or null. */
    final org.omamori.engine.ips.rules.Threshold threshold;
    /** drop/reject: the action applies to every match, even one whose alert a threshold holds back (as Suricata). */
    final boolean dropAction;
    final Verdict verdict;

    CompiledRule(int index, int headerClass, Rule rule, Classtypes.Grade grade, Optional<Level> blockLevel) throws Unrunnable {
        Level level = grade.level();
        Evidence evidence = grade.evidence();
        this.index = index;
        this.headerClass = headerClass;
        this.rule = rule.withoutTexts();
        this.flowbits = rule.flowbits().toArray(Flowbit[]::new);
        this.xbits = rule.xbits().toArray(org.omamori.engine.ips.rules.Xbit[]::new);
        Map<Buffer, List<Match>> byBuffer = new EnumMap<>(Buffer.class);
        Side found = null;
        boolean negatedStream = false;
        boolean requestStream = false;
        for (Match m : rule.matches()) {
            Side s = Side.of(m.buffer(), rule);
            // The request's head is known for the whole exchange: a response rule may look at it too.
            boolean requestHead = s == Side.REQUEST && !Side.streamed(m.buffer());
            requestStream |= s == Side.REQUEST && !requestHead;
            if (found == null || found == Side.REQUEST && s == Side.RESPONSE) {
                found = s;
            }
            if (found == Side.RESPONSE && requestStream) {
                throw new Unrunnable("mixed-direction", "looks at both the request's stream and the response");
            }
            negatedStream |= m.negated() && Side.streamed(m.buffer());
            byBuffer.computeIfAbsent(m.buffer(), b -> new ArrayList<>()).add(m);
        }
        this.headerOnly = rule.matches().isEmpty();
        if (headerOnly) {
            // An address-only rule (ET's CINS, compromised, botcc, Tor lists): any exchange its header fits.
            found = rule.flow().toClient() ? Side.RESPONSE : Side.REQUEST;
        }
        if (found == null) {
            throw new Unrunnable("no-content", "has no content or pcre to look for");
        }
        if (rule.flow().toClient() && found == Side.REQUEST || rule.flow().toServer() && found == Side.RESPONSE) {
            throw new Unrunnable("mixed-direction", "its flow direction contradicts its buffers");
        }
        boolean rawOnly = headerOnly || byBuffer.keySet().equals(Set.of(Buffer.RAW));
        this.sides = rawOnly && !rule.flow().toServer() && !rule.flow().toClient() ? EnumSet.allOf(Side.class) : EnumSet.of(found);
        this.needsStreamEnd = negatedStream;
        this.trigger = headerOnly ? null : chooseTrigger(rule);
        List<Chain> built = new ArrayList<>();
        try {
            for (Map.Entry<Buffer, List<Match>> e : byBuffer.entrySet()) {
                built.add(new Chain(e.getKey(), e.getValue()));
            }
        } catch (Chain.NotRunnable e) {
            throw new Unrunnable(e.keyword, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new Unrunnable("pcre-java", e.getMessage());
        }
        this.chains = built.toArray(Chain[]::new);
        int chainIndex = -1;
        int stepIndex = -1;
        if (trigger instanceof Content) {
            for (int c = 0; c < chains.length && chainIndex < 0; c++) {
                if (chains[c].buffer == trigger.buffer()) {
                    List<Match> ms = byBuffer.get(trigger.buffer());
                    for (int k = 0; k < ms.size(); k++) {
                        if (ms.get(k) == trigger) {
                            chainIndex = c;
                            stepIndex = k;
                        }
                    }
                }
            }
        }
        this.triggerChain = chainIndex;
        this.triggerStep = stepIndex;
        this.triggerLength = trigger instanceof Content c ? c.length() : 0;
        long streamedChains = built.stream().filter(c -> Side.streamed(c.buffer)).count();
        this.reachAfterTrigger = chainIndex < 0 || streamedChains > 1 ? -1 : chains[chainIndex].reachAfter(stepIndex);
        this.occurrencesCoalesce = chainIndex >= 0 && stepIndex == 0 && streamedChains == 1 && reachAfterTrigger < 0
                && chains[chainIndex].onlyLowerBoundsAfter(stepIndex);
        this.waitsForLaterBytes = headerOnly ? false : chainIndex < 0 || stepIndex < chains[chainIndex].length() - 1 || streamedChains > 1
                || streamedChains > 0 && !Side.streamed(trigger.buffer());
        this.streamed = byBuffer.keySet().stream().anyMatch(Side::streamed);
        this.pass = rule.action() == RuleAction.PASS;
        this.noAlert = rule.flowbits().stream().anyMatch(f -> f.op() == Flowbit.Op.NOALERT);
        this.threshold = rule.threshold();
        this.dropAction = rule.action() == RuleAction.DROP || rule.action() == RuleAction.REJECT;
        Finding finding = new Finding("sid:" + rule.sid(), rule.msg().isEmpty() ? "sid " + rule.sid() : rule.msg(),
                level, confidence(rule), evidence);
        boolean blocks = rule.action() == RuleAction.DROP || rule.action() == RuleAction.REJECT
                || rule.action() == RuleAction.ALERT && blockLevel.isPresent() && level.compareTo(blockLevel.get()) >= 0;
        this.verdict = (blocks ? Verdict.block(finding) : Verdict.pass(finding))
                .withNote("IPS rule " + rule.sid() + " rev " + rule.rev() + " (" + fileName(rule.origin()) + ")");
    }

    /** What decides whether a rule applies to an exchange before any byte is looked at; equal keys, equal answers. */
    record HeaderKey(RuleProtocol protocol, boolean established, AddressSpec source, PortSpec sourcePorts,
                     boolean bidirectional, AddressSpec destination, PortSpec destinationPorts) {
        static HeaderKey of(Rule rule) {
            return new HeaderKey(rule.protocol(), rule.flow().established(), rule.source(), rule.sourcePorts(),
                    rule.bidirectional(), rule.destination(), rule.destinationPorts());
        }
    }

    /**
     * The match Hyperscan looks for: the content marked fast_pattern, else the longest positive
     * content, else the first positive pcre. Every other match is confirmed afterwards. Between
     * contents of one length, one in {@code http.method} comes last: a method is one of a handful
     * of words, so "GET" triggers on nearly every request, and such a rule would be confirmed on
     * each (ET: {@code http.method; content:"GET"; http.user_agent; content:"asd"}). Not for a
     * body's content: a short one there may be reported many times per body, the method once.
     */
    private static Match chooseTrigger(Rule rule) throws Unrunnable {
        Content longest = null;
        Pcre firstPcre = null;
        for (Match m : rule.matches()) {
            if (m.negated()) {
                continue;
            }
            if (m instanceof Content c) {
                if (c.fastPattern()) {
                    return c;
                }
                if (longest == null || c.length() > longest.length() || c.length() == longest.length()
                        && longest.buffer() == Buffer.HTTP_METHOD && c.buffer() != Buffer.HTTP_METHOD && !Side.streamed(c.buffer())) {
                    longest = c;
                }
            } else if (m instanceof Pcre p && firstPcre == null) {
                firstPcre = p;
            }
        }
        if (longest != null) {
            return longest;
        }
        if (firstPcre != null) {
            return firstPcre;
        }
        throw new Unrunnable("negated-only", "has only negated matches: nothing to look for");
    }

    /** ET's metadata says how sure a rule is; we turn that into the finding's confidence. */
    private static int confidence(Rule rule) {
        List<String> values = rule.metadata().getOrDefault("confidence", List.of());
        String c = values.isEmpty() ? "" : values.get(0).toLowerCase(Locale.ROOT);
        return switch (c) {
            case "high" -> 90;
            case "medium" -> 70;
            case "low" -> 40;
            default -> 80;
        };
    }

    private static String fileName(Rule.Origin origin) {
        String f = origin.file();
        int slash = Math.max(f.lastIndexOf('/'), f.lastIndexOf('\\'));
        return (slash >= 0 ? f.substring(slash + 1) : f) + ":" + origin.line();
    }
}
