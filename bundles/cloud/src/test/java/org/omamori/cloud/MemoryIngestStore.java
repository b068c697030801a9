package org.omamori.cloud;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventId;
import org.omamori.store.Heartbeat;
import org.omamori.store.IngestResult;
import org.omamori.store.IngestStore;

/** TEST ONLY: an IngestStore in memory, with the contract of bundles/store (codes once, events once per id). */
final class MemoryIngestStore implements IngestStore {

    private final Map<ApplianceId, String> codes = new HashMap<>();
    private final Map<String, ApplianceId> tokens = new HashMap<>();
    final Map<EventId, Event> events = new LinkedHashMap<>();
    final List<Heartbeat> heartbeats = new ArrayList<>();
    volatile boolean broken;

    synchronized void issue(ApplianceId appliance, String code) {
        codes.put(appliance, code);
    }

    /** A token without activation, as if activated before. */
    synchronized String tokenFor(ApplianceId appliance) {
        String token = newToken();
        tokens.put(token, appliance);
        return token;
    }

    @Override
    public synchronized Optional<String> activate(ApplianceId appliance, String activationCode) {
        check();
        if (!activationCode.equals(codes.get(appliance))) {
            return Optional.empty();
        }
        codes.remove(appliance);
        String token = newToken();
        tokens.put(token, appliance);
        return Optional.of(token);
    }

    @Override
    public synchronized Optional<ApplianceId> authenticate(String deviceToken) {
        check();
        return Optional.ofNullable(tokens.get(deviceToken));
    }

    @Override
    public synchronized IngestResult store(ApplianceId appliance, List<Event> batch) {
        check();
        for (Event e : batch) {
            if (!e.appliance().equals(appliance)) {
                throw new IllegalArgumentException("event " + e.id() + " is of appliance " + e.appliance());
            }
        }
        int stored = 0;
        for (Event e : batch) {
            if (events.putIfAbsent(e.id(), e) == null) {
                stored++;
            }
        }
        return new IngestResult(batch.size(), stored, batch.size() - stored);
    }

    @Override
    public synchronized void heartbeat(ApplianceId appliance, Heartbeat heartbeat) {
        check();
        heartbeats.add(heartbeat);
    }

    synchronized int eventCount() {
        return events.size();
    }

    synchronized int heartbeatCount() {
        return heartbeats.size();
    }

    private void check() {
        if (broken) {
            throw new IllegalStateException("database down");
        }
    }

    private static String newToken() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
