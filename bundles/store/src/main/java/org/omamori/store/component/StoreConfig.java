package org.omamori.store.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code org.omamori.store}. */
@ObjectClassDefinition(pid = StoreComponent.PID, name = "Omamori store",
        description = "The cloud's database: embedded H2 by default, PostgreSQL by JDBC URL.")
public @interface StoreConfig {

    @AttributeDefinition(description = "JDBC URL: jdbc:h2:file:/path/name or jdbc:postgresql://host:5432/db. Empty: an H2"
            + " file at state/cloud/omamori under the omamori.home framework property.")
    String jdbcUrl() default "";

    @AttributeDefinition(description = "Database user (H2: sa).")
    String user() default "sa";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Database password; never logged. The key is"
            + " .password: the leading dot keeps it out of service properties.")
    String _password() default "";

    @AttributeDefinition(description = "Most connections in the pool.", min = "1", max = "200")
    int poolSize() default 10;
}
