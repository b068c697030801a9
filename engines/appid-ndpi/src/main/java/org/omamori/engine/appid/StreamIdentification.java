package org.omamori.engine.appid;

import java.nio.ByteBuffer;

import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Verdict;
import org.omamori.engine.appid.ndpi.PacketList;

/**
 * A TLS or other TCP connection: keeps the first {@value Payloads#MAX_PAYLOAD} bytes of each
 * direction (never more, however long the connection) and asks nDPI when the verdict is asked
 * and something new came since. A TLS connection without bytes is identified by its server
 * name, in a ClientHello made for it; an intake that gives the real ClientHello as the request
 * body has it used instead.
 */
final class StreamIdentification implements Inspection {

    private final AppIdEngine engine;
    private final InspectionRequest request;
    private final boolean tls;
    private final byte[] client = new byte[Payloads.MAX_PAYLOAD];
    private final byte[] server = new byte[Payloads.MAX_PAYLOAD];
    private int clientLength;
    private int serverLength;
    private Direction firstSpeaker;
    private Verdict verdict;
    private boolean changed = true;

    StreamIdentification(AppIdEngine engine, InspectionRequest request, boolean tls) {
        this.engine = engine;
        this.request = request;
        this.tls = tls;
    }

    @Override
    public void body(Direction direction, ByteBuffer chunk) {
        boolean fromClient = direction == Direction.REQUEST;
        int held = fromClient ? clientLength : serverLength;
        int take = Math.min(chunk.remaining(), Payloads.MAX_PAYLOAD - held);
        if (take <= 0) {
            return;
        }
        if (firstSpeaker == null) {
            firstSpeaker = direction;
        }
        chunk.duplicate().get(fromClient ? client : server, held, take);
        if (fromClient) {
            clientLength += take;
        } else {
            serverLength += take;
        }
        changed = true;
    }

    @Override
    public Verdict verdict() {
        if (changed) {
            verdict = identify();
            changed = false;
        }
        return verdict;
    }

    private Verdict identify() {
        Connection c = request.connection();
        int port = c.destinationPort() != 0 ? c.destinationPort() : tls ? 443 : 0;
        if (tls && (clientLength == 0 || client[0] != 0x16)) { // no ClientHello given: make one from the name
            String name = request.tlsSni().isEmpty() ? request.host() : request.tlsSni();
            if (name.isEmpty()) {
                return Verdict.clean();
            }
            byte[] hello = Payloads.clientHello(name);
            return engine.identify(PacketList.tcp(c.source(), c.sourcePort(), c.destination(), port, hello, hello.length,
                    server, serverLength), "sni");
        }
        if (clientLength == 0 && serverLength == 0) {
            return Verdict.clean();
        }
        return engine.identify(PacketList.tcp(c.source(), c.sourcePort(), c.destination(), port, client, clientLength,
                server, serverLength, firstSpeaker == Direction.RESPONSE), tls ? "sni" : "payload");
    }
}
