package org.omamori.fleet.component;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.omamori.fleet.Schema;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * The installed components' metatype (generated from their configuration annotations) as a {@link Schema}.
 * Made for one check of one version: each PID's definition is looked up once among the bundles and kept
 * (engine bundles come and go, so a later check makes a new one).
 */
final class MetaTypeSchema implements Schema {

    private final BundleContext context;
    private final MetaTypeService metatype;
    private final java.util.Map<String, Optional<ObjectClassDefinition>> definitions = new java.util.HashMap<>();

    MetaTypeSchema(BundleContext context, MetaTypeService metatype) {
        this.context = context;
        this.metatype = metatype;
    }

    @Override
    public boolean knows(String pid) {
        return definition(pid).isPresent();
    }

    @Override
    public Optional<Property> property(String pid, String id) {
        return definition(pid).flatMap(ocd -> Arrays.stream(ocd.getAttributeDefinitions(ObjectClassDefinition.ALL))
                .filter(ad -> ad.getID().equals(id)).findFirst()).map(MetaTypeSchema::property);
    }

    private static Property property(AttributeDefinition ad) {
        String[] options = ad.getOptionValues();
        String[] defaults = ad.getDefaultValue();
        return new Property(ad.getType(), ad.getCardinality() != 0, options == null ? List.of() : List.of(options), value -> {
            String problem = ad.validate(value);
            return problem == null || problem.isEmpty() ? Optional.empty() : Optional.of(problem);
        }, defaults == null ? List.of() : List.of(defaults));
    }

    private Optional<ObjectClassDefinition> definition(String pid) {
        return definitions.computeIfAbsent(pid, this::find);
    }

    private Optional<ObjectClassDefinition> find(String pid) {
        for (Bundle b : context.getBundles()) {
            if (b.getState() != Bundle.ACTIVE && b.getState() != Bundle.STARTING) {
                continue;
            }
            MetaTypeInformation info = metatype.getMetaTypeInformation(b);
            if (info != null && Arrays.asList(info.getPids()).contains(pid)) {
                return Optional.ofNullable(info.getObjectClassDefinition(pid, null));
            }
        }
        return Optional.empty();
    }
}
