package org.omamori.ids;

/** The reader of one TCP connection's two reassembled streams. */
interface StreamSession {

    TcpStream.Receiver clientSide();

    TcpStream.Receiver serverSide();

    /** Whether the connection needs no more reassembly (nothing more of it will be read). */
    boolean ignoring();

    /** The connection is over: report what is still open. */
    void close();

    /** A connection that is not read at all. */
    StreamSession IGNORED = new StreamSession() {
        private final TcpStream.Receiver nothing = new TcpStream.Receiver() {
            @Override
            public void data(byte[] data, int offset, int length) {
            }

            @Override
            public void gap(long bytes) {
            }

            @Override
            public void end() {
            }
        };

        @Override
        public TcpStream.Receiver clientSide() {
            return nothing;
        }

        @Override
        public TcpStream.Receiver serverSide() {
            return nothing;
        }

        @Override
        public boolean ignoring() {
            return true;
        }

        @Override
        public void close() {
        }
    };
}
