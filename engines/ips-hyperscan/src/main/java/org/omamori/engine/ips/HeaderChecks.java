package org.omamori.engine.ips;

import java.util.Arrays;

import org.omamori.api.engine.Connection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Protocol;

/**
 * Which rule headers (protocol, addresses, ports) fit one direction's connection, per header class
 * ({@link CompiledRule#headerClass}): rules sharing a header share the answer. The answers hold for
 * every exchange of one connection (as Suricata picks a flow's rule groups once per flow), so a
 * pooled {@link SideState} keeps them while it serves the same endpoints and protocol and forgets
 * them when it serves another.
 */
final class HeaderChecks {

    static final byte UNKNOWN = 0;
    static final byte FITS = 1;
    static final byte DOES_NOT_FIT = 2;

    private final byte[] answers;
    private boolean any;
    private Connection checkedFor;
    private Protocol checkedProtocol;

    HeaderChecks(int headerClasses) {
        this.answers = new byte[headerClasses];
    }

    /** Readies the answers for {@code request}'s connection: kept for the same one, forgotten for another. */
    void serve(InspectionRequest request) {
        Connection c = request.connection();
        if (any && (request.protocol() != checkedProtocol || !sameEndpoints(c, checkedFor))) {
            Arrays.fill(answers, UNKNOWN);
            any = false;
        }
        checkedFor = c;
        checkedProtocol = request.protocol();
    }

    /** What an earlier check of this header class found: {@link #FITS}, {@link #DOES_NOT_FIT} or {@link #UNKNOWN}. */
    byte get(int headerClass) {
        return answers[headerClass];
    }

    void put(int headerClass, boolean fits) {
        answers[headerClass] = fits ? FITS : DOES_NOT_FIT;
        any = true;
    }

    private static boolean sameEndpoints(Connection a, Connection b) {
        return a == b || b != null && a.sourcePort() == b.sourcePort() && a.destinationPort() == b.destinationPort()
                && a.source().equals(b.source()) && a.destination().equals(b.destination());
    }
}
