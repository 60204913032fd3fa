package swap.internal.osgi;

import java.time.Duration;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import swap.hotswap.SwapOptions;
import swap.internal.ott.Origin;
import swap.osgi.SwapComponents;
import swap.internal.ott.TableImpl;
import swap.internal.quiesce.Fences;
import swap.ott.ObjectTranslationTable;

/**
 * The OSGi face of the Object Translation Table: one table per framework, registered as an
 * {@link ObjectTranslationTable} service while this component is active, knowing which bundle
 * each implementation class comes from; and the {@link LivePatcher} that turns provider services
 * into swap components.
 *
 * <p>Configuration (PID {@value #PID}, optional, applied at run time): {@value #HOLD} — how long a
 * call may be held while a component has no provider (a bundle update in progress), in
 * milliseconds, default {@value #DEFAULT_HOLD_MILLIS}; {@value #TIMEOUT} — the timeout of each
 * try of a live patch, default {@value #DEFAULT_TIMEOUT_MILLIS}.
 */
@Component(immediate = true, service = {}, configurationPid = TableComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = TableComponent.Config.class)
public final class TableComponent {

    /** The configuration, for Metatype (values are read from the raw properties, see {@link #options}). */
    @ObjectClassDefinition(name = "swap framework", description = "Live patching of swap components.")
    @interface Config {
        @AttributeDefinition(name = "Hold while patching (ms)", min = "1",
                description = "How long a call may be held while a component has no provider (a bundle update in progress);"
                        + " then it fails as unavailable and the state waits for the next provider.")
        long patch_hold_millis() default DEFAULT_HOLD_MILLIS;

        @AttributeDefinition(name = "Patch timeout (ms)", min = "1", description = "The timeout of each try of a live patch.")
        long patch_timeout_millis() default DEFAULT_TIMEOUT_MILLIS;
    }

    static final String PID = "swap.framework";
    static final String HOLD = "patch.hold.millis";
    static final String TIMEOUT = "patch.timeout.millis";
    static final long DEFAULT_HOLD_MILLIS = 30_000;
    static final long DEFAULT_TIMEOUT_MILLIS = 2_000;

    /** Service property: the fences of the table's generation counters ({@code portable}, {@code asymmetric} or {@code handshake}). */
    public static final String FENCES = "swap.quiescence.fences";

    private static final Logger LOG = LoggerFactory.getLogger(TableComponent.class);

    private TableImpl table;
    private ServiceRegistration<ObjectTranslationTable> registration;
    private LivePatcher patcher;
    private FactoryPatcher factories;
    private ServiceRegistration<SwapComponents> components;
    private SwapEvents events;

    @Activate
    void activate(BundleContext context, Map<String, Object> configuration) throws InvalidSyntaxException {
        table = new TableImpl(TableComponent::originOf);
        String fences = table.stacks().mode().name().toLowerCase(Locale.ROOT);
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(FENCES, fences);
        events = new SwapEvents(context);
        events.open();
        table.onRecord(events);
        registration = context.registerService(ObjectTranslationTable.class, table, properties);
        LOG.info("Object Translation Table ready (generation counters with {} fences; see -D{})", fences, Fences.PROPERTY);
        patcher = new LivePatcher(context, table, options(configuration));
        patcher.open();
        factories = new FactoryPatcher(context, table, patcher);
        factories.open();
        components = context.registerService(SwapComponents.class, factories, null);
    }

    @Modified
    void modified(Map<String, Object> configuration) {
        patcher.options(options(configuration));
    }

    static SwapOptions options(Map<String, Object> configuration) {
        long hold = millis(configuration, HOLD, DEFAULT_HOLD_MILLIS);
        long timeout = millis(configuration, TIMEOUT, DEFAULT_TIMEOUT_MILLIS);
        return SwapOptions.defaults().withMaxHold(Duration.ofMillis(hold)).withTimeout(Duration.ofMillis(timeout));
    }

    private static long millis(Map<String, Object> configuration, String key, long fallback) {
        Object value = configuration.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            long millis = Long.parseLong(value.toString().trim());
            if (millis > 0) {
                return millis;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        LOG.error("configuration {}: {} = '{}' is not a positive number of milliseconds; using {}", PID, key, value, fallback);
        return fallback;
    }

    @Deactivate
    void deactivate() {
        components.unregister();
        factories.close();
        patcher.close();
        registration.unregister();
        int entries = table.list().size();
        table.close();
        table.onRecord(null);
        events.close();
        LOG.info("Object Translation Table closed ({} entries removed)", entries);
    }

    static Origin originOf(Class<?> type) {
        Bundle bundle = FrameworkUtil.getBundle(type);
        return bundle == null ? null : new Origin(bundle.getSymbolicName(), bundle.getVersion().toString());
    }
}
