package swap.internal.osgi;

import java.util.Hashtable;
import java.util.Locale;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import swap.internal.ott.Origin;
import swap.internal.ott.TableImpl;
import swap.internal.quiesce.Fences;
import swap.ott.ObjectTranslationTable;

/**
 * The OSGi face of the Object Translation Table: one table per framework, registered as an
 * {@link ObjectTranslationTable} service while this component is active, knowing which bundle
 * each implementation class comes from.
 */
@Component(immediate = true, service = {})
public final class TableComponent {

    /** Service property: the fences of the table's generation counters ({@code portable} or {@code asymmetric}). */
    public static final String FENCES = "swap.quiescence.fences";

    private static final Logger LOG = LoggerFactory.getLogger(TableComponent.class);

    private TableImpl table;
    private ServiceRegistration<ObjectTranslationTable> registration;

    @Activate
    void activate(BundleContext context) {
        table = new TableImpl(TableComponent::originOf);
        String fences = table.stacks().mode().name().toLowerCase(Locale.ROOT);
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(FENCES, fences);
        registration = context.registerService(ObjectTranslationTable.class, table, properties);
        LOG.info("Object Translation Table ready (generation counters with {} fences; see -D{})", fences, Fences.PROPERTY);
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
        int entries = table.list().size();
        table.close();
        LOG.info("Object Translation Table closed ({} entries removed)", entries);
    }

    static Origin originOf(Class<?> type) {
        Bundle bundle = FrameworkUtil.getBundle(type);
        return bundle == null ? null : new Origin(bundle.getSymbolicName(), bundle.getVersion().toString());
    }
}
