package org.omamori.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.omamori.accounts.AccountId;
import org.omamori.accounts.AccountScope;
import org.omamori.accounts.PasswordHasher;
import org.omamori.accounts.TemporaryCredentials;
import org.omamori.store.Accounts;
import org.omamori.store.CustomerId;
import org.omamori.store.ResellerId;
import org.omamori.store.Store;
import org.omamori.store.TenantScope;

/**
 * The demo's portal: accounts for each kind of user on the demo's cloud, then the portal on that
 * cloud's database (docs/portal.md "Demo").
 */
final class DemoPortal implements AutoCloseable {

    /** The demo accounts' password (they are demo accounts: printed on the terminal). */
    static final String PASSWORD = "Omamori-Demo-2026";

    record DemoAccount(String loginId, String password, String who) {
    }

    private final List<DemoAccount> accounts = new ArrayList<>();
    private final int port;
    private final String url;
    private Process portal;

    /** Picks the port now (8080 unless taken): the cloud's mails link to it before the portal starts. */
    DemoPortal() {
        int p;
        try {
            p = free(8080) ? 8080 : anyFreePort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        port = p;
        url = "http://localhost:" + port + "/";
    }

    /** The portal's address, for the brand the demo's cloud mails with. */
    String url() {
        return url;
    }

    /**
     * Creates the demo accounts: ready to use (no two-step verification) but for one issued as at
     * contract, whose temporary ID and password lead through the first sign-in.
     */
    void createAccounts(Store store, ResellerId reseller, CustomerId withAlerts, CustomerId withAppliance,
            CustomerId withoutAppliance, CustomerId issued) {
        // The key only seals authenticator secrets; these accounts have none, and the portal keeps its own.
        Accounts a = store.accounts(new byte[32]);
        PasswordHasher hasher = PasswordHasher.standard();
        AccountId operator = ready(a, hasher, "demo.operator", "運用担当 デモ", new AccountScope.Everything(), null,
                "運用者 / operator");
        ready(a, hasher, "demo.staff", "商工会議所 担当", new AccountScope.OfReseller(reseller.value()), operator,
                "販売店の担当者 / reseller staff");
        ready(a, hasher, "minato.admin", "山田 太郎", new AccountScope.OfCustomer(withAlerts.value()), operator,
                "機器2台・アラートあり / customer with two appliances and alerts");
        ready(a, hasher, "kaede.user", "鈴木 次郎", new AccountScope.OfCustomer(withAppliance.value()), operator,
                "機器1台・アラートなし / customer with one appliance, no alert yet");
        ready(a, hasher, "himawari.user", "高橋 三郎", new AccountScope.OfCustomer(withoutAppliance.value()), operator,
                "機器未登録 / customer without an appliance");
        TemporaryCredentials tmp = TemporaryCredentials.issue(new SecureRandom());
        a.create(tmp.loginId(), "佐藤 花子", new AccountScope.OfCustomer(issued.value()), hasher.hash(tmp.password()), operator);
        accounts.add(new DemoAccount(tmp.loginId(), tmp.password(), "契約時に発行された仮ID（初回サインインを体験）/ issued at contract: try the first sign-in"));
    }

    private AccountId ready(Accounts a, PasswordHasher hasher, String id, String name, AccountScope scope, AccountId by, String who) {
        AccountId account = a.create(id, name, scope, hasher.hash(PASSWORD), by);
        a.changePassword(TenantScope.operator(), account, hasher.hash(PASSWORD), false, account == null ? by : account);
        accounts.add(new DemoAccount(id, PASSWORD, who));
        return account;
    }

    /** Starts the portal on the demo cloud's home; false (said on {@code err}) when it does not answer in time. */
    boolean start(Path home, PrintWriter out, PrintWriter err) throws Exception {
        portal = new ProcessBuilder(PortalCommand.command(home, port, "127.0.0.1")).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(home.resolve("portal.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            while (System.nanoTime() < deadline && portal.isAlive()) {
                try {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url + "signin")).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) {
                        print(out);
                        return true;
                    }
                } catch (IOException notYet) {
                    // still starting
                }
                Thread.sleep(300);
            }
        }
        err.println("omamori demo: the portal did not come up; see " + home.resolve("portal.log"));
        return false;
    }

    private void print(PrintWriter out) {
        out.println("ポータル / portal: " + url + " (log: portal.log in the demo cloud's folder)");
        Table table = new Table().row("ユーザーID/user ID", "パスワード/password", "利用者/who");
        accounts.forEach(a -> table.row(a.loginId(), a.password(), a.who()));
        table.print(out);
        out.flush();
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int anyFreePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        RuntimeProcess.stop(portal);
    }
}
