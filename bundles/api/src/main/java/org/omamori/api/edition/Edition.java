package org.omamori.api.edition;

import java.util.regex.Pattern;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A reseller's edition: its brand, its terms and its defaults (docs/edition-sdk.md). Registered
 * as an OSGi service by the edition's bundle; the cloud follows it for every customer of a
 * reseller set to its {@link #id()}, and an edition installed, updated or removed in a running
 * node takes effect without a restart. Implementations return the same values on every call.
 */
@ConsumerType
public interface Edition {

    /** What an id looks like: lower case letters, digits and {@code -}, 2 to 40 characters, a letter first. */
    Pattern ID = Pattern.compile("[a-z][a-z0-9-]{1,39}");

    /** The edition's id, e.g. {@code niigata}; resellers are set to it ({@link #ID}). */
    String id();

    /** How the edition's customers know the service: names, logo, colours, mail, legal links. */
    Brand brand();

    /** What the edition's contracts say: billing, contract rules, insurance, desk, recipients. */
    Terms terms();

    /** The grading table and retention its customers get; the platform's when not overridden. */
    default Defaults defaults() {
        return Defaults.PLATFORM;
    }

    /** Remote changes, appliance replacement and notice periods; the national specification's when not overridden (since 1.1). */
    default Support support() {
        return Support.STANDARD;
    }
}
