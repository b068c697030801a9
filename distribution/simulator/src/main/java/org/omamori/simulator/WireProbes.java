package org.omamori.simulator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Bytes a customer's device sends first, made as the device makes them, for the demo and the
 * tests that drive a running appliance: a browser's TLS ClientHello (made by the JDK's own TLS
 * engine, so the SNI extension is real) and a stub resolver's DNS query.
 */
public final class WireProbes {

    private WireProbes() {
    }

    /** The first TLS record a client sends to {@code host}: a ClientHello naming it in SNI. */
    public static ByteBuffer clientHello(String host) throws SSLException {
        SSLEngine engine;
        try {
            engine = SSLContext.getDefault().createSSLEngine(host, 443);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new SSLException("no default TLS context", e);
        }
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName(host)));
        engine.setSSLParameters(p);
        ByteBuffer hello = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.beginHandshake();
        engine.wrap(ByteBuffer.allocate(0), hello);
        return hello.flip();
    }

    /** A recursive A query for {@code name} with id {@code id}, as a stub resolver sends it over UDP. */
    public static byte[] dnsQuery(int id, String name) {
        ByteBuffer q = ByteBuffer.allocate(512);
        q.putShort((short) id).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        for (String label : name.split("\\.")) {
            byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
            if (bytes.length == 0 || bytes.length > 63) {
                throw new IllegalArgumentException("not a DNS name: " + name);
            }
            q.put((byte) bytes.length).put(bytes);
        }
        q.put((byte) 0).putShort((short) 1).putShort((short) 1);
        return java.util.Arrays.copyOf(q.array(), q.position());
    }
}
