package swap.internal.osgi;

import java.util.List;
import java.util.Optional;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import swap.internal.ott.Origin;
import swap.internal.quiesce.Fences;
import swap.internal.ott.TableImpl;
import swap.ott.Entry;
import swap.ott.EntryDTO;
import swap.ott.ObjectTranslationTable;

/**
 * The OSGi face of the Object Translation Table: one table per framework, registered as a
 * service, knowing which bundle each implementation class comes from.
 */
@Component(service = ObjectTranslationTable.class)
public final class TableComponent implements ObjectTranslationTable {

    private static final Logger LOG = LoggerFactory.getLogger(TableComponent.class);

    private final TableImpl table = new TableImpl(TableComponent::originOf);

    @Activate
    void activate() {
        LOG.info("Object Translation Table ready (generation counters with {} fences; see {})",
                table.stacks().mode().name().toLowerCase(java.util.Locale.ROOT), Fences.PROPERTY);
    }

    @Deactivate
    void deactivate() {
        int entries = table.list().size();
        table.close();
        LOG.info("Object Translation Table closed ({} entries removed)", entries);
    }

    static Origin originOf(Class<?> type) {
        Bundle bundle = FrameworkUtil.getBundle(type);
        return bundle == null ? null : new Origin(bundle.getSymbolicName(), bundle.getVersion().toString());
    }

    @Override
    public <T> Entry<T> register(Class<T> type, T instance) {
        return table.register(type, instance);
    }

    @Override
    public <T> Entry<T> register(String id, Class<T> type, T instance) {
        return table.register(id, type, instance);
    }

    @Override
    public Optional<Entry<?>> lookup(String id) {
        return table.lookup(id);
    }

    @Override
    public <T> Optional<Entry<T>> lookup(String id, Class<T> type) {
        return table.lookup(id, type);
    }

    @Override
    public List<EntryDTO> list() {
        return table.list();
    }

    @Override
    public boolean remove(String id) {
        return table.remove(id);
    }
}
