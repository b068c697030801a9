package org.omamori.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.Inflater;

/**
 * Undoes gzip (RFC 1952): header parsed byte by byte, so it may arrive split anywhere; raw
 * deflate data; trailer CRC-32 and size checked. Several members in a row are decoded as one body,
 * as gzip(1) and Firefox do. Zero bytes after a complete member are skipped as padding, as gzip(1)
 * does; anything else there is an error. An empty body decodes to nothing.
 */
final class GzipStage extends CodingStage {

    private static final int FHCRC = 0x02;
    private static final int FEXTRA = 0x04;
    private static final int FNAME = 0x08;
    private static final int FCOMMENT = 0x10;
    private static final int RESERVED_FLAGS = 0xe0;

    private enum State {
        MEMBER_START, MAGIC2, METHOD, FLAGS, FIXED_FIELDS, EXTRA_LENGTH, EXTRA, NAME, COMMENT, HEADER_CRC,
        DEFLATE, TRAILER, ZERO_PADDING
    }

    private final Inflater inflater = new Inflater(true);
    private final CRC32 dataCrc = new CRC32();
    private final CRC32 headerCrc = new CRC32();
    private boolean closed;

    private State state = State.MEMBER_START;
    private int members;
    private int flags;
    /** Bytes left in a fixed-length field, or the length being read. */
    private int remaining;
    /** A little-endian field being assembled: XLEN, header CRC, trailer. */
    private long field;
    private int fieldBytes;

    GzipStage(CodingStage next, ExpansionGuard guard) {
        super("gzip", next, guard);
    }

    @Override
    void decode(ByteBuffer in, BodySink sink) throws IOException {
        while (in.hasRemaining()) {
            if (state == State.DEFLATE) {
                if (inflate(inflater, in, sink, dataCrc)) {
                    startField(State.TRAILER);
                }
            } else {
                long at = consumed++;
                header(in.get() & 0xff, at);
            }
        }
    }

    private void header(int b, long at) throws BodyFormatException {
        if (state.compareTo(State.HEADER_CRC) < 0) {
            headerCrc.update(b);
        }
        switch (state) {
            case MEMBER_START -> {
                if (b == 0x1f) {
                    state = State.MAGIC2;
                } else if (b == 0 && members > 0) {
                    state = State.ZERO_PADDING;
                } else {
                    throw error(members == 0 ? "not gzip data: first byte is " + hex(b) + ", not 0x1f"
                            : "byte " + hex(b) + " after gzip member " + members + " starts no new member", at);
                }
            }
            case MAGIC2 -> {
                if (b != 0x8b) {
                    throw error("bad gzip magic 0x1f " + hex(b), at);
                }
                state = State.METHOD;
            }
            case METHOD -> {
                if (b != 8) {
                    throw error("compression method " + b + " is not deflate (8)", at);
                }
                state = State.FLAGS;
            }
            case FLAGS -> {
                if ((b & RESERVED_FLAGS) != 0) {
                    throw error("reserved header flags set (" + hex(b) + ")", at);
                }
                flags = b;
                remaining = 6; // MTIME, XFL, OS: nothing to check
                state = State.FIXED_FIELDS;
            }
            case FIXED_FIELDS -> {
                if (--remaining == 0) {
                    if ((flags & FEXTRA) != 0) {
                        startField(State.EXTRA_LENGTH);
                    } else {
                        afterExtra();
                    }
                }
            }
            case EXTRA_LENGTH -> {
                if (addFieldByte(b, 2)) {
                    remaining = (int) field;
                    if (remaining == 0) {
                        afterExtra();
                    } else {
                        state = State.EXTRA;
                    }
                }
            }
            case EXTRA -> {
                if (--remaining == 0) {
                    afterExtra();
                }
            }
            case NAME -> {
                if (b == 0) {
                    afterName();
                }
            }
            case COMMENT -> {
                if (b == 0) {
                    afterComment();
                }
            }
            case HEADER_CRC -> {
                if (addFieldByte(b, 2)) {
                    long expected = headerCrc.getValue() & 0xffff;
                    if (field != expected) {
                        throw error("header CRC " + hex16(field) + " does not match " + hex16(expected), at);
                    }
                    startDeflate();
                }
            }
            case TRAILER -> {
                if (addFieldByte(b, 8)) {
                    checkTrailer(at);
                }
            }
            case ZERO_PADDING -> {
                if (b != 0) {
                    throw error("byte " + hex(b) + " in the zero padding after gzip member " + members, at);
                }
            }
            case DEFLATE -> throw new IllegalStateException("deflate data is not header");
        }
    }

    private void afterExtra() {
        if ((flags & FNAME) != 0) {
            state = State.NAME;
        } else {
            afterName();
        }
    }

    private void afterName() {
        if ((flags & FCOMMENT) != 0) {
            state = State.COMMENT;
        } else {
            afterComment();
        }
    }

    private void afterComment() {
        if ((flags & FHCRC) != 0) {
            startField(State.HEADER_CRC);
        } else {
            startDeflate();
        }
    }

    private void startDeflate() {
        inflater.reset();
        dataCrc.reset();
        state = State.DEFLATE;
    }

    private void startField(State fieldState) {
        field = 0;
        fieldBytes = 0;
        state = fieldState;
    }

    /** Adds a little-endian byte; true when the field of {@code size} bytes is complete. */
    private boolean addFieldByte(int b, int size) {
        field |= (long) b << (8 * fieldBytes);
        return ++fieldBytes == size;
    }

    private void checkTrailer(long at) throws BodyFormatException {
        long storedCrc = field & 0xffffffffL;
        long storedSize = field >>> 32;
        if (storedCrc != dataCrc.getValue()) {
            throw error("CRC-32 " + hex32(dataCrc.getValue()) + " of member " + (members + 1)
                    + " does not match its trailer's " + hex32(storedCrc), at);
        }
        // ISIZE is the size modulo 2^32.
        long size = inflater.getBytesWritten() & 0xffffffffL;
        if (storedSize != size) {
            throw error("member " + (members + 1) + " inflated to " + inflater.getBytesWritten()
                    + " bytes but its trailer says " + storedSize, at);
        }
        members++;
        headerCrc.reset();
        state = State.MEMBER_START;
    }

    @Override
    void finish() throws BodyFormatException {
        switch (state) {
            case MEMBER_START, ZERO_PADDING -> { }
            case DEFLATE -> throw error("truncated: body ended inside the deflate data of member " + (members + 1));
            case TRAILER -> throw error("truncated: body ended inside the trailer of member " + (members + 1));
            default -> throw error("truncated: body ended inside the header of member " + (members + 1));
        }
    }

    @Override
    void close() {
        if (!closed) {
            closed = true;
            inflater.end();
        }
    }

    private static String hex(int b) {
        return String.format("0x%02x", b);
    }

    private static String hex16(long v) {
        return String.format("0x%04x", v);
    }

    private static String hex32(long v) {
        return String.format("0x%08x", v);
    }
}
