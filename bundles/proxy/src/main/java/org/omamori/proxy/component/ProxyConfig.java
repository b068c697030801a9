package org.omamori.proxy.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Omamori web proxy",
        description = "Explicit and transparent HTTP proxy and TLS pass-through, inspected by every engine.")
public @interface ProxyConfig {

    @AttributeDefinition(description = "Listeners as mode@address:port/zone; mode is explicit, http (transparent) or tls "
            + "(transparent, by SNI). Example: explicit@0.0.0.0:3128/lan")
    String[] listeners() default {"explicit@127.0.0.1:3128/lan"};

    @AttributeDefinition(description = "Zone of the servers the proxy reaches.")
    String serverZone() default "wan";

    @AttributeDefinition(description = "Longest request line in bytes (414 beyond).", min = "64")
    int maxRequestLineBytes() default 8192;

    @AttributeDefinition(description = "Largest request or response head in bytes (431 / 502 beyond).", min = "64")
    int maxHeadBytes() default 65536;

    @AttributeDefinition(description = "Time a client has to send a whole request head (or TLS ClientHello), in "
            + "milliseconds: a deadline from the first byte, not a per-read timeout.", min = "1")
    long headTimeoutMillis() default 10000;

    @AttributeDefinition(description = "How long an idle client connection is kept, in milliseconds.", min = "1")
    long idleTimeoutMillis() default 30000;

    @AttributeDefinition(description = "Time allowed to connect to a server, in milliseconds.", min = "1")
    long connectTimeoutMillis() default 10000;

    @AttributeDefinition(description = "Longest silence from a server inside a response, in milliseconds.", min = "1")
    long originTimeoutMillis() default 60000;

    @AttributeDefinition(description = "Largest body held back until every engine has seen it (so an infected download "
            + "can be replaced by the notice); larger bodies are streamed and cut off if found infected.", min = "0")
    long holdBytes() default 33554432L;

    @AttributeDefinition(description = "Bytes held back by all bodies together.", min = "0")
    long holdBudgetBytes() default 536870912L;

    @AttributeDefinition(description = "Client connections served at once; more are refused.", min = "1")
    int maxConnections() default 2048;

    @AttributeDefinition(description = "Client connections served at once from one client address; more are refused.", min = "1")
    int maxConnectionsPerClient() default 256;

    @AttributeDefinition(description = "Ports CONNECT may reach: ports and ranges, e.g. 443, 8443 or 8000-8999.")
    String[] connectPorts() default {"443", "8443"};

    @AttributeDefinition(description = "Ports plain HTTP requests may reach: ports and ranges.")
    String[] httpPorts() default {"80", "1024-65535"};

    @AttributeDefinition(description = "Networks the proxy never connects to (CIDR), besides the appliance's own addresses.")
    String[] forbiddenNetworks() default {"0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/4",
        "::/96", "fe80::/10", "fec0::/10", "ff00::/8"};

    @AttributeDefinition(description = "Exceptions to forbiddenNetworks and the appliance's own addresses (CIDR), e.g. an "
            + "intranet server reached through the proxy.")
    String[] allowedNetworks() default {};

    @AttributeDefinition(description = "Refuse the appliance's own interface addresses as destinations.")
    boolean forbidOwnAddresses() default true;

    @AttributeDefinition(description = "Block a CONNECT whose TLS server name (SNI) differs from the CONNECT host even when "
            + "neither is listed; the mismatch is an event either way, and a listed name is always blocked.")
    boolean blockSniMismatch() default false;

    @AttributeDefinition(description = "Service name on the block page and the neutralisation notice (reseller brand).")
    String brandName() default "サイバーセキュリティお助け隊 / Cyber Security Otasuketai";

    @AttributeDefinition(description = "Support desk on the block page and the neutralisation notice.")
    String brandContact() default "ご契約の販売店のサポート窓口 / your provider's support desk";

    @AttributeDefinition(description = "The edition's colour (#rrggbb) under the block page's header.")
    String brandColour() default "#cccccc";
}
