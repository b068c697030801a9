package org.omamori.portal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import com.github.mvysny.vaadinboot.VaadinBoot;

import org.omamori.accounts.BreachedPasswordFile;
import org.omamori.accounts.BreachedPasswords;
import org.omamori.notify.Brand;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;

/**
 * Runs the portal: {@code PortalMain [--home DIR] [--port N] [--listen ADDRESS] [--breached-passwords FILE]}. The home is a
 * cloud home (docs/cloud.md): the portal opens the same database ({@code etc/org.omamori.store.cfg},
 * embedded H2 by default) and keeps its key in {@code state/portal/totp.key}. Serves
 * http://localhost:8080/ by default (docs/portal.md).
 */
public final class PortalMain {

    private PortalMain() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of("run", "cloud");
        int port = 8080;
        String listen = "127.0.0.1";
        Path breachedFile = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--home" -> home = Path.of(value(args, ++i, "--home"));
                    case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                    case "--listen" -> listen = value(args, ++i, "--listen");
                    case "--breached-passwords" -> breachedFile = Path.of(value(args, ++i, "--breached-passwords"));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("--port must be 1..65535");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("omamori portal: " + e.getMessage());
            System.err.println("usage: omamori portal [--home DIR] [--port N] [--listen ADDRESS] [--breached-passwords FILE]");
            System.exit(2);
        }
        BreachedPasswords breached = BreachedPasswords.NONE;
        if (breachedFile != null) {
            try {
                breached = BreachedPasswordFile.open(breachedFile); // open for the portal's life
            } catch (java.io.IOException e) {
                System.err.println("omamori portal: --breached-passwords " + e.getMessage());
                System.exit(2);
                return;
            }
            System.out.println("portal: new passwords are checked against " + breachedFile.toAbsolutePath());
        }
        home = home.toAbsolutePath();
        Files.createDirectories(home.resolve("state"));
        StoreSettings s = StoreSettings.ofHome(home);
        Store store;
        try {
            store = Store.open(new StoreSettings(s.jdbcUrl(), s.user(), s.password(), 10));
        } catch (IllegalStateException e) {
            System.err.println("omamori portal: " + e.getMessage()); // says which database and why, no password
            System.exit(1);
            return;
        }
        Portal.install(new Portal(store, Portal.totpKey(home.resolve("state/portal/totp.key")),
                new OutboxSmsGateway(store, Clock.systemUTC()), Clock.systemUTC(), Brand.ofHome(home), breached));
        VaadinBoot boot = start(port, listen);
        System.out.println("portal: " + boot.getServerURL());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            boot.stop("shutdown");
            store.close();
        }, "portal-shutdown"));
        Thread.currentThread().join();
    }

    /** Starts the web server (non-blocking); the {@link Portal} must be installed first. */
    public static VaadinBoot start(int port, String listen) throws Exception {
        // Idle sessions expire even while a tab keeps sending heartbeats (docs/portal.md).
        System.setProperty("vaadin.closeIdleSessions", "true");
        System.setProperty("vaadin.productionMode", "true");
        System.setProperty("vaadin.i18n.provider", org.omamori.portal.web.Messages.class.getName());
        VaadinBoot boot = new VaadinBoot().openBrowserInDevMode(false).withPort(port).listenOn(listen);
        boot.start();
        return boot;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
