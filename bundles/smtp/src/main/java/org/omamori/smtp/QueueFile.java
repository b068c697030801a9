package org.omamori.smtp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One queued mail on disk: {@code q-<arrival millis>-<sequence>.mail}, its envelope written as
 * the SMTP commands that will carry it (read back through {@link CommandParser}, so a damaged
 * file is refused as a client's command would be), an empty line, then the mail as it goes to
 * the next hop (CRLF, not dot-stuffed). It is written as {@code .tmp}, forced to the disk,
 * renamed and the directory forced: only then does the client get 250. A {@code .tmp} found at
 * start was never acknowledged and is deleted. Recipients settled (delivered or returned) are
 * appended to {@code <name>.done}, forced, so a restart does not deliver to them again.
 *
 * @param file       the queue file
 * @param arrived    when the intake took the mail (epoch millis)
 * @param mail       the MAIL command
 * @param recipients every recipient of the mail
 * @param settled    the recipients delivered or returned already
 * @param bodyOffset where the mail begins in the file
 * @param size       the file's size
 */
record QueueFile(Path file, long arrived, Command.Mail mail, List<MailAddress> recipients, Set<MailAddress> settled,
                 long bodyOffset, long size) {

    private static final String MAGIC = "OMAMORI-QUEUE 1";
    /** A queue file's envelope is at most this long (1,000-byte commands, a few hundred recipients). */
    private static final int MAX_ENVELOPE = 1 << 20;

    /** Writes a mail durably into {@code dir}; the returned file exists completely or not at all. */
    static QueueFile write(Path dir, String name, long arrived, Command.Mail mail, List<MailAddress> recipients,
                           NextHop.Body body) throws IOException {
        Path tmp = dir.resolve(name + ".tmp");
        Path done = dir.resolve(name + ".mail");
        StringBuilder envelope = new StringBuilder(MAGIC).append("\r\nARRIVED ").append(arrived).append("\r\n")
                .append(mailCommand(mail)).append("\r\n");
        for (MailAddress to : recipients) {
            envelope.append("RCPT TO:").append(to.path()).append("\r\n");
        }
        envelope.append("\r\n");
        byte[] head = envelope.toString().getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 64 << 10);
            out.write(head);
            body.writeTo(out);
            out.flush();
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, done, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(dir);
        return new QueueFile(done, arrived, mail, List.copyOf(recipients), Set.of(), head.length, Files.size(done));
    }

    static String mailCommand(Command.Mail mail) {
        return "MAIL FROM:" + mail.from().path() + (mail.eightBit() ? " BODY=8BITMIME" : "") + (mail.utf8() ? " SMTPUTF8" : "");
    }

    /** Reads a queue file's envelope and its settled recipients; a malformed one is an {@link IOException}. */
    static QueueFile read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            List<String> lines = new ArrayList<>();
            long offset = 0;
            while (true) {
                String line = line(in);
                if (line == null) {
                    throw new IOException("queue file " + file.getFileName() + " ends inside its envelope");
                }
                offset += line.getBytes(StandardCharsets.UTF_8).length + 2;
                if (offset > MAX_ENVELOPE) {
                    throw new IOException("queue file " + file.getFileName() + " has too long an envelope");
                }
                if (line.isEmpty()) {
                    break;
                }
                lines.add(line);
            }
            if (lines.size() < 4 || !lines.get(0).equals(MAGIC) || !lines.get(1).startsWith("ARRIVED ")) {
                throw new IOException("queue file " + file.getFileName() + " is not one of ours");
            }
            long arrived = Long.parseLong(lines.get(1).substring(8));
            Command.Mail mail = (Command.Mail) CommandParser.parse(lines.get(2).getBytes(StandardCharsets.UTF_8));
            List<MailAddress> recipients = new ArrayList<>();
            for (String l : lines.subList(3, lines.size())) {
                recipients.add(((Command.Rcpt) CommandParser.parse(l.getBytes(StandardCharsets.UTF_8))).to());
            }
            return new QueueFile(file, arrived, mail, recipients, settled(file), offset, Files.size(file));
        } catch (CommandException | ClassCastException | NumberFormatException e) {
            throw new IOException("queue file " + file.getFileName() + " has a bad envelope", e);
        }
    }

    private static Set<MailAddress> settled(Path file) throws IOException, CommandException {
        Path done = doneFile(file);
        Set<MailAddress> settled = new LinkedHashSet<>();
        if (Files.exists(done)) {
            for (String l : Files.readAllLines(done, StandardCharsets.UTF_8)) {
                if (l.startsWith("RCPT TO:")) { // a torn last line (crash while appending) is not a recipient
                    try {
                        settled.add(((Command.Rcpt) CommandParser.parse(l.getBytes(StandardCharsets.UTF_8))).to());
                    } catch (CommandException e) {
                        // torn: that recipient is tried again (at least once)
                    }
                }
            }
        }
        return settled;
    }

    /** The recipients not settled yet, in order. */
    List<MailAddress> pending() {
        return recipients.stream().filter(r -> !settled.contains(r)).toList();
    }

    /** Records recipients as settled, durably; the returned file knows them. */
    QueueFile settle(List<MailAddress> more) throws IOException {
        if (more.isEmpty()) {
            return this;
        }
        StringBuilder b = new StringBuilder();
        for (MailAddress to : more) {
            b.append("RCPT TO:").append(to.path()).append("\r\n");
        }
        try (FileChannel ch = FileChannel.open(doneFile(file), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Set<MailAddress> all = new LinkedHashSet<>(settled);
        all.addAll(more);
        return new QueueFile(file, arrived, mail, recipients, all, bodyOffset, size);
    }

    /** The mail as it goes to the next hop. */
    NextHop.Body body() {
        return out -> {
            try (InputStream in = Files.newInputStream(file)) {
                in.skipNBytes(bodyOffset);
                in.transferTo(out);
            }
        };
    }

    /** The mail's top-level header fields, at most {@code max} bytes: for the delivery status notification. */
    byte[] headers(int max) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            in.skipNBytes(bodyOffset);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int last3 = 0;
            int c;
            while ((c = in.read()) >= 0 && out.size() < max) {
                out.write(c);
                last3 = (last3 << 8 | c) & 0xffffffff;
                if (last3 == 0x0d0a0d0a) {
                    break;
                }
            }
            return out.toByteArray();
        }
    }

    void delete() throws IOException {
        Files.deleteIfExists(doneFile(file));
        Files.deleteIfExists(file);
        forceDirectory(file.getParent());
    }

    private static Path doneFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".done");
    }

    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.UTF_8);
            }
            if (b.size() > CommandParser.MAX_LINE) {
                throw new IOException("queue file line too long");
            }
            b.write(c);
        }
        return null;
    }
}
