package org.omamori.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;
import org.omamori.simulator.WireProbes;

/**
 * Real traffic for the demo: a small web server with files to download, requests through the
 * appliance's web proxy, a TLS ClientHello through CONNECT, a DNS query to its DNS filter.
 */
final class DemoTraffic implements AutoCloseable {

    static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    /** Where the demo's file server listens: a loopback address that is not the appliance's own. */
    static final String ORIGIN_ADDRESS = "127.0.0.2";
    static final String ORIGIN_NETWORK = ORIGIN_ADDRESS + "/32";

    private final HttpServer files;

    DemoTraffic() throws IOException {
        // Not on 127.0.0.1: the proxy never connects to the appliance's own addresses; the demo
        // allows this one address (ORIGIN_NETWORK) as an operator would allow an intranet server.
        files = HttpServer.create(new InetSocketAddress(InetAddress.getByName(ORIGIN_ADDRESS), 0), 16);
        files.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        files.createContext("/", x -> {
            byte[] body = (x.getRequestURI().getPath().endsWith("eicar.com") ? EICAR : "quarterly report: nothing to see\n")
                    .getBytes(StandardCharsets.US_ASCII);
            x.getResponseHeaders().add("Content-Type", "application/octet-stream");
            x.getResponseHeaders().add("Content-Disposition", "attachment");
            x.sendResponseHeaders(200, body.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        });
        files.start();
    }

    String fileUrl(String name) {
        return "http://" + ORIGIN_ADDRESS + ":" + files.getAddress().getPort() + "/" + name;
    }

    /** GET through the explicit proxy: status line and body. */
    static String[] download(int proxyPort, String url) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxyPort)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(("GET " + url + " HTTP/1.1\r\nHost: demo\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = all.indexOf("\r\n\r\n");
            return new String[] {all.lines().findFirst().orElse(""), end < 0 ? "" : all.substring(end + 4)};
        }
    }

    /** CONNECT host:443 and a real ClientHello naming host; true when the appliance answered with a TLS alert. */
    static boolean tlsRefused(int proxyPort, String host) throws Exception {
        ByteBuffer hello = WireProbes.clientHello(host);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxyPort)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("CONNECT " + host + ":443 HTTP/1.1\r\nHost: " + host + ":443\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            in.readNBytes("HTTP/1.1 200 Connection Established\r\n\r\n".length());
            out.write(hello.array(), 0, hello.limit());
            byte[] answer = in.readNBytes(7);
            return answer.length == 7 && answer[0] == 0x15 && answer[6] == 0x31;
        }
    }

    /** An A query to the DNS filter; the answer's first address, or the response code when there is none. */
    static String resolve(int dnsPort, String name) throws IOException {
        byte[] q = WireProbes.dnsQuery(0x0d0e, name);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(5000);
            socket.send(new DatagramPacket(q, q.length, InetAddress.getLoopbackAddress(), dnsPort));
            DatagramPacket packet = new DatagramPacket(new byte[512], 512);
            socket.receive(packet);
            ByteBuffer a = ByteBuffer.wrap(packet.getData(), 0, packet.getLength());
            int rcode = a.get(3) & 0x0f;
            int answers = a.getShort(6) & 0xffff;
            if (rcode != 0 || answers == 0) {
                return rcode == 3 ? "NXDOMAIN" : "rcode " + rcode;
            }
            // The question is ours; the first answer's data ends the packet for a single A record.
            int end = packet.getLength();
            return (a.get(end - 4) & 0xff) + "." + (a.get(end - 3) & 0xff) + "." + (a.get(end - 2) & 0xff) + "." + (a.get(end - 1) & 0xff);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        files.stop(0);
    }
}
