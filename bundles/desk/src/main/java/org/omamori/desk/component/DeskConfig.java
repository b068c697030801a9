package org.omamori.desk.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The desk's mailbox (configuration {@code org.omamori.desk}); no host: tickets come from the portal only. */
@ObjectClassDefinition(name = "Omamori support desk")
public @interface DeskConfig {

    @AttributeDefinition(description = "IMAP server of the desk's mailbox; empty: no mailbox is read")
    String imapHost() default "";

    @AttributeDefinition(description = "IMAP port (993 with TLS, 143 without)")
    int imapPort() default 993;

    @AttributeDefinition(description = "IMAPS (TLS from the start)")
    boolean imapTls() default true;

    @AttributeDefinition(description = "mailbox login")
    String imapUser() default "";

    @AttributeDefinition(type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD, description = "mailbox password")
    String _imapPassword() default "";

    @AttributeDefinition(description = "folder read")
    String imapFolder() default "INBOX";

    @AttributeDefinition(description = "seconds between reads of the mailbox")
    int pollSeconds() default 60;
}
