package org.omamori.portal;

/**
 * Sends a text message to a phone (the SMS second step). A real provider plugs in here; the
 * embedded default writes the message to the store's SMS outbox, where the demo and tests read it.
 */
public interface SmsGateway {

    /** Sends {@code text} to {@code phone} (E.164, e.g. +819012345678). */
    void send(String phone, String text);
}
