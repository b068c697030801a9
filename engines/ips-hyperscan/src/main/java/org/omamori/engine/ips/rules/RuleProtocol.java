package org.omamori.engine.ips.rules;

/** The rule's protocol word; application protocols imply their transport. */
public enum RuleProtocol {
    TCP, UDP, IP, HTTP, DNS, TLS
}
