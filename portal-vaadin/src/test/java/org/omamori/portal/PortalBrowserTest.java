package org.omamori.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.github.mvysny.vaadinboot.VaadinBoot;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.accounts.Base32;
import org.omamori.accounts.Totp;
import org.omamori.store.AlertQuery;
import org.omamori.store.AlertRow;
import org.omamori.store.TenantScope;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The real portal (Vaadin on Jetty, production bundle) in Debian's Chromium, against a real store
 * with graded alerts: first sign-in with an authenticator app and with SMS, later sign-ins, wrong
 * codes, lock-out, the customer's pages, the reseller console, an announcement, and the
 * cross-tenant cases. Screenshots of the main pages go to target/screenshots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortalBrowserTest {

    @TempDir
    static Path dir;

    World world;
    VaadinBoot server;
    Browser browser;
    String base;
    byte[] minatoSecret;

    static final String MINATO_ID = "yamada.minato";
    static final String NEW_PASSWORD = "Minato-Seisakusho-77";

    @BeforeAll
    void start() throws Exception {
        world = new World(dir);
        Portal.install(world.portal);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        server = PortalMain.start(port, "127.0.0.1");
        base = "http://127.0.0.1:" + port + "/";
        browser = new Browser(base, dir.resolve("chromium"), Path.of("target/screenshots"));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.stop("test end");
        }
        world.close();
    }

    @Test
    @Order(0)
    void anAnonymousVisitorLandsOnTheSignInPageInJapanese() throws Exception {
        browser.open("");
        assertThat(browser.path()).startsWith("signin");
        assertThat(browser.page()).contains("ユーザーID", "パスワード", "サインイン");
        browser.screenshots("signin");
    }

    @Test
    @Order(1)
    void firstSignInChoosesOwnIdPasswordAndAuthenticatorApp() throws Exception {
        world.issue(world.minato, "tmp-mnt0000001", "Tmp-Pass-abcd-2345", "山田 太郎");
        browser.signIn("tmp-mnt0000001", "Tmp-Pass-abcd-2345");
        assertThat(browser.path()).startsWith("welcome");
        // A weak password is refused with the rule in Japanese.
        browser.chooseCredentials(MINATO_ID, "password");
        assertThat(browser.text("welcome-problems")).contains("12文字以上");
        browser.type("new-password", NEW_PASSWORD);
        browser.type("new-password-repeat", NEW_PASSWORD);
        browser.click("welcome-next");
        browser.radio("two-step-method", "認証アプリ");
        assertThat(browser.byId("totp-qr").getTagName()).isEqualTo("svg");
        browser.screenshots("welcome-totp");
        minatoSecret = Base32.decode(browser.text("totp-secret"));
        browser.type("enrol-code", Totp.code(minatoSecret, Totp.step(world.clock.instant())));
        browser.click("welcome-finish");
        assertThat(browser.text("status-banner")).contains("ご利用の環境で問題がみつかりました");
        assertThat(browser.path()).isEmpty();
        // The temporary ID is gone; the chosen one works.
        assertThat(world.portal.accounts().forSignIn("tmp-mnt0000001")).isEmpty();
        assertThat(world.portal.accounts().forSignIn(MINATO_ID)).isPresent();
    }

    @Test
    @Order(2)
    void theDashboardShowsWhatTheAppliancesSent() throws Exception {
        browser.open("");
        String page = browser.page();
        assertThat(page).contains("本社", "倉庫", world.minato1.value(), world.minato2.value(), "稼働中");
        assertThat(browser.text("threats-per-day")).contains("検知数");
        browser.screenshots("dashboard");
    }

    @Test
    @Order(3)
    void theAlertListShowsGradedAlertsWithSeedFormIdsAndFilters() throws Exception {
        browser.click("problems");
        assertThat(browser.path()).startsWith("alerts");
        List<AlertRow> all = world.store.statistics().alerts(TenantScope.customer(world.minato),
                AlertQuery.period(world.clock.instant().minus(Duration.ofDays(30)), world.clock.instant().plusSeconds(60))).alerts();
        assertThat(all).hasSizeGreaterThanOrEqualTo(3);
        AlertRow high = all.stream().filter(a -> a.grade() == org.omamori.grading.Grade.HIGH).findFirst().orElseThrow();
        String grid = browser.text("alerts");
        assertThat(grid).contains(high.displayId(), "★★★");
        assertThat(high.displayId()).matches("[0-9]{10}-[0-9]+");
        assertThat(grid).doesNotContain("★☆☆"); // 問題を確認 shows ★★★ only
        browser.open("alerts");
        assertThat(browser.text("alerts")).contains("★★★", "★★☆", "★☆☆");
        browser.screenshots("alerts");
        browser.open("alerts?function=url-filtering");
        String filtered = browser.text("alerts");
        assertThat(filtered).contains("URLフィルタリング").doesNotContain("IPS");
        // The detail page: facts, advice and the events behind the alert.
        browser.open("alerts/" + high.displayId());
        assertThat(browser.text("alert-facts")).contains("192.168.10.21");
        assertThat(browser.text("alert-advice")).contains("フルスキャン");
        assertThat(browser.text("alert-events")).contains("c2.example.net");
        browser.screenshots("alert");
        // The link in the alert mail (the alert's id) opens the same page.
        browser.open("alerts/" + high.id());
        assertThat(browser.text("alert-facts")).contains("192.168.10.21");
        // A blocked name's repeats folded by the appliance: one more event, its count in 件数, the alert's count summed.
        AlertRow phishing = all.stream().filter(a -> a.function().equals(org.omamori.api.engine.SecurityFunction.URL_FILTERING))
                .findFirst().orElseThrow();
        assertThat(phishing.count()).isEqualTo(43);
        browser.open("alerts/" + phishing.displayId());
        assertThat(browser.text("alert-facts")).contains("43");
        String events = browser.text("alert-events");
        assertThat(events).contains("件数", "42", "login-bank.example.com");
        // The DNS lookups: one row per name, PC and minute with its count, first and last time.
        browser.open("dns");
        assertThat(browser.text("dns-summary")).contains("2 件の記録", "問い合わせ 121 回");
        String lookups = browser.text("dns-log");
        assertThat(lookups).contains("件数", "最後の問い合わせ", "www.example.co.jp", "192.168.10.21", "120", "分類なし",
                "news.example.jp", "ニュース").doesNotContain("login-bank.example.com", "News");
        browser.screenshots("dns");
        // The applications: per application its category, connections and PCs, from the navigation.
        assertThat(browser.allText()).contains("アプリケーション");
        // The customer's appliances are listed by id, which is random here: name the one with the apps.
        browser.open("applications?appliance=" + world.minato1.value());
        assertThat(browser.text("applications-summary")).contains("2 種類のアプリケーション", "接続 192 回");
        String apps = browser.text("applications");
        assertThat(apps).contains("アプリケーション", "カテゴリ", "接続数", "端末数", "YouTube", "動画", "180",
                "Microsoft365", "業務", "12").doesNotContain("Steam");
        assertThat(apps.indexOf("YouTube")).isLessThan(apps.indexOf("Microsoft365")); // the most used first
        assertThat(apps).containsPattern("YouTube\\s+動画\\s+180\\s+2");
        browser.screenshots("applications");
        browser.open("applications?days=30&appliance=" + world.minato2.value());
        assertThat(browser.text("applications-none")).contains("識別されたアプリケーションはありません");
        // Another tenant's appliance is ignored: one of the customer's own is shown, never the other's apps.
        browser.open("applications?appliance=" + world.other1.value());
        assertThat(browser.text("applications-summary")).contains("種類のアプリケーション");
        assertThat(browser.page()).doesNotContain("Steam", "本店", "ほかの会社");
        browser.open("appliances/" + world.minato1.value());
        assertThat(browser.text("appliance-facts")).contains("1.4.2", "稼働中");
        browser.open("compare");
        assertThat(browser.text("average-hidden")).contains("5社未満");
    }

    @Test
    @Order(4)
    void anotherTenantsIdsAreNotFound() throws Exception {
        AlertRow foreign = world.store.statistics().alerts(TenantScope.customer(world.other),
                AlertQuery.period(world.clock.instant().minus(Duration.ofDays(30)), world.clock.instant().plusSeconds(60)))
                .alerts().getFirst();
        // Display ids are unique per customer only: when minato has one of the same text, that
        // address shows minato's own alert, never the other's.
        boolean sharedDisplayId = world.store.statistics().alertByDisplayId(TenantScope.customer(world.minato),
                foreign.displayId()).isPresent();
        for (String path : List.of("alerts/" + foreign.displayId(), "alerts/" + foreign.id(),
                "appliances/" + world.other1.value(), "alerts/" + foreign.displayId() + "?c=" + world.other.value())) {
            browser.open(path);
            if (!(sharedDisplayId && path.startsWith("alerts/" + foreign.displayId()))) {
                assertThat(browser.text("not-found")).as(path).contains("見つかりません");
            }
            assertThat(browser.page()).as(path).doesNotContain("10.0.0.9", "ほかの会社", "本店");
        }
        // A filter naming another customer's appliance is ignored: his own alerts, nothing else.
        browser.open("alerts?appliance=" + world.other1.value());
        assertThat(browser.text("alerts")).contains("★★★").doesNotContain("10.0.0.9");
        assertThat(browser.page()).doesNotContain("本店", "ほかの会社");
        // A customer cannot switch company with ?c=: he stays on his own.
        browser.open("?c=" + world.other.value());
        assertThat(browser.page()).contains("本社").doesNotContain("本店");
    }

    @Test
    @Order(5)
    void signOutEndsTheSessionAndALaterSignInAsksForAFreshCode() throws Exception {
        browser.click("sign-out");
        browser.open("");
        assertThat(browser.path()).startsWith("signin");
        world.clock.add(Duration.ofSeconds(31)); // the enrolment code's step is spent
        browser.type("login-id", MINATO_ID);
        browser.type("password", NEW_PASSWORD);
        browser.click("signin-submit");
        assertThat(browser.path()).startsWith("signin/code");
        browser.type("code", "000000".equals(Totp.code(minatoSecret, Totp.step(world.clock.instant()))) ? "111111" : "000000");
        browser.click("code-submit");
        assertThat(browser.text("code-message")).contains("確認コードが正しくありません");
        String code = Totp.code(minatoSecret, Totp.step(world.clock.instant()));
        browser.type("code", code);
        browser.click("code-submit");
        assertThat(browser.text("status-banner")).contains("問題");
        // The same code again (a replay) is refused.
        browser.click("sign-out");
        browser.signIn(MINATO_ID, NEW_PASSWORD);
        browser.type("code", code);
        browser.click("code-submit");
        assertThat(browser.text("code-message")).contains("確認コードが正しくありません");
    }

    @Test
    @Order(6)
    void smsSignInReadsTheCodeFromTheOutbox() throws Exception {
        browser.driver.manage().deleteAllCookies();
        world.issue(world.sakura, "tmp-skr0000001", "Tmp-Pass-wxyz-6789", "佐藤 花子");
        browser.signIn("tmp-skr0000001", "Tmp-Pass-wxyz-6789");
        browser.chooseCredentials("sato.sakura", "Sakura-Kaikei-2026");
        browser.radio("two-step-method", "SMS");
        browser.type("sms-phone", "090-1234-5678");
        browser.click("sms-send");
        browser.type("enrol-code", smsCode("+819012345678"));
        browser.click("welcome-finish");
        assertThat(browser.text("status-banner")).contains("問題はみつかりませんでした");
        browser.click("sign-out");
        browser.signIn("sato.sakura", "Sakura-Kaikei-2026");
        assertThat(browser.text("code-intro")).contains("78");
        browser.type("code", smsCode("+819012345678"));
        browser.click("code-submit");
        assertThat(browser.text("status-banner")).contains("問題はみつかりませんでした");
        browser.click("sign-out");
    }

    @Test
    @Order(7)
    void repeatedFailuresLockTheAccount() throws Exception {
        browser.driver.manage().deleteAllCookies();
        for (int i = 0; i < 5; i++) {
            browser.signIn("sato.sakura", "wrong-password-" + i);
        }
        assertThat(browser.text("signin-message")).contains("ロックされています");
        browser.signIn("sato.sakura", "Sakura-Kaikei-2026");
        assertThat(browser.text("signin-message")).contains("ロックされています");
        assertThat(browser.path()).startsWith("signin");
        world.clock.add(Duration.ofMinutes(2)); // the first lock lasts a minute
    }

    @Test
    @Order(8)
    void aCustomerWithoutApplianceSeesHowToStart() throws Exception {
        browser.driver.manage().deleteAllCookies();
        world.issue(world.kaede, "tmp-kde0000001", "Tmp-Pass-kaed-1357", "鈴木 次郎");
        browser.signIn("tmp-kde0000001", "Tmp-Pass-kaed-1357");
        browser.chooseCredentials("suzuki.kaede", "Kaede-Koumuten-2468");
        browser.radio("two-step-method", "使わない");
        browser.click("welcome-finish");
        assertThat(browser.text("no-appliance")).contains("機器はまだ登録されていません");
        browser.screenshots("dashboard-no-appliance");
        browser.click("sign-out");
    }

    @Test
    @Order(9)
    void theResellerConsoleListsItsCustomersOnlyAndSearchesWithinThem() throws Exception {
        browser.driver.manage().deleteAllCookies();
        signInWithoutCode("staff.minato");
        assertThat(browser.path()).startsWith("customers");
        String overview = browser.text("customers");
        assertThat(overview).contains("株式会社みなと製作所", "有限会社さくら会計", "かえで工務店").doesNotContain("ほかの会社");
        // The health columns, the definitions' age among them (the world's appliances reported just now).
        assertThat(overview).contains("★★★", "停止中", "最終通信", "定義ファイルの古さ", "0日");
        browser.screenshots("customers");
        browser.type("search", "c2.example.net");
        browser.click("search-button");
        String results = browser.text("search-results");
        assertThat(results).contains("株式会社みなと製作所").doesNotContain("ほかの会社");
        // Drill into a customer: his dashboard, read-only, and the view is in his audit log.
        browser.open("?c=" + world.minato.value());
        assertThat(browser.page()).contains("閲覧のみ", "本社");
        assertThat(world.portal.accounts().audit(TenantScope.customer(world.minato), java.util.Optional.empty(), null, 100))
                .anyMatch(e -> e.kind() == org.omamori.accounts.AuditEntry.Kind.CUSTOMER_VIEWED && e.account().equals(world.staff1));
        // Another reseller's customer is not found.
        browser.open("alerts?c=" + world.other.value());
        assertThat(browser.text("not-found")).contains("見つかりません");
        browser.click("sign-out");
    }

    @Test
    @Order(10)
    void staffIssueAnAccountByMailSetRecipientsAndResetASecondStep() throws Exception {
        browser.driver.manage().deleteAllCookies();
        signInWithoutCode("staff.minato");
        browser.open("customers/manage?c=" + world.minato.value());
        browser.screenshots("customer-admin");
        // Company data, changed as the desk would; a bad phone number is refused with the reason.
        browser.type("profile-contactName", "山田 太郎");
        browser.type("profile-phone", "03-1234-5678 内線");
        browser.click("save-profile");
        assertThat(browser.text("manage-message")).contains("phone number");
        browser.type("profile-phone", "03-1234-5678");
        browser.type("profile-address", "東京都港区芝公園1-2-3");
        browser.click("save-profile");
        assertThat(world.store.tenants().profile(TenantScope.customer(world.minato), world.minato).orElseThrow())
                .satisfies(p -> assertThat(p.contactName() + p.phone() + p.address()).isEqualTo("山田 太郎03-1234-5678東京都港区芝公園1-2-3"));
        // Recipients: a bad address is refused with the reason; three good ones are kept.
        browser.type("recipient-1", "soumu@minato.example.jp");
        browser.type("recipient-2", "not-an-address");
        browser.click("save-recipients");
        assertThat(browser.text("manage-message")).contains("not a mail address");
        browser.type("recipient-2", "it@minato.example.jp");
        browser.click("save-recipients");
        assertThat(world.store.monitoring().recipients(TenantScope.customer(world.minato), world.minato).orElseThrow().addresses())
                .containsExactly("soumu@minato.example.jp", "it@minato.example.jp");
        // A new account: the temporary credentials go by mail through the outbox, not to the page.
        browser.type("issue-name", "田中 一郎");
        browser.type("issue-mail", "tanaka@minato.example.jp");
        browser.click("issue-account");
        String said = browser.text("manage-message");
        assertThat(said).contains("tmp-");
        String tmpId = said.substring(said.indexOf("tmp-"), said.indexOf("tmp-") + 14);
        var mail = world.store.monitoring().outbox(20).stream().filter(m -> m.mail().body().contains(tmpId)).findFirst().orElseThrow();
        assertThat(mail.mail().to().addresses()).containsExactly("tanaka@minato.example.jp");
        assertThat(mail.mail().subject()).contains("アカウント発行");
        assertThat(browser.page()).doesNotContain(passwordIn(mail.mail().body()));
        assertThat(world.portal.signIn().password(tmpId, passwordIn(mail.mail().body()), null)).isInstanceOf(SignIn.FirstSignIn.class);
        // Yamada lost his phone: staff reset his second step; he signs in with the password alone and sets up SMS.
        browser.click("reset-" + MINATO_ID);
        browser.click("sign-out");
        browser.driver.manage().deleteAllCookies();
        browser.signIn(MINATO_ID, NEW_PASSWORD);
        assertThat(browser.text("status-banner")).contains("問題");
        browser.open("account");
        assertThat(browser.text("two-step-current")).contains("使わない");
        browser.radio("two-step-method", "SMS");
        browser.type("sms-phone", "080-2222-3333");
        browser.click("sms-send");
        browser.type("enrol-code", smsCode("+818022223333"));
        browser.click("welcome-finish");
        assertThat(browser.text("two-step-current")).contains("SMS");
        browser.click("sign-out");
    }

    @Test
    @Order(11)
    void operatorsConfirmAFaultAndTheAffectedCustomersAreMailed() throws Exception {
        var fault = world.store.faults().observe(new org.omamori.store.Faults.Observation(org.omamori.notify.Fault.Level.A,
                org.omamori.notify.Fault.Component.MAIL, "mail", "SMTP relay refuses connections", java.util.Optional.empty(),
                org.omamori.store.Faults.Affected.everyone()), world.clock.instant());
        long before = world.store.monitoring().outbox(100).size();
        browser.driver.manage().deleteAllCookies();
        signInWithoutCode("operator");
        browser.open("operator/faults");
        assertThat(browser.text("faults")).contains("SMTP relay refuses connections", "未確認");
        browser.screenshots("faults");
        browser.byId("faults").findElement(By.xpath(".//vaadin-button[contains(., '確認してお客様に通知')]")).click();
        browser.waitForVaadin();
        assertThat(browser.text("faults-message")).startsWith(fault.fault().id() + ":");
        assertThat(world.store.monitoring().outbox(100).size()).isGreaterThan((int) before);
        browser.click("sign-out");
    }

    @Test
    @Order(12)
    void anAnnouncementReachesTheDashboardsAndTheOutbox() throws Exception {
        browser.driver.manage().deleteAllCookies();
        signInWithoutCode("operator");
        browser.open("operator/announcements");
        browser.type("announce-title", "クラウド監視システムの障害について");
        browser.type("announce-body", "12月5日 10時00分から10時20分まで、アラートメールの送信が遅れました。");
        browser.click("announce-publish");
        assertThat(browser.text("announce-message")).contains("公開しました");
        browser.click("sign-out");
        browser.driver.manage().deleteAllCookies();
        browser.signIn("suzuki.kaede", "Kaede-Koumuten-2468");
        assertThat(browser.text("announcements")).contains("クラウド監視システムの障害について", "障害のお知らせ");
        browser.screenshots("dashboard-announcement");
        browser.click("sign-out");
    }

    @Test
    @Order(13)
    void responsesCarrySecurityHeadersAndAStrictSessionCookie() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "signin")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("frame-ancestors 'none'"));
        assertThat(r.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(r.headers().firstValue("Strict-Transport-Security")).isEmpty(); // plain HTTP here
        assertThat(r.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).contains("HttpOnly").containsIgnoringCase("SameSite=Strict"));
        // A server call without the UI's CSRF token (a forged request riding on the session cookie)
        // changes nothing and answers no data: Vaadin refuses it.
        browser.driver.manage().deleteAllCookies();
        signInWithoutCode("operator");
        browser.open("operator/faults");
        assertThat(browser.text("faults")).contains("SMTP relay");
        String cookie = "OMAMORI_SESSION=" + browser.driver.manage().getCookieNamed("OMAMORI_SESSION").getValue();
        // The live UI's id, from the client's own server calls: the forged call aims at a UI that exists.
        browser.click("faults"); // any round trip
        String uidl = (String) browser.driver.executeScript("return performance.getEntriesByType('resource').map(e => e.name)"
                + ".filter(n => n.includes('v-uiId=')).pop();");
        String uiId = uidl.replaceAll(".*v-uiId=([0-9]+).*", "$1");
        HttpResponse<String> forged = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "?v-r=uidl&v-uiId=" + uiId))
                .header("Cookie", cookie).header("Content-Type", "application/json; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"csrfToken\":\"forged\",\"rpc\":[{\"type\":\"navigation\",\"location\":\"operator/faults\"}],\"syncId\":0,\"clientId\":0}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        // Vaadin's answer to a bad CSRF token: an application error, no changes, no sync.
        assertThat(forged.body()).contains("\"appError\"", "\"syncId\":-1", "\"changes\":{}").doesNotContain("SMTP relay", "障害");
    }

    /** The demo-like accounts of {@link World} (operator, staff) have no second step. */
    @Test
    @Order(14)
    void staffRegisterAndApproveAContractInTheEditionsTermsAndTheCustomerSeesIt() throws Exception {
        world.store.monitoring().recipients(world.kaede, org.omamori.notify.Recipients.of("suzuki@kaede.example.jp"));
        browser.driver.manage().deleteAllCookies();
        signInWithoutCode("staff.minato");
        assertThat(browser.text("brand")).isEqualTo("商工会議所サイバーセキュリティお助け隊サービス");
        assertThat(browser.text("legal-links")).contains("利用規約", "個人情報の取扱い");
        assertThat(browser.byId("brand-logo").getAttribute("src")).startsWith("data:image/svg+xml;base64,");
        browser.open("contracts");
        browser.choose("new-contract-customer", "かえで工務店");
        browser.click("new-contract-member");
        browser.click("new-contract-create");
        assertThat(browser.text("contracts-message")).contains("申込受付");
        long id = world.store.contracts().list(TenantScope.customer(world.kaede)).getFirst().id();
        browser.screenshots("contracts");
        browser.click("contract-" + id + "-approve");
        assertThat(browser.text("contracts-message")).contains("承認済み");
        assertThat(world.store.monitoring().outbox(100)).anyMatch(m -> m.mail().subject().startsWith("【契約成立】商工会議所サイバーセキュリティお助け隊サービス")
                && m.mail().to().addresses().contains("suzuki@kaede.example.jp"));
        browser.click("contract-" + id + "-ship");
        assertThat(browser.text("contracts-message")).as("Niigata ships after payment").contains("payment-before-shipping");
        browser.click("sign-out");
        browser.driver.manage().deleteAllCookies();
        browser.signIn("suzuki.kaede", "Kaede-Koumuten-2468");
        assertThat(browser.text("brand")).isEqualTo("商工会議所サイバーセキュリティお助け隊サービス");
        browser.open("contracts");
        assertThat(browser.text("my-contract")).contains("契約番号 " + id, "承認済み（契約成立）", "初回利用料の支払い");
        assertThat(browser.text("contract-history")).contains("申込", "承認");
        browser.screenshots("my-contract");
        browser.click("sign-out");
    }

    /** A customer asks in the portal; the reseller's staff see it in the queue, do the steps and answer by mail; the customer closes it. */
    @Test
    @Order(15)
    void aCustomersInquiryIsAnsweredByTheDeskAndClosedByTheCustomer() throws Exception {
        world.store.monitoring().recipients(world.kaede, org.omamori.notify.Recipients.of("suzuki@kaede.example.jp"));
        browser.driver.manage().deleteAllCookies();
        browser.signIn("suzuki.kaede", "Kaede-Koumuten-2468");
        browser.open("tickets");
        browser.choose("new-ticket-kind", "登録情報の変更");
        browser.type("new-ticket-subject", "担当者の変更");
        browser.type("new-ticket-body", "担当者が佐藤に変わりました。");
        browser.click("new-ticket-send");
        assertThat(browser.text("tickets-message")).contains("受付済み", "回答期限");
        var mine = world.store.tickets().list(TenantScope.customer(world.kaede), false, 10).getFirst();
        assertThat(mine.ticket().kind()).isEqualTo(org.omamori.backoffice.desk.TicketKind.COMPANY_DATA);
        browser.screenshots("tickets-customer");
        browser.click("sign-out");

        browser.driver.manage().deleteAllCookies();
        signInWithoutCode("staff.minato");
        browser.open("tickets");
        assertThat(browser.text("tickets")).contains(mine.token(), "担当者の変更", "受付済み");
        browser.click("ticket-" + mine.id() + "-open");
        assertThat(browser.text("ticket-detail")).contains("担当者が佐藤に変わりました。", "次の手順: ご本人確認");
        browser.type("ticket-text", "お電話でご本人確認しました。");
        browser.click("ticket-" + mine.id() + "-answer");
        assertThat(browser.text("tickets-message")).as("the steps come first").contains("ご本人確認");
        browser.click("ticket-" + mine.id() + "-open");
        browser.type("ticket-text", "電話で確認");
        browser.click("ticket-" + mine.id() + "-step");
        browser.type("ticket-text", "登録情報を更新");
        browser.click("ticket-" + mine.id() + "-step");
        browser.type("ticket-text", "ご担当者を佐藤様に変更いたしました。");
        browser.click("ticket-" + mine.id() + "-answer");
        assertThat(browser.text("tickets-message")).contains("回答済み");
        assertThat(browser.text("ticket-steps")).contains("ご本人確認: 電話で確認", "登録情報の更新: 登録情報を更新");
        browser.screenshots("tickets-staff");
        assertThat(world.store.monitoring().outbox(200)).anyMatch(m -> m.mail().subject().equals("Re: [#" + mine.token() + "] 担当者の変更")
                && m.mail().to().addresses().contains("suzuki@kaede.example.jp") && m.mail().body().contains("ご担当者を佐藤様に変更いたしました。"));
        browser.click("sign-out");

        browser.driver.manage().deleteAllCookies();
        browser.signIn("suzuki.kaede", "Kaede-Koumuten-2468");
        browser.open("tickets");
        browser.click("ticket-" + mine.id() + "-open");
        assertThat(browser.text("ticket-detail")).contains("ご担当者を佐藤様に変更いたしました。", "サポート窓口").doesNotContain("staff.minato");
        browser.click("ticket-" + mine.id() + "-solved");
        assertThat(browser.text("tickets-message")).contains("完了");
        browser.click("sign-out");
    }

    /** Staff take a claim through ①–⑨; the customer follows it with its own share, and finds its monthly report. */
    @Test
    @Order(16)
    void staffTakeAClaimThroughTheFlowAndTheCustomerSeesItsShareAndItsReport() throws Exception {
        // Step 14's contract of かえで工務店, paid, shipped and started today.
        var niigata = new org.omamori.backoffice.contract.Lifecycle(new org.omamori.edition.niigata.NiigataEdition());
        var stored = world.store.contracts().list(TenantScope.customer(world.kaede)).getFirst();
        java.time.LocalDate today = java.time.LocalDate.ofInstant(world.clock.instant(), java.time.ZoneId.of("Asia/Tokyo"));
        var paid = world.store.contracts().save(stored.id(), stored.version(), niigata.pay(stored.contract(), today, 59_400), java.util.Optional.empty());
        var shipped = world.store.contracts().save(stored.id(), paid.version(), niigata.ship(paid.contract(), today), java.util.Optional.empty());
        // Installed on the planned start (Niigata fixes it at the application): the service starts that day.
        java.time.LocalDate start = shipped.contract().plannedStart().filter(d -> d.isAfter(today)).orElse(today);
        world.store.contracts().save(stored.id(), shipped.version(), niigata.activate(shipped.contract(), start), java.util.Optional.empty());
        // The insurance year starts on the 1st of the month after: an alert mail on its 3rd, the dispatch on its 10th.
        java.time.LocalDate first = start.withDayOfMonth(1).plusMonths(1);
        world.store.reports().save(world.kaede, java.time.YearMonth.from(today).minusMonths(1), "%PDF-1.7 test".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        browser.driver.manage().deleteAllCookies();
        signInWithoutCode("staff.minato");
        browser.open("claims");
        browser.choose("new-claim-contract", "契約番号 " + stored.id());
        browser.setValue("new-claim-alert-mail", first.plusDays(2) + "T10:00");
        browser.click("new-claim-open");
        assertThat(browser.text("claims-message")).contains("② 相談受付");
        long id = world.store.claims().list(TenantScope.customer(world.kaede)).getFirst().id();
        browser.click("claim-" + id + "-askScan");
        browser.click("sign-out");

        browser.driver.manage().deleteAllCookies();
        browser.signIn("suzuki.kaede", "Kaede-Koumuten-2468");
        browser.open("claims");
        browser.type("claim-text", "Trojan.Generic を検出、隔離済み");
        browser.click("claim-" + id + "-scanned");
        assertThat(browser.text("claims-message")).contains("③ フルスキャン結果受領");
        browser.click("sign-out");

        browser.driver.manage().deleteAllCookies();
        signInWithoutCode("staff.minato");
        browser.open("claims");
        browser.type("claim-text", "新潟市");
        browser.click("claim-" + id + "-vendors");
        browser.type("claim-text", "にいがたPCサポート");
        browser.setValue("claim-day", first.plusDays(9).toString());
        browser.click("claim-" + id + "-schedule");
        browser.setValue("claim-day", first.plusDays(9).toString());
        browser.click("claim-" + id + "-dispatched");
        assertThat(browser.text("claims-message")).contains("⑥ 駆け付け対応済み");
        browser.type("claim-amount", "180000");
        browser.click("claim-" + id + "-reported");
        browser.click("claim-" + id + "-claimed");
        browser.click("claim-" + id + "-paid");
        assertThat(browser.text("claim-" + id)).contains("⑨ 保険金支払済み", "180,000円", "150,000円", "30,000円");
        browser.screenshots("claims");
        browser.click("sign-out");

        browser.driver.manage().deleteAllCookies();
        browser.signIn("suzuki.kaede", "Kaede-Koumuten-2468");
        browser.open("claims");
        assertThat(browser.text("claim-" + id)).contains("お客様のご負担 30,000円", "にいがたPCサポート");
        // The customer was told by mail where it had to act and how it ended, in its edition's brand.
        var claimMails = world.store.monitoring().outbox(500).stream()
                .filter(m -> m.mail().subject().contains("駆け付け・保険のご相談（請求番号 " + id + "）")).toList();
        assertThat(claimMails).extracting(m -> m.mail().subject()).anyMatch(x -> x.contains("フルスキャン依頼"))
                .anyMatch(x -> x.contains("駆け付け業者の案内")).anyMatch(x -> x.contains("保険金支払済み"));
        assertThat(claimMails).allMatch(m -> m.mail().to().addresses().contains("suzuki@kaede.example.jp")
                && m.mail().subject().startsWith("【商工会議所サイバーセキュリティお助け隊サービス】"));
        assertThat(claimMails).anyMatch(m -> m.mail().body().contains("30,000円 は、業者へ直接お支払いください"));
        browser.open("reports");
        assertThat(browser.text("reports")).contains(java.time.YearMonth.from(today).minusMonths(1).getMonthValue() + "月", "ダウンロード");
        browser.click("reports-mail");
        assertThat(world.store.reports().wantsMail(TenantScope.customer(world.kaede), world.kaede)).isTrue();
        browser.click("sign-out");

        browser.driver.manage().deleteAllCookies();
        signInWithoutCode("operator");
        browser.open("reports");
        assertThat(browser.text("service-availability")).contains("100.000 %", "達成");
        browser.click("sign-out");
    }

    /** A faulty appliance is checked with its last heartbeat, replaced, swapped by the customer, returned and wiped. */
    @Test
    @Order(17)
    void staffReplaceAFaultyApplianceAndTheCustomerSwapsIt() throws Exception {
        String appliance = "0f00000000a1";
        world.store.tenants().registerAppliance(world.kaede, new org.omamori.events.ApplianceId(appliance), "事務所");
        world.store.ingest().heartbeat(new org.omamori.events.ApplianceId(appliance), new org.omamori.store.Heartbeat(world.clock.instant(),
                world.clock.instant().minusSeconds(7200), "1.4.2", java.util.Map.of(), java.util.Map.of("ips", "2026.12.01"), java.util.Map.of()));
        browser.driver.manage().deleteAllCookies();
        signInWithoutCode("staff.minato");
        browser.open("rma");
        browser.choose("new-rma-appliance", appliance);
        browser.click("new-rma-open");
        assertThat(browser.text("rma-message")).contains("故障受付");
        long id = world.store.rmas().list(TenantScope.customer(world.kaede)).getFirst().id();
        assertThat(browser.text("rma-" + id + "-health")).contains("最終通信", "1.4.2");
        browser.type("rma-text", "電源が入らない。最終通信から2時間");
        browser.click("rma-" + id + "-confirm");
        browser.type("rma-text", "0f00000000aa");
        browser.click("rma-" + id + "-ship");
        assertThat(browser.text("rma-message")).contains("代替機発送", "アクティベーションコード");
        browser.screenshots("rma");
        browser.click("sign-out");

        browser.driver.manage().deleteAllCookies();
        browser.signIn("suzuki.kaede", "Kaede-Koumuten-2468");
        browser.open("rma");
        browser.click("rma-" + id + "-swap");
        assertThat(browser.text("rma-message")).contains("交換完了");
        browser.click("sign-out");
        assertThat(world.store.rmas().replacedBy(TenantScope.operator(), new org.omamori.events.ApplianceId(appliance)))
                .hasValueSatisfying(r -> assertThat(r.value()).isEqualTo("0f00000000aa"));

        browser.driver.manage().deleteAllCookies();
        signInWithoutCode("staff.minato");
        browser.open("rma");
        browser.click("rma-" + id + "-returned");
        browser.click("rma-" + id + "-erased");
        assertThat(browser.text("rma-" + id)).contains("故障機データ消去済み");
        var rmaMails = world.store.monitoring().outbox(500).stream().filter(m -> m.mail().subject().contains("RMA番号 " + id)).toList();
        assertThat(rmaMails).anyMatch(m -> m.mail().body().contains("代替機（0f00000000aa）を発送しました"))
                .anyMatch(m -> m.mail().body().contains("ご返送ください（送料は当社負担・着払い）"));
        browser.click("sign-out");
    }

    private void signInWithoutCode(String id) {
        browser.signIn(id, World.PASSWORD);
    }

    private static String passwordIn(String body) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("仮のパスワード: (\\S+)").matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return m.group(1);
    }

    private String smsCode(String phone) {
        String text = world.store.smsOutbox().latest(phone, 1).getFirst().text();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{6})").matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group(1);
    }

    @SuppressWarnings("unused")
    private static List<WebElement> rows(WebElement grid) {
        return grid.findElements(By.cssSelector("vaadin-grid-cell-content"));
    }
}
