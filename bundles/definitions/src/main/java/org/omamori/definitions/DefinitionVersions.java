package org.omamori.definitions;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/** The definitions in force, for the heartbeat: kind id ({@code urlfilter}, {@code ips}, {@code av}) to version. */
@ProviderType
public interface DefinitionVersions {

    /** An immutable snapshot; a kind never installed is absent. */
    Map<String, String> versions();

    /**
     * The cloud said (in a heartbeat's answer) it serves newer packages of these kinds: pull them soon
     * rather than at the next interval. Nothing by default (since 1.1).
     */
    default void newerServed(java.util.Set<String> kinds) {
    }
}
