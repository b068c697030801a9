/**
 * The SMTP intake: a relay on a configured listener in front of the office's mail server (or
 * its outbound smarthost). It relays only for configured domains and networks, streams each
 * mail through a MIME parser whose attachments go to the pipeline's antivirus as they arrive,
 * and answers 250 only once every engine has decided and the next hop has taken the mail.
 * Plain Java; the OSGi component in {@code component} wires it. See docs/mail-intake.md.
 */
package org.omamori.smtp;
