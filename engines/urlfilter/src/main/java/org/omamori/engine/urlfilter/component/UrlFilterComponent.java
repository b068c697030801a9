package org.omamori.engine.urlfilter.component;

import java.nio.file.Path;

import org.omamori.api.engine.Engine;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.engine.urlfilter.UrlFilter;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The URL filter as an engine service: wires configuration to {@link UrlFilter}, which does
 * the work. Lists are loaded at activation, reloaded in the background on configuration
 * change; a failed load keeps the lists in force.
 */
@Component(service = Engine.class, configurationPid = "org.omamori.engine.urlfilter")
@Designate(ocd = UrlFilterConfig.class)
public final class UrlFilterComponent implements Engine {

    /** Framework property: the appliance home that relative list paths are resolved against. */
    static final String HOME_PROPERTY = "omamori.home";

    private final UrlFilter filter;
    private final Engine engine;
    private final Path home;

    @Activate
    public UrlFilterComponent(BundleContext context, UrlFilterConfig config) {
        String homeProperty = context.getProperty(HOME_PROPERTY);
        home = Path.of(homeProperty == null ? "" : homeProperty).toAbsolutePath();
        filter = new UrlFilter(context.getBundle().getVersion().toString());
        engine = filter.asEngine();
        filter.loadNow(home.resolve(config.lists()), config.maxEntries());
    }

    @Modified
    void modified(UrlFilterConfig config) {
        filter.reload(home.resolve(config.lists()), config.maxEntries());
    }

    @Deactivate
    void deactivate() {
        filter.close();
    }

    @Override
    public EngineDescriptor descriptor() {
        return filter.descriptor();
    }

    @Override
    public Inspection inspect(InspectionRequest request) {
        return engine.inspect(request);
    }
}
