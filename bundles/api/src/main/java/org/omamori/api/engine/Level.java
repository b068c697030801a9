package org.omamori.api.engine;

/** Severity of a finding, as shown in the portal's alert list. Ordered from lowest to highest. */
public enum Level {
    LOW, MEDIUM, HIGH, CRITICAL
}
