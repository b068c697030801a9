package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.SMS_OUTBOX;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.jooq.DSLContext;
import org.omamori.store.SmsMessage;
import org.omamori.store.SmsOutbox;

/** {@link SmsOutbox} on table {@code sms_outbox} (V13). */
public final class SqlSmsOutbox implements SmsOutbox {

    private final DSLContext db;

    public SqlSmsOutbox(DSLContext db) {
        this.db = db;
    }

    @Override
    public void enqueue(String phone, String text, Instant at) {
        phone(phone);
        Objects.requireNonNull(at, "at");
        if (text == null || text.isBlank() || text.length() > MAX_TEXT
                || text.chars().anyMatch(c -> c != '\n' && Character.isISOControl(c))) {
            throw new IllegalArgumentException("an SMS text is 1 to " + MAX_TEXT + " characters without control characters but the newline");
        }
        db.insertInto(SMS_OUTBOX).set(SMS_OUTBOX.PHONE, phone).set(SMS_OUTBOX.TEXT, text)
                .set(SMS_OUTBOX.CREATED_AT, Times.column(at)).execute();
    }

    @Override
    public List<SmsMessage> latest(String phone, int limit) {
        phone(phone);
        if (limit < 1 || limit > MAX_LATEST) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LATEST + ": " + limit);
        }
        return db.selectFrom(SMS_OUTBOX).where(SMS_OUTBOX.PHONE.eq(phone))
                .orderBy(SMS_OUTBOX.CREATED_AT.desc(), SMS_OUTBOX.ID.desc()).limit(limit)
                .fetch(r -> new SmsMessage(r.getId(), r.getPhone(), r.getText(), Times.instant(r.getCreatedAt())));
    }

    /** Checks the form ({@link SmsOutbox#PHONE}); the message never repeats the number. */
    static String phone(String phone) {
        if (phone == null || !PHONE.matcher(phone).matches()) {
            throw new IllegalArgumentException("a phone number is '+' and 8 to 15 digits (E.164), without spaces or hyphens");
        }
        return phone;
    }

    /** The number with every digit but the last two masked: {@code +819012345678} → {@code +**********78}. */
    static String masked(String phone) {
        return "+" + "*".repeat(phone.length() - 3) + phone.substring(phone.length() - 2);
    }
}
