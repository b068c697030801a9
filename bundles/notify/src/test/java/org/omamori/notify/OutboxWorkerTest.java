package org.omamori.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.internet.MimeMessage;

class OutboxWorkerTest {

    /** A clock the test moves. */
    final MutableClock clock = MutableClock.of(Alerts.T0, ZoneOffset.UTC);
    final InMemoryOutbox outbox = new InMemoryOutbox(Duration.ofMinutes(5));
    final Mail mail = AlertMail.compose(Brand.standard(), Recipients.of("soumu@example.co.jp"),
            new AlertBatch("c1", List.of(Alerts.pending("c1", Alerts.c2(Alerts.T0), Alerts.T0))));

    static int freePort() throws IOException {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aServerThatIsDownIsRetriedWithBackoffAndTheMailArrivesOnceWhenItIsUp() throws Exception {
        int port = freePort();
        var transport = new SmtpTransport(SmtpSettings.of("127.0.0.1", port, "noreply@omamori.example")
                .withTimeout(Duration.ofSeconds(5)));
        var worker = new OutboxWorker(outbox, transport, clock, 10);
        UUID id = outbox.enqueue("k1", mail, clock.instant());

        assertThat(worker.runOnce()).isZero();
        assertThat(outbox.row(id).state).isEqualTo(InMemoryOutbox.State.PENDING);
        assertThat(outbox.row(id).due).isEqualTo(clock.instant().plus(Duration.ofMinutes(1)));
        assertThat(outbox.row(id).lastError).isNotEmpty();

        clock.add(Duration.ofSeconds(30));
        assertThat(outbox.due(clock.instant(), 10)).isEmpty(); // not before its next attempt

        GreenMail green = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        green.start();
        try {
            clock.add(Duration.ofSeconds(30));
            assertThat(worker.runOnce()).isEqualTo(1);
            assertThat(outbox.row(id).state).isEqualTo(InMemoryOutbox.State.SENT);
            assertThat(outbox.row(id).entry.attempts()).isEqualTo(2);
            clock.add(Duration.ofHours(1));
            assertThat(worker.runOnce()).isZero();
            MimeMessage[] got = green.getReceivedMessages();
            assertThat(got).hasSize(1);
            assertThat(got[0].getSubject()).isEqualTo(mail.subject());
        } finally {
            green.stop();
        }
    }

    @Test
    void enqueueingTheSameKeyTwiceKeepsOneMail() {
        UUID a = outbox.enqueue("alerts:c1:x", mail, clock.instant());
        UUID b = outbox.enqueue("alerts:c1:x", mail, clock.instant().plusSeconds(5));
        assertThat(a).isEqualTo(b);
        assertThat(outbox.rows).hasSize(1);
    }

    @Test
    void aRefusedMailIsGivenUpAndNeverDueAgain() {
        var worker = new OutboxWorker(outbox, e -> new SendResult.Refused("SMTP 550: no such user"), clock, 10);
        UUID id = outbox.enqueue("k", mail, clock.instant());
        worker.runOnce();
        assertThat(outbox.row(id).state).isEqualTo(InMemoryOutbox.State.GIVEN_UP);
        assertThat(outbox.row(id).lastError).contains("550");
        clock.add(Duration.ofDays(3));
        assertThat(outbox.due(clock.instant(), 10)).isEmpty();
    }

    @Test
    void pausesGrowToAnHourAndRetriesEndAfterTheLimit() {
        assertThat(OutboxWorker.pause(1)).isEqualTo(Duration.ofMinutes(1));
        assertThat(OutboxWorker.pause(2)).isEqualTo(Duration.ofMinutes(2));
        assertThat(OutboxWorker.pause(6)).isEqualTo(Duration.ofMinutes(32));
        assertThat(OutboxWorker.pause(7)).isEqualTo(OutboxWorker.MAX_PAUSE);
        assertThat(OutboxWorker.pause(1000)).isEqualTo(OutboxWorker.MAX_PAUSE);

        var tries = new AtomicInteger();
        var worker = new OutboxWorker(outbox, e -> {
            tries.incrementAndGet();
            return new SendResult.Retry("connection refused");
        }, clock, 10);
        UUID id = outbox.enqueue("k", mail, clock.instant());
        for (int i = 0; i < 200; i++) {
            worker.runOnce();
            clock.add(OutboxWorker.MAX_PAUSE);
        }
        assertThat(tries).hasValue(OutboxWorker.MAX_ATTEMPTS);
        assertThat(outbox.row(id).state).isEqualTo(InMemoryOutbox.State.GIVEN_UP);
        assertThat(outbox.row(id).lastError).startsWith("gave up after 50 attempts");
    }

    @Test
    void aCrashAfterTheServerAcceptedSendsTheSameMessageIdAgainAfterTheLease() throws Exception {
        int port = freePort();
        GreenMail green = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        green.start();
        try {
            var transport = new SmtpTransport(SmtpSettings.of("127.0.0.1", port, "noreply@omamori.example"));
            // The node dies between the server's 250 and the commit of markSent.
            Outbox crashing = new Outbox() {
                @Override
                public UUID enqueue(String key, Mail m, Instant due) {
                    return outbox.enqueue(key, m, due);
                }

                @Override
                public List<OutboxEntry> due(Instant now, int limit) {
                    return outbox.due(now, limit);
                }

                @Override
                public void markSent(UUID id, Instant at) {
                    throw new IllegalStateException("node crashed");
                }

                @Override
                public void markFailed(UUID id, Instant at, String reason, Instant next) {
                    outbox.markFailed(id, at, reason, next);
                }
            };
            UUID id = outbox.enqueue("k", mail, clock.instant());
            assertThatThrownBy(() -> new OutboxWorker(crashing, transport, clock, 10).runOnce()).hasMessage("node crashed");

            var worker = new OutboxWorker(outbox, transport, clock, 10);
            clock.add(Duration.ofMinutes(4));
            assertThat(worker.runOnce()).isZero(); // still leased to the dead node
            clock.add(Duration.ofMinutes(1));
            assertThat(worker.runOnce()).isEqualTo(1);

            MimeMessage[] got = green.getReceivedMessages();
            assertThat(got).hasSize(2);
            assertThat(got[0].getMessageID()).isEqualTo(got[1].getMessageID()).isEqualTo("<" + id + "@omamori.example>");
            assertThat(got[1].getSubject()).isEqualTo(got[0].getSubject());
        } finally {
            green.stop();
        }
    }
}
