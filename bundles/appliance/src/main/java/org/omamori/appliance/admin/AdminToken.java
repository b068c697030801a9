package org.omamori.appliance.admin;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The bearer token of the local admin endpoint: 32 random bytes in hex, made fresh at every
 * start and written to a file only the appliance's user can read, so whoever can read that file
 * may administer the engines and nobody else.
 */
final class AdminToken {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String BEARER = "Bearer ";

    private final byte[] token;

    private AdminToken(String token) {
        this.token = token.getBytes(StandardCharsets.US_ASCII);
    }

    static AdminToken random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new AdminToken(HexFormat.of().formatHex(bytes));
    }

    /** Whether an Authorization header carries this token; compared in constant time. */
    boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] offered = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(token, offered);
    }

    /**
     * Writes the token to a new file created with owner-only permissions (0600) in the same
     * system call, so there is no moment in which others could read it. A file left by an
     * earlier run is replaced.
     */
    void writeTo(Path file) throws IOException {
        Files.deleteIfExists(file);
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                && file.getFileSystem().supportedFileAttributeViews().contains("posix");
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))}
                : new FileAttribute<?>[0];
        try (SeekableByteChannel channel = Files.newByteChannel(file, options, attributes)) {
            channel.write(ByteBuffer.wrap((new String(token, StandardCharsets.US_ASCII) + "\n").getBytes(StandardCharsets.US_ASCII)));
        }
        if (!posix) {
            // Not a POSIX file system: the best the JDK offers is owner-only through java.io.File.
            java.io.File plain = file.toFile();
            plain.setReadable(false, false);
            plain.setWritable(false, false);
            plain.setReadable(true, true);
            plain.setWritable(true, true);
        }
    }
}
