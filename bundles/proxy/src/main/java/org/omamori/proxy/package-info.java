/**
 * The web proxy intake: explicit HTTP/1.1 forward proxy, transparent HTTP, CONNECT tunnels and
 * transparent TLS decided by the ClientHello's SNI (no decryption). Every exchange goes through
 * the inspection pipeline; verdicts are enforced (block page, neutralisation notice, TLS alert)
 * and become events. Depends on the engine SPI, the events and the HTTP body decoders.
 */
package org.omamori.proxy;
