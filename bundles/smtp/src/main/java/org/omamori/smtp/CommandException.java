package org.omamori.smtp;

/** A command line that cannot be taken, with the reply that says why. */
public final class CommandException extends Exception {

    private final Reply reply;

    public CommandException(Reply reply) {
        super(reply.toString(), null, false, false);
        this.reply = reply;
    }

    public CommandException(int code, String status, String text) {
        this(Reply.of(code, status, text));
    }

    public Reply reply() {
        return reply;
    }
}
