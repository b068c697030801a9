package org.omamori.engine.ips.rules;

/** The {@code flow:} options; all false when the rule has none. */
public record Flow(boolean toServer, boolean toClient, boolean established) {

    public static final Flow ANY = new Flow(false, false, false);

    public Flow {
        if (toServer && toClient) {
            throw new IllegalArgumentException("flow cannot be both to_server and to_client");
        }
    }
}
