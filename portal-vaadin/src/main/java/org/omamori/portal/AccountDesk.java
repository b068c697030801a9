package org.omamori.portal;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.omamori.accounts.Account;
import org.omamori.accounts.AccountId;
import org.omamori.accounts.AccountScope;
import org.omamori.accounts.PasswordHasher;
import org.omamori.accounts.TemporaryCredentials;
import org.omamori.accounts.TwoStepMethod;
import org.omamori.notify.Brand;
import org.omamori.notify.Mail;
import org.omamori.notify.Recipients;
import org.omamori.store.Accounts;
import org.omamori.store.CustomerId;
import org.omamori.store.Store;
import org.omamori.store.TenantScope;

/**
 * What reseller staff (and operators) do for a customer (docs/portal.md "Customer administration"):
 * issue an account whose temporary user ID and password go to the applicant by mail through the
 * outbox (staff never see the password), reset a user's second step, end a lock, and set the 1–3
 * alert mail addresses. Every call is within the staff member's scope: another reseller's customer
 * or account is "not found" ({@link IllegalArgumentException}).
 */
public final class AccountDesk {

    private final Store store;
    private final Accounts accounts;
    private final Brand brand;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public AccountDesk(Store store, Accounts accounts, Brand brand, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.brand = Objects.requireNonNull(brand, "brand");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The customer's accounts, by user ID. */
    public List<Account> accounts(SessionUser staff, CustomerId customer) {
        visible(staff, customer);
        return accounts.list(staff.scope()).stream()
                .filter(a -> a.scope() instanceof AccountScope.OfCustomer c && c.customerId() == customer.value()).toList();
    }

    /**
     * Issues an account for the customer and mails its temporary credentials to {@code mail}.
     *
     * @return the temporary user ID (the password is only in the mail)
     * @throws IllegalArgumentException for a name or address that will not do, or a customer out of scope
     */
    public String issue(SessionUser staff, CustomerId customer, String name, String mail) {
        visible(staff, customer);
        String display = name == null ? "" : name.strip();
        if (display.isEmpty() || display.length() > 100 || display.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("氏名は1〜100文字で入力してください。");
        }
        Recipients to = Recipients.of(mail == null ? "" : mail.strip());
        TemporaryCredentials tmp = TemporaryCredentials.issue(random);
        AccountId id = accounts.create(tmp.loginId(), display, new AccountScope.OfCustomer(customer.value()),
                PasswordHasher.standard().hash(tmp.password()), staff.account());
        String service = brand.serviceName();
        String portal = brand.portal().endsWith("/") ? brand.portal() : brand.portal() + "/";
        String body = display + " 様\n\n"
                + service + " のポータルのアカウントを発行しました。\n"
                + "次の仮のユーザーIDとパスワードでサインインし、ご自分のユーザーIDとパスワード、2段階認証を設定してください。\n\n"
                + "ポータル: " + portal + "signin\n"
                + "仮のユーザーID: " + tmp.loginId() + "\n"
                + "仮のパスワード: " + tmp.password() + "\n\n"
                + "ユーザーIDとパスワードは他人に教えないでください。お問い合わせがあっても、当社からパスワードをお尋ねすることはありません。\n"
                + "このメールに心当たりのない場合は、" + brand.desk() + " までご連絡ください。\n";
        store.outbox().enqueue("account-issued:" + id.value(), new Mail(to, "【" + service + "】ポータルのアカウント発行のお知らせ", body),
                clock.instant());
        return tmp.loginId();
    }

    /**
     * Takes away the user's second step (a lost phone): he signs in with his password and sets up a
     * new one on his account page.
     */
    public void resetTwoStep(SessionUser staff, AccountId account) {
        accounts.useTwoStep(staff.scope(), ownedBy(staff, account), TwoStepMethod.NONE, staff.account());
        accounts.setPhone(staff.scope(), account, null, staff.account());
    }

    public void unlock(SessionUser staff, AccountId account) {
        accounts.unlock(staff.scope(), ownedBy(staff, account), staff.account());
    }

    /** The customer's alert mail addresses (1 to 3; blank entries are left out). */
    public Optional<Recipients> recipients(SessionUser staff, CustomerId customer) {
        visible(staff, customer);
        return store.monitoring().recipients(staff.scope(), customer);
    }

    public void recipients(SessionUser staff, CustomerId customer, List<String> addresses) {
        visible(staff, customer);
        Recipients to = new Recipients(addresses.stream().map(String::strip).filter(a -> !a.isEmpty()).toList());
        // The customer's edition may allow fewer than the platform's 3 (docs/edition-sdk.md "Terms").
        Portal.get().editions().checkRecipients(store.tenants().resellers(TenantScope.customer(customer)).stream().findFirst()
                .flatMap(org.omamori.store.Reseller::edition), to.addresses().size());
        store.monitoring().recipients(customer, to);
    }

    private void visible(SessionUser staff, CustomerId customer) {
        if (!staff.staff() || store.tenants().profile(staff.scope(), customer).isEmpty()) {
            throw new IllegalArgumentException("not found");
        }
    }

    private AccountId ownedBy(SessionUser staff, AccountId account) {
        Account a = accounts.find(staff.scope(), account).orElseThrow(() -> new IllegalArgumentException("not found"));
        if (!staff.staff() || !(a.scope() instanceof AccountScope.OfCustomer)) {
            throw new IllegalArgumentException("not found");
        }
        return a.id();
    }
}
