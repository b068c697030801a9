package org.omamori.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.omamori.events.ApplianceId;

class LivenessTest {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final ApplianceId ID = new ApplianceId("0a1b2c3d4e5f");
    final Liveness liveness = new Liveness(LivenessPolicy.standard());

    static Instant jst(String localDateTime) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(localDateTime), TOKYO).toInstant();
    }

    /** Runs the check every minute from {@code from} to {@code to}, as the scheduler does; contacts stop at {@code lastContact}. */
    List<Notice> everyMinute(Watch start, Instant from, Instant to) {
        List<Notice> all = new ArrayList<>();
        Watch w = start;
        for (Instant t = from; !t.isAfter(to); t = t.plusSeconds(60)) {
            Liveness.Decision d = liveness.decide(w, t);
            all.addAll(d.notices());
            w = d.next();
        }
        return all;
    }

    @Test
    void aRunningApplianceGetsNoMail() {
        Instant last = jst("2026-11-23T10:00:00");
        Liveness.Decision d = liveness.decide(Watch.running(ID, last), last.plus(Duration.ofMinutes(9)).plusSeconds(59));
        assertThat(d.notices()).isEmpty();
        assertThat(d.next().stop()).isEmpty();
    }

    @Test
    void tenMinutesOfSilenceIsAStopNoticedOnce() {
        Instant last = jst("2026-11-23T10:00:00");
        Liveness.Decision d = liveness.decide(Watch.running(ID, last), last.plus(Duration.ofMinutes(10)));
        assertThat(d.notices()).containsExactly(new Notice.Stopped(ID, last, last.plus(Duration.ofMinutes(10))));
        assertThat(liveness.decide(d.next(), last.plus(Duration.ofMinutes(11))).notices()).isEmpty();
    }

    @Test
    void aStillStoppedApplianceIsRemindedAtNineEachDay() {
        Instant last = jst("2026-11-23T10:00:00");
        List<Notice> n = everyMinute(Watch.running(ID, last), last, jst("2026-11-25T12:00:00"));
        assertThat(n).hasSize(3);
        assertThat(n.get(0)).isInstanceOf(Notice.Stopped.class);
        assertThat(n.subList(1, 3)).allSatisfy(x -> assertThat(x).isInstanceOf(Notice.StillStopped.class))
                .extracting(Notice::at).containsExactly(jst("2026-11-24T09:00:00"), jst("2026-11-25T09:00:00"));
    }

    @Test
    void noReminderWithinSixHoursOfTheFirstNotice() {
        // Stopped 05:00 → noticed 05:10; 09:00 is 3 h 50 min later: skipped; the next day's check mails.
        Instant last = jst("2026-11-23T05:00:00");
        List<Notice> n = everyMinute(Watch.running(ID, last), last, jst("2026-11-24T10:00:00"));
        assertThat(n).extracting(Notice::at).containsExactly(jst("2026-11-23T05:10:00"), jst("2026-11-24T09:00:00"));
        // Noticed 02:59 → 09:00 is 6 h 01 min later: reminded.
        Instant early = jst("2026-11-23T02:49:00");
        assertThat(everyMinute(Watch.running(ID, early), early, jst("2026-11-23T10:00:00"))).extracting(Notice::at)
                .containsExactly(jst("2026-11-23T02:59:00"), jst("2026-11-23T09:00:00"));
        // Noticed exactly 6 h before: reminded (the rule is "within" 6 h).
        Instant edge = jst("2026-11-23T02:50:00");
        assertThat(everyMinute(Watch.running(ID, edge), edge, jst("2026-11-23T10:00:00"))).hasSize(2);
    }

    @Test
    void remindersCrossTheYearEnd() {
        Instant last = jst("2026-12-31T22:30:00");
        List<Notice> n = everyMinute(Watch.running(ID, last), last, jst("2027-01-02T09:30:00"));
        assertThat(n).extracting(Notice::at).containsExactly(jst("2026-12-31T22:40:00"), jst("2027-01-01T09:00:00"),
                jst("2027-01-02T09:00:00"));
        // 31 Dec 05:00: 09:00 that day is too soon, 1 Jan 09:00 mails.
        Instant morning = jst("2026-12-31T05:00:00");
        assertThat(everyMinute(Watch.running(ID, morning), morning, jst("2027-01-01T12:00:00"))).extracting(Notice::at)
                .containsExactly(jst("2026-12-31T05:10:00"), jst("2027-01-01T09:00:00"));
    }

    @Test
    void aCheckMissedWhileTheSchedulerWasDownIsAnsweredOnceLate() {
        Instant last = jst("2026-11-23T10:00:00");
        Watch w = liveness.decide(Watch.running(ID, last), jst("2026-11-23T10:10:00")).next();
        // Nothing ran from 10:10 on the 23rd to 11:30 on the 25th: two checks passed, one reminder.
        Liveness.Decision d = liveness.decide(w, jst("2026-11-25T11:30:00"));
        assertThat(d.notices()).singleElement().isInstanceOfSatisfying(Notice.StillStopped.class,
                s -> assertThat(s.check()).isEqualTo(jst("2026-11-25T09:00:00")));
        assertThat(liveness.decide(d.next(), jst("2026-11-25T11:31:00")).notices()).isEmpty();
    }

    @Test
    void comingBackAfterANoticeMailsARecovery() {
        Instant last = jst("2026-11-23T10:00:00");
        Watch stopped = liveness.decide(Watch.running(ID, last), jst("2026-11-23T10:10:00")).next();
        Instant back = jst("2026-11-24T08:15:00");
        Liveness.Decision d = liveness.decide(stopped.contacted(back), back.plusSeconds(30));
        assertThat(d.notices()).containsExactly(new Notice.Recovered(ID, last, back, back.plusSeconds(30)));
        assertThat(d.next().stop()).isEmpty();
        assertThat(liveness.decide(d.next().contacted(jst("2026-11-24T08:59:30")), jst("2026-11-24T09:00:00")).notices()).isEmpty();
    }

    @Test
    void aShortSilenceThatEndsBeforeTenMinutesMailsNothing() {
        Instant last = jst("2026-11-23T10:00:00");
        Watch w = Watch.running(ID, last);
        w = liveness.decide(w, jst("2026-11-23T10:08:00")).next();
        assertThat(liveness.decide(w.contacted(jst("2026-11-23T10:09:00")), jst("2026-11-23T10:12:00")).notices()).isEmpty();
    }

    @Test
    void backAndStoppedAgainBetweenTwoChecksIsARecoveryAndANewStop() {
        Instant last = jst("2026-11-23T10:00:00");
        Watch stopped = liveness.decide(Watch.running(ID, last), jst("2026-11-23T10:10:00")).next();
        Instant briefly = jst("2026-11-23T11:00:00");
        Liveness.Decision d = liveness.decide(stopped.contacted(briefly), jst("2026-11-23T11:30:00"));
        assertThat(d.notices()).hasSize(2);
        assertThat(d.notices().get(0)).isInstanceOf(Notice.Recovered.class);
        assertThat(d.notices().get(1)).isEqualTo(new Notice.Stopped(ID, briefly, jst("2026-11-23T11:30:00")));
    }

    @Test
    void unmonitoredOrNeverInstalledAppliancesGetNoMail() {
        Instant last = jst("2026-11-23T10:00:00");
        assertThat(liveness.decide(new Watch(ID, false, Optional.of(last), Optional.empty()), last.plus(Duration.ofDays(3))).notices()).isEmpty();
        assertThat(liveness.decide(new Watch(ID, true, Optional.empty(), Optional.empty()), last).notices()).isEmpty();
    }

    @Test
    void theSameInputsDecideTheSameNoticesWithTheSameKeys() {
        Instant last = jst("2026-11-23T10:00:00");
        Watch w = Watch.running(ID, last);
        assertThat(liveness.decide(w, jst("2026-11-23T10:10:00"))).isEqualTo(liveness.decide(w, jst("2026-11-23T10:10:00")));
        assertThat(liveness.decide(w, jst("2026-11-23T10:10:00")).notices().getFirst().key())
                .isEqualTo(liveness.decide(w, jst("2026-11-23T10:11:00")).notices().getFirst().key());
    }

    @Test
    void theCheckTimeAndTheSilenceAreSettings() {
        Liveness l = new Liveness(new LivenessPolicy(Duration.ofMinutes(30), LocalTime.of(18, 0), TOKYO, Duration.ofHours(6)));
        Instant last = jst("2026-11-23T08:00:00");
        Watch w = Watch.running(ID, last);
        assertThat(l.decide(w, jst("2026-11-23T08:20:00")).notices()).isEmpty();
        List<Notice> n = new ArrayList<>();
        for (Instant t = last; t.isBefore(jst("2026-11-24T19:00:00")); t = t.plusSeconds(60)) {
            Liveness.Decision d = l.decide(w, t);
            n.addAll(d.notices());
            w = d.next();
        }
        assertThat(n).extracting(Notice::at).containsExactly(jst("2026-11-23T08:30:00"), jst("2026-11-23T18:00:00"),
                jst("2026-11-24T18:00:00"));
        assertThatThrownBy(() -> new LivenessPolicy(Duration.ofSeconds(10), LocalTime.NOON, TOKYO, Duration.ZERO))
                .hasMessageContaining("shorter than two heartbeats");
    }

    @Test
    void theNoticesAreComposedInJapanese() {
        Recipients to = Recipients.of("soumu@example.co.jp");
        Instant last = jst("2026-12-31T22:30:00");
        Mail stopped = ApplianceMail.compose(Brand.standard(), to, Alerts.HONSHA, new Notice.Stopped(ID, last, jst("2026-12-31T22:40:00")));
        assertThat(stopped.subject()).isEqualTo("【停止検知】サイバーセキュリティお助け隊 UTM装置の稼働停止のお知らせ（本社 1F）");
        assertThat(stopped.body()).contains("本社 1F (0a1b2c3d4e5f)", "最終通信日時: 2026/12/31 22:30（日本時間）", "電源", "お助け隊 相談窓口",
                "ポータルで状態を見る: https://portal.omamori.example/appliances/0a1b2c3d4e5f");
        Mail still = ApplianceMail.compose(Brand.standard(), to, Alerts.HONSHA, new Notice.StillStopped(ID, last,
                jst("2026-12-31T22:40:00"), jst("2027-01-01T09:00:00"), jst("2027-01-01T09:00:00")));
        assertThat(still.subject()).startsWith("【停止継続】");
        assertThat(still.body()).contains("2026/12/31 22:40 にお知らせした", "停止している時間: 10時間30分");
        Mail back = ApplianceMail.compose(Brand.standard(), to, Alerts.HONSHA, new Notice.Recovered(ID, last,
                jst("2027-01-02T10:31:00"), jst("2027-01-02T10:31:30")));
        assertThat(back.subject()).startsWith("【復旧】");
        assertThat(back.body()).contains("通信の再開を確認: 2027/01/02 10:31", "約 1日12時間1分");
        assertThatThrownBy(() -> ApplianceMail.compose(Brand.standard(), to, Alerts.HONSHA,
                new Notice.Stopped(new ApplianceId("ffffffffffff"), last, last))).hasMessageContaining("composed for");
    }
}
