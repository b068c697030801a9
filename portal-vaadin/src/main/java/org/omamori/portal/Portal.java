package org.omamori.portal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;

import org.omamori.accounts.LoginThrottle;
import org.omamori.accounts.PasswordHasher;
import org.omamori.accounts.BreachedPasswords;
import org.omamori.accounts.PasswordPolicy;
import org.omamori.api.edition.Edition;
import org.omamori.backoffice.edition.Editions;
import org.omamori.notify.Brand;
import org.omamori.notify.MailBrands;
import org.omamori.store.Accounts;
import org.omamori.store.Store;

/**
 * What the pages use: the store (tenant-scoped reads only), the accounts and the sign-in rules.
 * One per process, set by {@link PortalMain} (or a test) before the first request; Vaadin creates
 * the views, so they reach it through {@link #get()}.
 */
public final class Portal {

    private static volatile Portal current;

    private final Store store;
    private final Accounts accounts;
    private final SignIn signIn;
    private final AccountDesk desk;
    private final Clock clock;
    private final Brand brand;
    private final MailBrands brands;
    private final Editions editions;

    /** @param brand the edition's name (page header, TOTP issuer, SMS), desk and the portal's own address (mails) */
    public Portal(Store store, byte[] totpKey, SmsGateway sms, Clock clock, Brand brand) {
        this(store, totpKey, sms, clock, brand, BreachedPasswords.NONE);
    }

    /** @param breached new passwords found here are refused (a {@link org.omamori.accounts.BreachedPasswordFile}, or NONE) */
    public Portal(Store store, byte[] totpKey, SmsGateway sms, Clock clock, Brand brand, BreachedPasswords breached) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.brand = Objects.requireNonNull(brand, "brand");
        this.editions = Editions.onClassPath(Portal.class.getClassLoader());
        this.brands = new MailBrands(id -> editions.installed(id).map(Editions.Installed::edition), brand);
        this.accounts = store.accounts(totpKey);
        this.signIn = new SignIn(accounts, PasswordHasher.standard(), PasswordPolicy.standard().withBreachedPasswords(breached),
                LoginThrottle.standard(),
                sms, clock, new SecureRandom(), brand.serviceName());
        this.desk = new AccountDesk(store, accounts, brand, clock);
    }

    public AccountDesk desk() {
        return desk;
    }

    public static Portal get() {
        Portal p = current;
        if (p == null) {
            throw new IllegalStateException("the portal is not started");
        }
        return p;
    }

    public static void install(Portal portal) {
        current = portal;
    }

    public Store store() {
        return store;
    }

    public Accounts accounts() {
        return accounts;
    }

    public SignIn signIn() {
        return signIn;
    }

    public Clock clock() {
        return clock;
    }

    public String serviceName() {
        return brand.serviceName();
    }

    public Brand brand() {
        return brand;
    }

    /**
     * The edition a signed-in user's pages follow (docs/edition-sdk.md): a customer's or reseller
     * staff's reseller's edition when installed here; empty for operators and the neutral default.
     */
    public java.util.Optional<Edition> edition(SessionUser user) {
        if (user.role() == org.omamori.accounts.AccountRole.OPERATOR) {
            return java.util.Optional.empty();
        }
        return store.tenants().resellers(user.scope()).stream().findFirst().flatMap(org.omamori.store.Reseller::edition)
                .flatMap(editions::installed).map(Editions.Installed::edition);
    }

    /** The editions on the portal's class path, by id. */
    public Editions editions() {
        return editions;
    }

    /** Each customer's mail brand: its reseller's edition (those on the portal's class path), else the portal's own. */
    public MailBrands brands() {
        return brands;
    }

    /**
     * The key that encrypts authenticator secrets at rest: 32 random bytes in {@code file}, made
     * (owner-only) on first start. It never goes into the database: a copy of the database alone
     * does not reveal the secrets.
     */
    public static byte[] totpKey(Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(tmp, key);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        byte[] key = Files.readAllBytes(file);
        if (key.length != 32) {
            throw new IOException(file + " must hold exactly 32 bytes (the portal's TOTP key), not " + key.length);
        }
        return key;
    }
}
