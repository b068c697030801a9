/**
 * The antispam engine: streams each mail the SMTP intake receives to an rspamd daemon as it
 * arrives and maps rspamd's score to pass, tag (neutralise) or refuse (block) by the thresholds
 * configured for the mail's zones. Plain Java; depends on the engine SPI and jackson-core. Not
 * exported.
 */
package org.omamori.engine.antispam;
