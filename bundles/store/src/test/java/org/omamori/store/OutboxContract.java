package org.omamori.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.omamori.notify.Mail;
import org.omamori.notify.Outbox;
import org.omamori.notify.OutboxEntry;
import org.omamori.notify.Recipients;

/** The org.omamori.notify.Outbox contract on the store's table, the same way on every database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OutboxContract {

    static final Instant T = Instant.parse("2026-11-23T01:00:00Z");
    static final Duration LEASE = Duration.ofMinutes(5);

    abstract StoreSettings settings() throws Exception;

    void dispose() throws Exception {
    }

    StoreSettings settings;
    Store store;
    Outbox outbox;

    @BeforeAll
    void open() throws Exception {
        settings = settings();
        store = Store.open(settings, Clock.systemUTC());
        outbox = store.outbox(LEASE);
    }

    @AfterAll
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
        dispose();
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM mail_outbox");
        }
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
    }

    <V> V column(UUID id, String column, Class<V> type) throws SQLException {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement("SELECT " + column + " FROM mail_outbox WHERE id = ?")) {
            s.setObject(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getObject(1, type) : null;
            }
        }
    }

    static Mail mail(String subject) {
        return new Mail(Recipients.of("soumu@example.co.jp", "shacho@example.co.jp", "it@example.co.jp"), subject,
                "お助け隊です。\n重要アラート ★★★\n\n本社 1F (0a1b2c3d4e5f)\n");
    }

    static List<UUID> ids(List<OutboxEntry> entries) {
        return entries.stream().map(OutboxEntry::id).toList();
    }

    @Test
    void enqueueIsIdempotentOnTheKeyAndKeepsTheMailWhole() throws Exception {
        Mail first = mail("【★★★】重要アラートのお知らせ（1件）");
        UUID id = outbox.enqueue("alerts:c1:a1", first, T);
        assertThat(id).isEqualTo(OutboxEntry.idOf("alerts:c1:a1"));
        assertThat(outbox.enqueue("alerts:c1:a1", mail("another subject"), T.plusSeconds(3600))).isEqualTo(id);
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM mail_outbox")) {
            r.next();
            assertThat(r.getLong(1)).isEqualTo(1);
        }
        List<OutboxEntry> due = outbox.due(T, 10);
        assertThat(due).containsExactly(new OutboxEntry(id, "alerts:c1:a1", first, T, 0));
        assertThat(due.getFirst().mail().to().addresses()).containsExactly("soumu@example.co.jp", "shacho@example.co.jp", "it@example.co.jp");
    }

    @Test
    void dueRespectsTheDueTimeTheLimitAndOrder() {
        for (int i = 4; i >= 0; i--) {
            outbox.enqueue("k" + i, mail("s" + i), T.plusSeconds(i));
        }
        assertThat(outbox.due(T.minusMillis(1), 10)).isEmpty();
        assertThat(outbox.due(T.plusSeconds(2), 10)).extracting(OutboxEntry::key).containsExactly("k0", "k1", "k2");
        assertThat(outbox.due(T.plusSeconds(10), 1)).extracting(OutboxEntry::key).as("leased ones are not due").containsExactly("k3");
        assertThat(outbox.due(T.plusSeconds(10), 10)).extracting(OutboxEntry::key).containsExactly("k4");
        assertThat(outbox.due(T.plusSeconds(10), 10)).isEmpty();
        assertThat(outbox.due(T.plusSeconds(10), 0)).isEmpty();
    }

    @Test
    void aLeasedEntryComesBackWhenItsLeaseRunsOut() throws Exception {
        UUID id = outbox.enqueue("lease", mail("lease"), T);
        assertThat(ids(outbox.due(T, 10))).containsExactly(id);
        assertThat(column(id, "lease_until", java.time.OffsetDateTime.class).toInstant()).isEqualTo(T.plus(LEASE));
        assertThat(outbox.due(T.plus(LEASE).minusSeconds(1), 10)).as("leased").isEmpty();
        List<OutboxEntry> again = outbox.due(T.plus(LEASE), 10);
        assertThat(ids(again)).as("the worker died: due again").containsExactly(id);
        assertThat(again.getFirst().attempts()).isZero();
        assertThat(outbox.due(T.plus(LEASE).plusSeconds(1), 10)).as("leased anew").isEmpty();
    }

    @Test
    void markSentEndsTheEntry() throws Exception {
        UUID id = outbox.enqueue("sent", mail("sent"), T);
        assertThat(ids(outbox.due(T, 10))).containsExactly(id);
        outbox.markSent(id, T.plusSeconds(2));
        assertThat(outbox.due(T.plus(Duration.ofDays(400)), 10)).isEmpty();
        assertThat(column(id, "state", String.class)).isEqualTo("SENT");
        assertThat(column(id, "sent_at", java.time.OffsetDateTime.class).toInstant()).isEqualTo(T.plusSeconds(2));
        assertThat(column(id, "attempts", Integer.class)).isEqualTo(1);
        assertThat(outbox.enqueue("sent", mail("sent"), T.plusSeconds(60))).isEqualTo(id);
        assertThat(outbox.due(T.plus(Duration.ofDays(400)), 10)).as("enqueued again: still sent").isEmpty();
    }

    @Test
    void markFailedReschedulesOrGivesUp() throws Exception {
        UUID id = outbox.enqueue("failed", mail("failed"), T);
        assertThat(ids(outbox.due(T, 10))).containsExactly(id);
        outbox.markFailed(id, T.plusSeconds(1), "421 try later", T.plusSeconds(120));
        assertThat(outbox.due(T.plusSeconds(119), 10)).isEmpty();
        List<OutboxEntry> retry = outbox.due(T.plusSeconds(120), 10);
        assertThat(ids(retry)).containsExactly(id);
        assertThat(retry.getFirst().attempts()).isEqualTo(1);
        assertThat(column(id, "last_error", String.class)).isEqualTo("421 try later");

        outbox.markFailed(id, T.plusSeconds(121), "550 no such user", null);
        assertThat(outbox.due(T.plus(Duration.ofDays(4000)), 10)).as("given up").isEmpty();
        assertThat(column(id, "state", String.class)).isEqualTo("GIVEN_UP");
        assertThat(column(id, "last_error", String.class)).isEqualTo("550 no such user");
        assertThat(column(id, "attempts", Integer.class)).isEqualTo(2);
    }

    @Test
    void twoNodesAskingAtOnceNeverGetTheSameEntry() throws Exception {
        int n = 300;
        Set<UUID> all = new HashSet<>();
        for (int i = 0; i < n; i++) {
            all.add(outbox.enqueue("race" + i, mail("race " + i), T.plusMillis(i % 17)));
        }
        try (Store other = Store.open(settings, Clock.systemUTC())) {
            List<Outbox> nodes = List.of(outbox, store.outbox(LEASE), other.outbox(LEASE), other.outbox(LEASE));
            Set<UUID> seen = ConcurrentHashMap.newKeySet();
            List<UUID> twice = new ArrayList<>();
            CyclicBarrier start = new CyclicBarrier(nodes.size());
            ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
            try {
                List<Future<Integer>> got = new ArrayList<>();
                for (Outbox node : nodes) {
                    got.add(pool.submit(() -> {
                        start.await();
                        int mine = 0;
                        for (int empty = 0; empty < 3;) {
                            List<OutboxEntry> batch = node.due(T.plusSeconds(1), 7);
                            empty = batch.isEmpty() ? empty + 1 : 0;
                            for (OutboxEntry e : batch) {
                                mine++;
                                if (!seen.add(e.id())) {
                                    synchronized (twice) {
                                        twice.add(e.id());
                                    }
                                }
                            }
                        }
                        return mine;
                    }));
                }
                int total = 0;
                for (Future<Integer> f : got) {
                    total += f.get(60, TimeUnit.SECONDS);
                }
                assertThat(twice).as("handed out twice").isEmpty();
                assertThat(total).isEqualTo(n);
                assertThat(seen).isEqualTo(all);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
