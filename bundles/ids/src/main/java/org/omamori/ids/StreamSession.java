package org.omamori.ids;

/** The reader of one TCP connection's two reassembled streams. */
interface StreamSession {

    TcpStream.Receiver clientSide();

    TcpStream.Receiver serverSide();

    /** Whether the connection needs no more reassembly (nothing more of it will be read). */
    boolean ignoring();

    /** The connection is over: report what is still open. */
    void close();
}
