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

    /** {@code xbits:op,name,track ip_src|ip_dst|ip_pair[,expire N]}. */
    static Xbit xbit(String value) throws RuleSyntaxError, UnsupportedFeature {
        String[] parts = value.split(",", -1);
        if (parts.length < 3) {
            throw new RuleSyntaxError("xbits: expected operation, name, track");
        }
        String op = parts[0].strip().toLowerCase(Locale.ROOT);
        Xbit.Op kind = switch (op) {
            case "set" -> Xbit.Op.SET;
            case "unset" -> Xbit.Op.UNSET;
            case "toggle" -> Xbit.Op.TOGGLE;
            case "isset" -> Xbit.Op.ISSET;
            case "isnotset" -> Xbit.Op.ISNOTSET;
            default -> throw new RuleSyntaxError("xbits: unknown operation '" + GroupParser.clip(op) + "'");
        };
        String name = parts[1].strip();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-'))) {
                throw new RuleSyntaxError("xbits: bad name '" + GroupParser.clip(name) + "'");
            }
        }
        if (name.isEmpty()) {
            throw new RuleSyntaxError("xbits: " + op + " needs a name");
        }
        Xbit.Track track = null;
        int expire = Xbit.DEFAULT_EXPIRE;
        for (int k = 2; k < parts.length; k++) {
            String p = parts[k].strip().toLowerCase(Locale.ROOT);
            if (p.startsWith("track ")) {
                track = switch (p.substring(6).strip()) {
                    case "ip_src" -> Xbit.Track.IP_SRC;
                    case "ip_dst" -> Xbit.Track.IP_DST;
                    case "ip_pair" -> Xbit.Track.IP_PAIR;
                    case "tx" -> throw new UnsupportedFeature("xbits:tx", "xbits per transaction is not supported");
                    default -> throw new RuleSyntaxError("xbits: unknown track '" + GroupParser.clip(p) + "'");
                };
            } else if (p.startsWith("expire ")) {
                try {
                    expire = Integer.parseInt(p.substring(7).strip());
                } catch (NumberFormatException e) {
                    throw new RuleSyntaxError("xbits: bad expire '" + GroupParser.clip(p) + "'");
                }
                if (expire < 1) {
                    throw new RuleSyntaxError("xbits: expire must be at least 1");
                }
            } else {
                throw new RuleSyntaxError("xbits: unknown option '" + GroupParser.clip(p) + "'");
            }
        }
        if (track == null) {
            throw new RuleSyntaxError("xbits: needs track ip_src, ip_dst or ip_pair");
        }
        return new Xbit(kind, name, track, expire);
    }
}
