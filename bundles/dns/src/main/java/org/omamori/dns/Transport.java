package org.omamori.dns;

/** How a query reached the filter. */
public enum Transport {
    UDP,
    TCP
}
