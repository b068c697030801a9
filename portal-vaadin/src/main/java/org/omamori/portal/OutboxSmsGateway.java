package org.omamori.portal;

import java.time.Clock;

import org.omamori.store.Store;

/** The embedded SMS gateway: the message goes to the store's SMS outbox (the demo and tests read it there). */
public final class OutboxSmsGateway implements SmsGateway {

    private final Store store;
    private final Clock clock;

    public OutboxSmsGateway(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void send(String phone, String text) {
        store.smsOutbox().enqueue(phone, text, clock.instant());
    }
}
