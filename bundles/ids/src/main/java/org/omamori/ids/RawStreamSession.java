package org.omamori.ids;

import java.nio.ByteBuffer;
import java.util.Set;

import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.pipeline.StreamingInspection;

/**
 * A TCP connection in no protocol the replay reads (SMTP, SMB, a custom protocol): its two
 * reassembled streams go to the IPS as they are, the client's as the request's payload and the
 * server's as the response's, in one inspection for the connection, so {@code alert tcp} and
 * {@code alert ip} rules on the payload apply; application identification, when present, names
 * the protocol from the same bytes. Missing bytes (gaps) are skipped over.
 */
final class RawStreamSession implements StreamSession {

    private final SessionHost host;
    private final InspectionRequest request;
    private StreamingInspection inspection;
    private boolean opened;
    private boolean closed;
    private final Side client = new Side(Direction.REQUEST);
    private final Side server = new Side(Direction.RESPONSE);

    RawStreamSession(SessionHost host, Connection connection) {
        this.host = host;
        this.request = InspectionRequest.other().connection(connection)
                .functions(Set.of(SecurityFunction.IPS, SecurityFunction.APPLICATION_IDENTIFICATION)).build();
    }

    private StreamingInspection inspection() {
        if (!opened) {
            opened = true;
            inspection = host.open(request); // null when too many are open: this connection goes uninspected
        }
        return inspection;
    }

    /** One direction's stream. */
    private final class Side implements TcpStream.Receiver {
        private final Direction direction;
        private boolean ended;

        Side(Direction direction) {
            this.direction = direction;
        }

        @Override
        public void data(byte[] data, int offset, int length) {
            StreamingInspection i = closed || ended ? null : inspection();
            if (i != null && length > 0) {
                i.body(direction, ByteBuffer.wrap(data, offset, length));
            }
        }

        @Override
        public void gap(long bytes) {
        }

        @Override
        public void end() {
            if (!ended && !closed && inspection != null) {
                inspection.endOfBody(direction);
            }
            ended = true;
        }
    }

    @Override
    public TcpStream.Receiver clientSide() {
        return client;
    }

    @Override
    public TcpStream.Receiver serverSide() {
        return server;
    }

    @Override
    public boolean ignoring() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (inspection != null) {
            client.end();
            server.end();
            host.finish(request, inspection);
        }
    }
}
