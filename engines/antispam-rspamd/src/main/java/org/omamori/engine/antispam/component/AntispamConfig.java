package org.omamori.engine.antispam.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Omamori antispam (rspamd)",
        description = "迷惑メール対策: scores each mail the SMTP intake receives with rspamd on this machine (docs/antispam.md).")
public @interface AntispamConfig {

    @AttributeDefinition(description = "rspamd's normal worker address; loopback only.")
    String rspamdHost() default "127.0.0.1";

    @AttributeDefinition(description = "rspamd's normal worker port (scripts/rspamd.sh starts it on 3398).", min = "1", max = "65535")
    int rspamdPort() default 3398;

    @AttributeDefinition(description = "The longest wait for one step with rspamd (connect, sending a chunk, the reply). Keep it below"
            + " the pipeline's engine budget (engineBudgetMillis, 5000 by default); past it the failure policy decides.", min = "1")
    long timeoutMillis() default 4000L;

    @AttributeDefinition(description = "The largest mail scored, in bytes; a larger mail is delivered unscored and the event says"
            + " 'not scored: larger than ...'.", min = "1")
    long maxMailBytes() default 10485760L;

    @AttributeDefinition(description = "The largest rspamd reply read, in bytes; a larger one is an engine error.", min = "1024")
    int maxReplyBytes() default 262144;

    @AttributeDefinition(description = "Scores per zone: '<from>-><to> tag=<score> refuse=<score|off>', '<from> tag=... refuse=...'"
            + " or '* tag=... refuse=...' for the rest. At or above tag: delivered with X-Spam headers and [SPAM] in the subject;"
            + " at or above refuse: refused with 550 5.7.1.")
    String[] zoneThresholds() default {"* tag=6 refuse=15"};
}
