package org.omamori.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A tiny authoritative server for tests (dnsjava), UDP and TCP on 127.0.0.1 and one ephemeral
 * port: names given with {@link #a} answer their address with their TTL; with a wildcard address
 * every other name answers it too; else NXDOMAIN with a SOA (negative TTL 30 s). Counts questions per name.
 */
final class TestUpstream implements AutoCloseable {

    private record Answer(InetAddress address, long ttl) {
    }

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Map<Name, Answer> names = new ConcurrentHashMap<>();
    private final Map<Name, AtomicInteger> asked = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private volatile InetAddress wildcard;

    TestUpstream() throws IOException {
        // UDP and TCP on one ephemeral port: the UDP port's TCP twin may be another socket's
        // (a CI run failed so), then both try another port.
        DatagramSocket u = null;
        ServerSocket t = null;
        for (int attempt = 0; t == null; attempt++) {
            u = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try {
                t = new ServerSocket(u.getLocalPort(), 50, InetAddress.getLoopbackAddress());
            } catch (java.net.BindException taken) {
                u.close();
                if (attempt == 20) {
                    throw taken;
                }
            }
        }
        udp = u;
        tcp = t;
        udp.setReceiveBufferSize(4 << 20);
        Thread.ofPlatform().daemon().name("test-upstream-udp").start(this::serveUdp);
        Thread.ofPlatform().daemon().name("test-upstream-tcp").start(this::serveTcp);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) udp.getLocalSocketAddress();
    }

    TestUpstream a(String name, String address, long ttl) {
        names.put(name(name), new Answer(ip(address), ttl));
        return this;
    }

    TestUpstream wildcard(String address) {
        wildcard = ip(address);
        return this;
    }

    int asked(String name) {
        AtomicInteger n = asked.get(name(name));
        return n == null ? 0 : n.get();
    }

    int total() {
        return total.get();
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text.endsWith(".") ? text : text + ".").canonicalize();
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    byte[] answer(byte[] packet) throws IOException {
        Message q = new Message(packet);
        Record question = q.getQuestion();
        Name qname = question.getName().canonicalize();
        total.incrementAndGet();
        asked.computeIfAbsent(qname, k -> new AtomicInteger()).incrementAndGet();
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setFlag(Flags.AA);
        if (q.getHeader().getFlag(Flags.RD)) {
            r.getHeader().setFlag(Flags.RD);
        }
        r.addRecord(question, Section.QUESTION);
        Answer a = names.get(qname);
        if (a == null && wildcard != null) {
            a = new Answer(wildcard, 60);
        }
        if (a == null) {
            r.getHeader().setRcode(Rcode.NXDOMAIN);
            r.addRecord(new SOARecord(Name.fromString("test."), DClass.IN, 60, Name.fromString("ns.test."),
                    Name.fromString("admin.test."), 1, 3600, 600, 86400, 30), Section.AUTHORITY);
        } else if (question.getType() == Type.A && a.address.getAddress().length == 4) {
            r.addRecord(new ARecord(question.getName(), DClass.IN, a.ttl, a.address), Section.ANSWER);
        } else if (question.getType() == Type.AAAA && a.address.getAddress().length == 16) {
            r.addRecord(new AAAARecord(question.getName(), DClass.IN, a.ttl, a.address), Section.ANSWER);
        }
        return r.toWire();
    }

    private void serveUdp() {
        byte[] buf = new byte[4096];
        while (!udp.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                byte[] answer = answer(java.util.Arrays.copyOf(buf, p.getLength()));
                udp.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
            } catch (IOException | RuntimeException e) {
                // closed, or a query the test server does not understand
            }
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try (Socket s = tcp.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] q = new byte[in.readUnsignedShort()];
                in.readFully(q);
                byte[] answer = answer(q);
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeShort(answer.length);
                out.write(answer);
                out.flush();
            } catch (IOException | RuntimeException e) {
                // closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        udp.close();
        tcp.close();
    }
}
