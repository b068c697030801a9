package org.omamori.simulator;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.omamori.engine.av.clamd.ClamdAddress;

/**
 * What to simulate.
 *
 * @param cloud               the cloud's base address, {@code https://host:port/}
 * @param trustedCertificates PEM file of the cloud's certificate (e.g. {@code run/cloud/tls/cloud.pem}); empty: JDK trust store
 * @param home                folder holding one home per appliance ({@code <home>/<appliance id>/state/...})
 * @param appliances          the appliances, each with its customer, activation code and profile
 * @param stepEvery           pace of each appliance's browsing: one step this often
 * @param beaconEvery         an infected host's beacon period (the first beacon comes after two steps)
 * @param heartbeatEvery      heartbeat period of each appliance (a real appliance: 60 s)
 * @param lists               URL filter lists folder (default: the project's sample lists)
 * @param rules               IPS rules folder or file (default: the project's rules)
 * @param clamd               clamd for the antivirus (default 127.0.0.1:3399, scripts/clamd.sh); left out if it does not answer
 * @param operatorKey         the operator's Ed25519 public key (PEM): each appliance pulls definitions packages from the
 *                            cloud and installs those it signed ({@link SimulatedDefinitions}); empty (default): no pulls
 */
public record SimulatorSettings(URI cloud, Optional<Path> trustedCertificates, Path home, List<ApplianceSpec> appliances,
                                Duration stepEvery, Duration beaconEvery, Duration heartbeatEvery,
                                Path lists, Path rules, ClamdAddress clamd, Optional<Path> operatorKey) {

    public SimulatorSettings {
        Objects.requireNonNull(cloud, "cloud");
        Objects.requireNonNull(trustedCertificates, "trustedCertificates");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(lists, "lists");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(clamd, "clamd");
        Objects.requireNonNull(operatorKey, "operatorKey");
        appliances = List.copyOf(appliances);
        Set<Object> ids = new HashSet<>();
        for (ApplianceSpec a : appliances) {
            if (!ids.add(a.id())) {
                throw new IllegalArgumentException("appliance " + a.id() + " given twice");
            }
        }
        positive(stepEvery, "stepEvery");
        positive(beaconEvery, "beaconEvery");
        positive(heartbeatEvery, "heartbeatEvery");
    }

    /**
     * Defaults: a step every 500 ms per appliance, a beacon every 20 s, heartbeats every 60 s, the
     * project's sample lists and rules, the project's clamd.
     */
    public static SimulatorSettings of(URI cloud, Optional<Path> trustedCertificates, Path home, List<ApplianceSpec> appliances) {
        return new SimulatorSettings(cloud, trustedCertificates, home, appliances, Duration.ofMillis(500), Duration.ofSeconds(20),
                Duration.ofSeconds(60), Engines.sampleLists(), Engines.projectRules(), ClamdAddress.LOCAL_DEFAULT, Optional.empty());
    }

    public SimulatorSettings withPace(Duration step, Duration beacon) {
        return new SimulatorSettings(cloud, trustedCertificates, home, appliances, step, beacon, heartbeatEvery, lists, rules, clamd,
                operatorKey);
    }

    public SimulatorSettings withHeartbeatEvery(Duration heartbeat) {
        return new SimulatorSettings(cloud, trustedCertificates, home, appliances, stepEvery, beaconEvery, heartbeat, lists, rules, clamd,
                operatorKey);
    }

    public SimulatorSettings withEngines(Path newLists, Path newRules, ClamdAddress newClamd) {
        return new SimulatorSettings(cloud, trustedCertificates, home, appliances, stepEvery, beaconEvery, heartbeatEvery,
                newLists, newRules, newClamd, operatorKey);
    }

    /** Each appliance pulls definitions packages signed with the key of {@code operatorKeyPem} from the cloud. */
    public SimulatorSettings withDefinitions(Path operatorKeyPem) {
        return new SimulatorSettings(cloud, trustedCertificates, home, appliances, stepEvery, beaconEvery, heartbeatEvery,
                lists, rules, clamd, Optional.of(operatorKeyPem));
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
