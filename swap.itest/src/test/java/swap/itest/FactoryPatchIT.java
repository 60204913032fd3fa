package swap.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import swap.hotswap.SwapOptions;
import swap.hotswap.SwapOutcome;
import swap.hotswap.SwapResult;
import swap.osgi.SwapComponents;
import swap.ott.Entry;
import swap.sample.counter.Counter;

/**
 * Many-instance components: instances made by factory services, moved to the new version when
 * the provider bundle is updated, and swapped to an implementation named by its characteristics.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FactoryPatchIT {

    private static final String COMPONENT = "sample.counters";

    @Inject
    private BundleContext context;

    @Inject
    private SwapComponents components;

    @Configuration
    public Option[] config() throws Exception {
        return ContainerOptions.withCounterApi("factory-patch");
    }

    @Before
    public void awaitStartLevel() {
        Await.startLevel(context);
    }

    @Test
    public void updatingTheProviderMovesEveryInstanceToTheNewVersionWithItsState() throws Exception {
        Bundle provider = context.installBundle(Homes.samples().resolve("counter-v1.jar").toUri().toString());
        provider.start();
        List<Entry<Counter>> entries = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            entries.add(components.create(Counter.class, COMPONENT, "(swap.impl=plain)"));
        }
        assertThat(components.instances(COMPONENT)).hasSize(3);
        long[] counts = new long[3];
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k <= i; k++) {
                counts[i] = entries.get(i).stub().increment();
            }
        }
        AtomicBoolean stop = new AtomicBoolean();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        Future<long[]> load = caller.submit(() -> {
            long[] ok = new long[3];
            while (!stop.get()) {
                for (int i = 0; i < 3; i++) {
                    try {
                        entries.get(i).stub().increment();
                        ok[i]++;
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }
            }
            return ok;
        });
        try {
            for (String version : new String[] {"2", "1", "2"}) {
                try (InputStream in = Files.newInputStream(Homes.samples().resolve("counter-v" + version + ".jar"))) {
                    provider.update(in);
                }
                for (Entry<Counter> e : entries) {
                    Await.until(e.id() + " on version " + version, () -> version.equals(e.stub().version()), () -> e.stub().version());
                }
            }
        } finally {
            stop.set(true);
            caller.shutdown();
            assertThat(caller.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        long[] ok = load.get();
        assertThat(failures).as("failed calls").isEmpty();
        for (int i = 0; i < 3; i++) {
            assertThat(entries.get(i).stub().get()).as("the state of " + entries.get(i).id()).isEqualTo(counts[i] + ok[i]);
        }
        provider.uninstall();
        entries.forEach(Entry::remove);
        assertThat(components.instances(COMPONENT)).isEmpty();
    }

    @Test
    public void aSwapTargetNamedByCharacteristicsPicksTheMatchingFactory() throws Exception {
        Bundle provider = context.installBundle(Homes.samples().resolve("counter-v2.jar").toUri().toString());
        provider.start();
        Entry<Counter> entry = components.create(Counter.class, COMPONENT, "(sample.counter.optimized.for=exclusive)");
        Counter counter = entry.stub();
        assertThat(counter.version()).isEqualTo("2");
        counter.increment();
        counter.increment();

        SwapResult r = components.swap(entry, "(sample.counter.optimized.for=concurrent)", SwapOptions.defaults(), "test");

        assertThat(r.outcome).isEqualTo(SwapOutcome.COMMITTED);
        assertThat(r.protocol).as("version 2 to version 2: the richer protocol").isEqualTo(1);
        assertThat(counter.version()).isEqualTo("2-concurrent");
        assertThat(counter.increment()).as("with the state").isEqualTo(3);

        assertThatIllegalArgumentException().isThrownBy(() -> components.swap(entry, "(((", SwapOptions.defaults(), null))
                .withMessageContaining("malformed filter (((");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> components.swap(entry, "(sample.counter.optimized.for=sequential)", SwapOptions.defaults(), null))
                .withMessageContaining("no factory matches (sample.counter.optimized.for=sequential)");
        assertThatIllegalArgumentException().isThrownBy(() -> components.create(Counter.class, "no.such.component", null))
                .withMessageContaining("component 'no.such.component': no factory");
        assertThat(counter.version()).as("nothing changed").isEqualTo("2-concurrent");
        provider.uninstall();
        entry.remove();
    }
}
