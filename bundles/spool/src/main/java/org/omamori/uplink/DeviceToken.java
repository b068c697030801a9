package org.omamori.uplink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The device token the cloud gave at activation: the appliance's bearer credential. Kept in a
 * file only the appliance's user can read (0600); its text is never logged ({@link #toString}
 * says nothing of it).
 */
public final class DeviceToken {

    /** RFC 6750 bearer token characters, 16 to 512 of them. */
    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9._~+/=-]{16,512}");

    private final String value;

    private DeviceToken(String value) {
        this.value = value;
    }

    /** Checks the form without echoing the text in the message. */
    public static DeviceToken of(String value) {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("a device token is 16 to 512 characters of A-Z a-z 0-9 . _ ~ + / = -");
        }
        return new DeviceToken(value);
    }

    /** The stored token, if there is one. */
    public static Optional<DeviceToken> load(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(of(Files.readString(file, StandardCharsets.US_ASCII).trim()));
    }

    /**
     * Writes the token to a new file created with mode 0600 in the same system call, forces it
     * and renames it into place, so the file is never readable by others nor ever half written.
     */
    public void save(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
            ByteBuffer b = ByteBuffer.wrap((value + "\n").getBytes(StandardCharsets.US_ASCII));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        if (!posix) {
            java.io.File plain = tmp.toFile();
            plain.setReadable(false, false);
            plain.setWritable(false, false);
            plain.setReadable(true, true);
            plain.setWritable(true, true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The Authorization header value. */
    String authorization() {
        return "Bearer " + value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceToken t && t.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "DeviceToken[hidden]";
    }
}
