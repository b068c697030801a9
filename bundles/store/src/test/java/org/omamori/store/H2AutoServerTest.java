package org.omamori.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded H2 of a cloud home (StoreSettings.ofHome) as the node opens it: AUTO_SERVER's TCP
 * server answers on loopback only, the folder and files are the runtime user's alone, and the
 * operator's commands still open the store beside the running node.
 */
class H2AutoServerTest {

    private Path home;

    @BeforeEach
    void home() throws IOException {
        home = Files.createTempDirectory("omamori-h2-home");
    }

    @AfterEach
    void clean() throws IOException {
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void theAutoServerListensOnLoopbackOnly() throws Exception {
        try (Store node = Store.open(StoreSettings.ofHome(home))) {
            Properties lock = new Properties();
            try (InputStream in = Files.newInputStream(home.resolve("state/cloud/omamori.lock.db"))) {
                lock.load(in);
            }
            String server = lock.getProperty("server");
            assertThat(server).as("the lock file names the AUTO_SERVER").isNotNull();
            String host = server.substring(0, server.lastIndexOf(':'));
            int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
            assertThat(InetAddress.getByName(host).isLoopbackAddress()).as("advertised address %s", host).isTrue();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            }
            List<InetAddress> others = nonLoopbackAddresses();
            assumeThat(others).as("this machine has a non-loopback address to try").isNotEmpty();
            for (InetAddress other : others) {
                assertThatThrownBy(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(other, port), 2000);
                    }
                }).as("AUTO_SERVER reached through %s", other).isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void theDatabaseFolderAndFilesAreTheOwnersOnly() throws Exception {
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
        try (Store node = Store.open(StoreSettings.ofHome(home))) {
            Path folder = home.resolve("state/cloud");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
            try (Stream<Path> files = Files.list(folder)) {
                List<Path> all = files.toList();
                assertThat(all).extracting(p -> p.getFileName().toString()).contains("omamori.mv.db", "omamori.lock.db");
                for (Path f : all) {
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as("%s", f).isEqualTo("rw-------");
                }
            }
        }
    }

    @Test
    void anExistingFolderOpenToOthersIsClosedWhenTheNodeOpensIt() throws Exception {
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
        Path folder = Files.createDirectories(home.resolve("state/cloud"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Store node = Store.open(StoreSettings.ofHome(home))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
        }
    }

    @Test
    void anOperatorsCommandOpensTheStoreBesideTheRunningNode() throws Exception {
        try (Store node = Store.open(StoreSettings.ofHome(home))) {
            ResellerId reseller = node.tenants().createReseller("商工会議所 beside");
            try (Store command = Store.open(StoreSettings.ofHome(home))) { // as CloudStoreAccess.open does
                CustomerId customer = command.tenants().createCustomer(reseller, "株式会社 beside");
                assertThat(node.tenants().customers(TenantScope.operator())).extracting(Customer::id).contains(customer);
            }
        }
    }

    private static List<InetAddress> nonLoopbackAddresses() throws IOException {
        return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (IOException e) {
                        return false;
                    }
                })
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .toList();
    }
}
