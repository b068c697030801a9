package org.omamori.appliance.identity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;

import org.omamori.events.ApplianceId;

/**
 * Which appliance this is. A shipped appliance is configured with the serial on its label; a demo
 * or test appliance makes one on first start and keeps it in the state folder, so its events keep
 * one id across restarts.
 */
public final class ApplianceIdentity {

    static final String FILE = "appliance.id";

    private ApplianceIdentity() {
    }

    public static ApplianceId load(Path stateDir, String configured) throws IOException {
        if (!configured.isBlank()) {
            return ApplianceId.parse(configured);
        }
        Path file = stateDir.resolve(FILE);
        if (Files.isRegularFile(file)) {
            try {
                return ApplianceId.parse(Files.readString(file));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " does not hold an appliance id: " + e.getMessage(), e);
            }
        }
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        random[0] = (byte) ((random[0] & 0xFC) | 0x02); // locally administered, like a made-up MAC
        ApplianceId id = new ApplianceId(HexFormat.of().formatHex(random));
        Files.createDirectories(stateDir);
        Path temp = Files.createTempFile(stateDir, FILE, ".tmp");
        Files.writeString(temp, id.value() + "\n");
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        return id;
    }
}
