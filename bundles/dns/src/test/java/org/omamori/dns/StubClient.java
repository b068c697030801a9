package org.omamori.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** A stub resolver for tests: one UDP socket (optionally bound to a given loopback address), one query at a time. */
final class StubClient implements AutoCloseable {

    private final DatagramSocket socket;
    private final InetSocketAddress server;
    private int nextId = 1;

    StubClient(InetSocketAddress server, String bindAddress, int timeoutMillis) throws IOException {
        this.server = server;
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
        socket.setSoTimeout(timeoutMillis);
    }

    StubClient(InetSocketAddress server) throws IOException {
        this(server, "127.0.0.1", 2000);
    }

    static Message query(String name, int type, int id) {
        try {
            Message m = Message.newQuery(Record.newRecord(Name.fromString(name.endsWith(".") ? name : name + "."), type, DClass.IN));
            m.getHeader().setID(id);
            return m;
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Sends a query and waits for the answer with its id. */
    Message ask(String name, int type) throws IOException {
        int id = nextId++ & 0xffff;
        return exchange(query(name, type, id).toWire(), id);
    }

    /** Sends raw bytes, waits for nothing. */
    void send(byte[] packet) throws IOException {
        socket.send(new DatagramPacket(packet, packet.length, server));
    }

    /** Sends raw bytes; returns the answer, or null on timeout. */
    byte[] raw(byte[] packet) throws IOException {
        socket.send(new DatagramPacket(packet, packet.length, server));
        byte[] buf = new byte[65_535];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return java.util.Arrays.copyOf(buf, p.getLength());
    }

    Message exchange(byte[] wire, int id) throws IOException {
        socket.send(new DatagramPacket(wire, wire.length, server));
        byte[] buf = new byte[65_535];
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            socket.receive(p); // SocketTimeoutException when no answer
            Message m = new Message(java.util.Arrays.copyOf(buf, p.getLength()));
            if (m.getHeader().getID() == id) {
                return m;
            }
        }
    }

    /** Several queries on one TCP connection, answers in order. */
    static Message[] tcp(InetSocketAddress server, Message... queries) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(server, 2000);
            s.setSoTimeout(3000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = new DataInputStream(s.getInputStream());
            Message[] answers = new Message[queries.length];
            for (int i = 0; i < queries.length; i++) {
                byte[] w = queries[i].toWire();
                out.writeShort(w.length);
                out.write(w);
                out.flush();
                byte[] a = new byte[in.readUnsignedShort()];
                in.readFully(a);
                answers[i] = new Message(a);
            }
            return answers;
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
