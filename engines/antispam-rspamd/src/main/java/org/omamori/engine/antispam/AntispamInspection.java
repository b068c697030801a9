package org.omamori.engine.antispam;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Verdict;
import org.omamori.engine.antispam.rspamd.Envelope;
import org.omamori.engine.antispam.rspamd.Rspamd;
import org.omamori.engine.antispam.rspamd.RspamdException;
import org.omamori.engine.antispam.rspamd.RspamdScan;

/**
 * One mail's antispam inspection. The connection to rspamd opens at the first chunk of the
 * mail (the request body) and each chunk goes on as it comes, so nothing but rspamd holds the
 * mail. When rspamd cannot be reached, is too slow or answers nonsense, the call throws: the
 * pipeline records an engine error and its failure policy decides (docs/engine-sdk.md).
 */
final class AntispamInspection implements Inspection {

    /** Recipients passed to rspamd at most; rspamd itself stops counting at 1024. */
    static final int MAX_RECIPIENTS = 256;

    private final Rspamd rspamd;
    private final AntispamSettings settings;
    private final InspectionRequest request;
    private RspamdScan scan;
    private long received;
    private Verdict decided;
    private RspamdException failed;

    AntispamInspection(Rspamd rspamd, AntispamSettings settings, InspectionRequest request) {
        this.rspamd = rspamd;
        this.settings = settings;
        this.request = request;
    }

    @Override
    public Verdict verdict() {
        if (failed != null) {
            throw new UncheckedIOException(failed);
        }
        return decided != null ? decided : Verdict.clean();
    }

    @Override
    public void body(Direction direction, ByteBuffer chunk) {
        if (direction != Direction.REQUEST || decided != null || failed != null || !chunk.hasRemaining()) {
            return;
        }
        received += chunk.remaining();
        if (received > settings.maxMailBytes()) {
            // rspamd forgets the part it has when the connection drops.
            closeScan();
            decided = SpamVerdicts.notScored(settings.maxMailBytes());
            return;
        }
        try {
            if (scan == null) {
                scan = rspamd.open(envelope(request));
            }
            scan.send(chunk);
        } catch (RspamdException e) {
            throw fail(e);
        }
    }

    @Override
    public void endOfBody(Direction direction) {
        if (direction != Direction.REQUEST || decided != null || failed != null) {
            return;
        }
        if (scan == null) {
            decided = Verdict.clean(); // an empty mail: nothing to score
            return;
        }
        try {
            decided = SpamVerdicts.of(scan.finish(), settings.thresholds().forZones(request.connection().zones()));
        } catch (RspamdException e) {
            throw fail(e);
        } finally {
            closeScan();
        }
    }

    @Override
    public void close() {
        closeScan();
    }

    private UncheckedIOException fail(RspamdException e) {
        failed = e;
        closeScan();
        return new UncheckedIOException(e);
    }

    private void closeScan() {
        if (scan != null) {
            scan.close();
            scan = null;
        }
    }

    /** The SMTP envelope from the intake's pseudo-headers and the connection. */
    static Envelope envelope(InspectionRequest request) {
        String helo = "";
        String from = "";
        List<String> rcpts = new ArrayList<>();
        for (Header h : request.headers()) {
            if (h.is(Header.SMTP_HELO)) {
                helo = h.value();
            } else if (h.is(Header.SMTP_MAIL_FROM)) {
                from = h.value();
            } else if (h.is(Header.SMTP_RCPT_TO) && rcpts.size() < MAX_RECIPIENTS) {
                rcpts.add(h.value());
            }
        }
        return new Envelope(address(request.connection().source()), helo, from, rcpts);
    }

    private static String address(InetAddress address) {
        String text = address.getHostAddress();
        int scope = text.indexOf('%');
        return scope < 0 ? text : text.substring(0, scope);
    }
}
