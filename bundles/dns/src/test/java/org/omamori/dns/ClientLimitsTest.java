package org.omamori.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ClientLimitsTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void aClientGetsItsBurstThenItsRateAndOthersAreUntouched() throws Exception {
        ClientLimits limits = new ClientLimits(10, 5, 0, 1000, 100, now::get);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("192.0.2.2");
        for (int i = 0; i < 5; i++) {
            assertThat(limits.admit(a)).isInstanceOf(ClientLimits.Ticket.class);
        }
        assertThat(limits.admit(a)).isEqualTo(ClientLimits.Refusal.CLIENT_RATE);
        assertThat(limits.admit(b)).isInstanceOf(ClientLimits.Ticket.class);
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(100)); // one token at 10/s
        assertThat(limits.admit(a)).isInstanceOf(ClientLimits.Ticket.class);
        assertThat(limits.admit(a)).isEqualTo(ClientLimits.Refusal.CLIENT_RATE);
    }

    @Test
    void inFlightBoundsHoldPerClientAndInAllAndFreeOnClose() throws Exception {
        ClientLimits limits = new ClientLimits(0, 1, 2, 3, 100, now::get);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("192.0.2.2");
        ClientLimits.Ticket first = (ClientLimits.Ticket) limits.admit(a);
        limits.admit(a);
        assertThat(limits.admit(a)).isEqualTo(ClientLimits.Refusal.CLIENT_IN_FLIGHT);
        limits.admit(b);
        assertThat(limits.admit(b)).isEqualTo(ClientLimits.Refusal.GLOBAL_IN_FLIGHT);
        first.close();
        first.close(); // twice: released once
        assertThat(limits.admit(b)).isInstanceOf(ClientLimits.Ticket.class);
        assertThat(limits.admit(a)).isEqualTo(ClientLimits.Refusal.GLOBAL_IN_FLIGHT);
    }

    @Test
    void pastTheTrackedClientsNewAddressesShareOneBudget() throws Exception {
        ClientLimits limits = new ClientLimits(1, 2, 0, 1000, 2, now::get);
        ((ClientLimits.Ticket) limits.admit(InetAddress.getByName("192.0.2.1"))).close();
        ((ClientLimits.Ticket) limits.admit(InetAddress.getByName("192.0.2.2"))).close();
        assertThat(limits.admit(InetAddress.getByName("192.0.2.3"))).isInstanceOf(ClientLimits.Ticket.class);
        assertThat(limits.admit(InetAddress.getByName("192.0.2.4"))).isInstanceOf(ClientLimits.Ticket.class);
        assertThat(limits.admit(InetAddress.getByName("192.0.2.5"))).isEqualTo(ClientLimits.Refusal.CLIENT_RATE);
        assertThat(limits.trackedClients()).isEqualTo(2);
        now.addAndGet(TimeUnit.SECONDS.toNanos(61)); // the first two are idle (nothing in flight): forgotten, room again
        assertThat(limits.admit(InetAddress.getByName("192.0.2.6"))).isInstanceOf(ClientLimits.Ticket.class);
        assertThat(limits.trackedClients()).isEqualTo(1);
    }

    @Test
    void withoutPerClientLimitsOnlyTheGlobalBoundHoldsAndNoClientIsTracked() throws Exception {
        ClientLimits limits = new ClientLimits(0, 1, 0, 2, 100, now::get);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        ClientLimits.Ticket first = (ClientLimits.Ticket) limits.admit(a);
        assertThat(limits.admit(a)).isInstanceOf(ClientLimits.Ticket.class); // burst 1 binds only with a rate
        assertThat(limits.admit(InetAddress.getByName("192.0.2.2"))).isEqualTo(ClientLimits.Refusal.GLOBAL_IN_FLIGHT);
        first.close();
        first.close(); // twice: released once
        ClientLimits.Ticket again = (ClientLimits.Ticket) limits.admit(a);
        assertThat(limits.admit(a)).isEqualTo(ClientLimits.Refusal.GLOBAL_IN_FLIGHT);
        again.close();
        assertThat(limits.trackedClients()).isZero();
    }
}
