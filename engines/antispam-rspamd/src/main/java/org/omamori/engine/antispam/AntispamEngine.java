package org.omamori.engine.antispam;

import java.util.Objects;
import java.util.Set;

import org.omamori.api.engine.Engine;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Verdict;
import org.omamori.engine.antispam.rspamd.Rspamd;

/**
 * The antispam engine without its OSGi clothes. It answers only for mail: requests whose
 * method is {@code SMTP} and that want {@link SecurityFunction#ANTISPAM}; everything else is
 * clean at no cost. A mail is streamed to rspamd chunk by chunk as the intake receives it, and
 * rspamd's score decides at the end of the body (docs/antispam.md).
 */
public final class AntispamEngine implements Engine {

    public static final String ENGINE_ID = "antispam-rspamd";
    /** The method the SMTP intake gives its requests. */
    public static final String SMTP = "SMTP";

    private static final Inspection CLEAN = Inspection.decided(Verdict.clean());

    private final EngineDescriptor descriptor;
    private final AntispamSettings settings;
    private final Rspamd rspamd;

    public AntispamEngine(String version, AntispamSettings settings) {
        this.descriptor = new EngineDescriptor(ENGINE_ID, version, Set.of(SecurityFunction.ANTISPAM));
        this.settings = Objects.requireNonNull(settings, "settings");
        this.rspamd = new Rspamd(settings.rspamd(), settings.timeout(), settings.maxReplyBytes());
    }

    @Override
    public EngineDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public Inspection inspect(InspectionRequest request) {
        if (!SMTP.equalsIgnoreCase(request.method()) || !request.wants(SecurityFunction.ANTISPAM)) {
            return CLEAN;
        }
        return new AntispamInspection(rspamd, settings, request);
    }

    /** The rspamd client this engine scores with (for its health check). */
    public Rspamd rspamd() {
        return rspamd;
    }
}
