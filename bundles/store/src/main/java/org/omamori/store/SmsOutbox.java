package org.omamori.store;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The SMS outbox (table {@code sms_outbox}, docs/store.md "SMS outbox"): where the portal's embedded
 * SMS gateway writes the messages it "sends", so the demo and tests can read them. Not tenant data:
 * messages are read by phone number, like the mail outbox by operators.
 */
@ProviderType
public interface SmsOutbox {

    /** A phone number as kept: {@code +} and 8 to 15 digits (E.164 without separators). */
    Pattern PHONE = Pattern.compile("\\+[0-9]{8,15}");
    /** The longest text: ten concatenated Japanese (UCS-2) segments of 67 characters. */
    int MAX_TEXT = 670;
    /** The most messages {@link #latest} gives. */
    int MAX_LATEST = 100;

    /**
     * Keeps a message to {@code phone} made at {@code at}.
     *
     * @throws IllegalArgumentException when the phone is not of the form {@link #PHONE}, or the text is
     *         blank, longer than {@link #MAX_TEXT} or holds a control character other than the newline
     */
    void enqueue(String phone, String text, Instant at);

    /**
     * The latest messages to {@code phone}, newest first (time, then id), at most {@code limit}.
     *
     * @throws IllegalArgumentException for a phone not of the form {@link #PHONE}, or a limit not 1..{@link #MAX_LATEST}
     */
    List<SmsMessage> latest(String phone, int limit);
}
