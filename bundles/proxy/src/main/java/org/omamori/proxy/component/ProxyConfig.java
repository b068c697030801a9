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

    @AttributeDefinition(description = "Time a client has to send a request head, in milliseconds.", min = "1")
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

    @AttributeDefinition(description = "Ports CONNECT may reach.")
    int[] connectPorts() default {443, 8443};

    @AttributeDefinition(description = "Service name on the block page and the neutralisation notice (reseller brand).")
    String brandName() default "サイバーセキュリティお助け隊 / Cyber Security Otasuketai";

    @AttributeDefinition(description = "Support desk on the block page and the neutralisation notice.")
    String brandContact() default "ご契約の販売店のサポート窓口 / your provider's support desk";
}
