package org.omamori.api.engine;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a finding is evidence of, in the words the cloud grades with (docs/grading.md). Engines
 * map their own classes to these (the IPS maps Suricata classtypes); the cloud's grading table
 * turns evidence, result and level into stars. New kinds may be named without a new API version.
 */
public record Evidence(String id) {

    // Before the constants: they are validated with it as the class initialises.
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,63}|");

    /** Nothing the grading uses: access logs, informational findings. */
    public static final Evidence NONE = new Evidence("");
    /** A host talks to command and control or shows trojan activity: likely infected. */
    public static final Evidence INFECTION = new Evidence("infection");
    /** Malicious content: a virus, a malware download, a malware distribution site. */
    public static final Evidence MALWARE = new Evidence("malware");
    /** An attempt to exploit a vulnerability (web attacks, shellcode, privilege gain). */
    public static final Evidence EXPLOIT_ATTEMPT = new Evidence("exploit-attempt");
    /** Phishing or social engineering aimed at a user. */
    public static final Evidence PHISHING = new Evidence("phishing");
    /** Scans, probes and information gathering. */
    public static final Evidence RECONNAISSANCE = new Evidence("reconnaissance");
    /** Against policy but not an attack (P2P, games, unwanted software). */
    public static final Evidence POLICY = new Evidence("policy");
    /** Content that could not be inspected (scanner down, file over the scan limit) and was let through. Since 1.2. */
    public static final Evidence UNSCANNED = new Evidence("unscanned");
    /** Suspicious but unconfirmed: a candidate for investigation (調査中). */
    public static final Evidence SUSPICIOUS = new Evidence("suspicious");

    public Evidence {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("evidence id must be empty or 1-64 of [a-z0-9-], starting with a letter: " + id);
        }
    }

    @Override
    public String toString() {
        return id;
    }
}
