package org.omamori.store;

import org.omamori.grading.Grading;
import org.omamori.grading.GradingContext;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.omamori.api.engine.ZonePair;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.Result;
import org.omamori.grading.Alert;
import org.omamori.grading.AlertChange;
import org.omamori.grading.AlertId;
import org.omamori.grading.Facts;
import org.omamori.grading.Grade;
import org.omamori.grading.InternalHost;
import org.omamori.store.StoreContract.Tenant;

/**
 * The ingest's idempotency key, on every database: (appliance, event id), race-free. Concurrent
 * copies of one batch store it once and are told "duplicates", grading sees each event once; the
 * same id from two customers' appliances is two events, each its customer's, and so are the alerts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class IngestKeyContract {

    static final int THREADS = 10;

    abstract StoreSettings settings() throws Exception;

    void dispose() throws Exception {
    }

    Store store;

    @BeforeAll
    void open() throws Exception {
        store = Store.open(settings(), Clock.systemUTC());
    }

    @AfterAll
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
        dispose();
    }

    /** Counts each threat event graded, by appliance and id; saves one mailing alert per batch. */
    static final class CountingGrading implements Grading {
        final Map<String, AtomicInteger> graded = new ConcurrentHashMap<>();

        @Override
        public void grade(GradingContext context, List<Event> threats) {
            threats.forEach(e -> graded.computeIfAbsent(e.appliance() + "/" + e.id(), k -> new AtomicInteger()).incrementAndGet());
            Event first = threats.getFirst();
            Alert alert = new Alert(AlertId.of("TEST-RULE", first.appliance(), first.id()), "TEST-RULE", Grade.HIGH, false, InternalHost.of(first),
                    Facts.of(first), first.time(), threats.getLast().time(), threats.size(),
                    threats.stream().limit(Alert.MAX_EVENTS).map(Event::id).toList(), Optional.empty());
            context.save(new AlertChange(AlertChange.Type.OPENED, alert));
        }
    }

    @Test
    void concurrentCopiesOfABatchStoreItOnceAndTheOthersAreToldDuplicates() throws Exception {
        CountingGrading grading = new CountingGrading();
        IngestStore ingest = store.ingest(grading);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < 5; round++) { // a few rounds: one race might be won by timing alone
                Tenant t = StoreContract.newTenant(store);
                List<Event> batch = StoreContract.events(t.appliance(), 50, Instant.now().minusSeconds(120 - round));
                CountDownLatch start = new CountDownLatch(1);
                List<Future<IngestResult>> results = new ArrayList<>();
                for (int i = 0; i < THREADS; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return ingest.store(t.appliance(), batch);
                    }));
                }
                start.countDown();
                List<IngestResult> answers = new ArrayList<>();
                for (Future<IngestResult> f : results) {
                    answers.add(f.get(60, TimeUnit.SECONDS)); // an exception in a thread fails here
                }
                assertThat(answers).as("round %d", round).containsOnlyOnce(new IngestResult(50, 50, 0))
                        .filteredOn(r -> r.stored() == 0).hasSize(THREADS - 1)
                        .allSatisfy(r -> assertThat(r).isEqualTo(new IngestResult(50, 0, 50)));
                assertThat(store.events().count(TenantScope.customer(t.customer()), EventQuery.period(
                        Instant.now().minusSeconds(3600), Instant.now().plusSeconds(60)))).isEqualTo(50);
                for (Event e : batch) {
                    assertThat(grading.graded.get(e.appliance() + "/" + e.id())).as("graded once: %s", e.id()).hasValue(1);
                }
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void theSameEventIdFromTwoCustomersAppliancesIsStoredForEachAndSeenOnlyByIt() {
        CountingGrading grading = new CountingGrading();
        IngestStore ingest = store.ingest(grading);
        Tenant a = StoreContract.newTenant(store);
        Tenant b = StoreContract.newTenant(store);
        Instant start = Instant.now().minusSeconds(300);
        List<Event> ofA = StoreContract.events(a.appliance(), 5, start);
        // B's appliance posts A's ids (and times): a copy, or an id B learnt and replays; B's results differ.
        List<Event> ofB = ofA.stream().map(e -> copy(e, b.appliance(), Result.PASS)).toList();

        assertThat(ingest.store(a.appliance(), ofA)).isEqualTo(new IngestResult(5, 5, 0));
        assertThat(ingest.store(b.appliance(), ofB)).as("not told duplicate").isEqualTo(new IngestResult(5, 5, 0));
        assertThat(ingest.store(b.appliance(), ofB)).as("its own replay is").isEqualTo(new IngestResult(5, 0, 5));
        assertThat(ingest.store(a.appliance(), ofA)).isEqualTo(new IngestResult(5, 0, 5));

        EventQuery period = EventQuery.period(start.minusSeconds(1), start.plusSeconds(60));
        assertThat(store.events().events(TenantScope.customer(a.customer()), period).events())
                .extracting(StoredEvent::event).containsExactlyElementsOf(ofA.reversed());
        assertThat(store.events().events(TenantScope.customer(b.customer()), period).events())
                .extracting(StoredEvent::event).containsExactlyElementsOf(ofB.reversed());
        // The operator sees both copies; pages of one row neither skip nor repeat the twins (same time and id).
        List<Event> paged = new ArrayList<>();
        EventQuery q = period.limit(1);
        for (int i = 0; i < 20; i++) {
            EventPage page = store.events().events(TenantScope.operator(), q);
            page.events().forEach(s -> paged.add(s.event()));
            if (page.next().isEmpty()) {
                break;
            }
            q = q.after(page.next().get());
        }
        List<Event> both = new ArrayList<>(ofA);
        both.addAll(ofB);
        assertThat(paged).containsExactlyInAnyOrderElementsOf(both);

        // Each batch graded, and each customer has its own alert (its id made with the appliance), its result from its own event.
        both.forEach(e -> assertThat(grading.graded.get(e.appliance() + "/" + e.id())).hasValue(1));
        AlertQuery alerts = AlertQuery.period(start.minusSeconds(1), start.plusSeconds(60));
        AlertPage ofAlertsA = store.statistics().alerts(TenantScope.customer(a.customer()), alerts);
        AlertPage ofAlertsB = store.statistics().alerts(TenantScope.customer(b.customer()), alerts);
        assertThat(ofAlertsA.alerts()).singleElement().satisfies(r -> {
            assertThat(r.appliance()).isEqualTo(a.appliance());
            assertThat(r.result()).contains(Result.BLOCK);
        });
        assertThat(ofAlertsB.alerts()).singleElement().satisfies(r -> {
            assertThat(r.appliance()).isEqualTo(b.appliance());
            assertThat(r.result()).contains(Result.PASS);
            assertThat(r.id()).isNotEqualTo(ofAlertsA.alerts().getFirst().id());
        });
        assertThat(store.statistics().alerts(TenantScope.operator(), alerts).alerts()).hasSize(2);
    }

    static Event copy(Event e, ApplianceId appliance, Result result) {
        return new Event(e.id(), appliance, e.time(), e.kind(), ZonePair.LAN_TO_WAN, e.source(), e.sourcePort(), e.destination(),
                e.destinationPort(), e.mac(), e.host(), e.url(), e.dnsName(), e.function(), e.engineId(), e.engineVersion(),
                e.ruleId(), e.ruleName(), result, e.level(), e.confidence(), e.evidence(), e.note());
    }
}
