package org.omamori.engine.ips.rules;

import java.util.Locale;

/** {@code flow:} and {@code flowbits:} values. */
final class FlowOptions {

    private FlowOptions() {
    }

    static void flow(String value, RuleDraft d) throws RuleSyntaxError, UnsupportedFeature {
        for (String part : value.split(",", -1)) {
            String p = part.strip().toLowerCase(Locale.ROOT);
            switch (p) {
                case "to_server", "from_client" -> d.toServer = true;
                case "to_client", "from_server" -> d.toClient = true;
                case "established" -> d.established = true;
                case "stateless" -> { } // matches whatever the state: the same as no state option
                case "not_established", "only_stream", "no_stream", "only_frag", "no_frag" ->
                        throw new UnsupportedFeature("flow:" + p, "flow:" + p + " is not supported");
                default -> throw new RuleSyntaxError("flow: unknown option '" + GroupParser.clip(p) + "'");
            }
        }
        if (d.toServer && d.toClient) {
            throw new RuleSyntaxError("flow: both to_server and to_client");
        }
    }

    static Flowbit flowbit(String value) throws RuleSyntaxError, UnsupportedFeature {
        int comma = value.indexOf(',');
        String op = (comma < 0 ? value : value.substring(0, comma)).strip().toLowerCase(Locale.ROOT);
        String name = comma < 0 ? "" : value.substring(comma + 1).strip();
        Flowbit.Op kind = switch (op) {
            case "set" -> Flowbit.Op.SET;
            case "unset" -> Flowbit.Op.UNSET;
            case "toggle" -> Flowbit.Op.TOGGLE;
            case "isset" -> Flowbit.Op.ISSET;
            case "isnotset" -> Flowbit.Op.ISNOTSET;
            case "noalert" -> Flowbit.Op.NOALERT;
            default -> throw new RuleSyntaxError("flowbits: unknown operation '" + GroupParser.clip(op) + "'");
        };
        if (kind == Flowbit.Op.NOALERT) {
            if (!name.isEmpty()) {
                throw new RuleSyntaxError("flowbits: noalert takes no name");
            }
            return new Flowbit(kind, "");
        }
        if (name.isEmpty()) {
            throw new RuleSyntaxError("flowbits: " + op + " needs a name");
        }
        if (name.indexOf('&') >= 0 || name.indexOf('|') >= 0) {
            throw new UnsupportedFeature("flowbits-group", "flowbits on a group of names is not supported");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-'))) {
                throw new RuleSyntaxError("flowbits: bad name '" + GroupParser.clip(name) + "'");
            }
        }
        return new Flowbit(kind, name);
    }
}
