package swap.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ops4j.pax.exam.CoreOptions.bundle;

import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Hashtable;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.ServiceTracker;
import swap.hotswap.SwapException;
import swap.hotswap.SwapOutcome;
import swap.hotswap.SwapResult;
import swap.osgi.SwapComponents;
import swap.ott.ObjectTranslationTable;
import swap.sample.counter.Counter;
import swap.sample.counter.CounterClient;

/**
 * Installing and updating a provider bundle is a live patch: a Declarative Services client of
 * the sample counter keeps calling while the provider bundle is updated, and sees no failure,
 * no lost increment and no deactivation.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LivePatchIT {

    private static final int UPDATES = 100;
    private static final int CALLERS = 3;

    @Inject
    private BundleContext context;

    @Inject
    private ObjectTranslationTable table;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private ServiceComponentRuntime scr;

    @Inject
    private LogReaderService logReader;

    @Inject
    private SwapComponents components;

    @Configuration
    public Option[] config() throws Exception {
        // Event Admin, which the container does not have: the framework posts swap events when it is present
        return ContainerOptions.withCounterApi("live-patch",
                bundle(Homes.deployables().resolve("org.apache.felix.eventadmin-1.6.4.jar").toUri().toString()));
    }

    @Before
    public void awaitStartLevel() {
        Await.startLevel(context);
    }

    @Test
    public void aHundredUpdatesUnderLoadLoseNoCallNoStateAndNeverDeactivateTheClient() throws Exception {
        Bundle provider = install("counter-v1.jar");
        Bundle client = install("counter-client.jar");
        CounterClient counter = service(CounterClient.class);
        assertThat(counter.version()).isEqualTo("1");

        // the raw provider is hidden: every other bundle sees the front only
        Collection<ServiceReference<Counter>> visible = context.getServiceReferences(Counter.class, null);
        assertThat(visible).hasSize(1);
        assertThat(visible.iterator().next().getProperty("swap.front")).isEqualTo(Boolean.TRUE);
        assertThat(visible.iterator().next().getBundle().getSymbolicName()).isEqualTo("swap.framework");

        // and so are its events: a listener of another bundle hears of none of the providers' 100 comings and goings
        List<String> rawEvents = new CopyOnWriteArrayList<>();
        ServiceListener listener = event -> {
            if (!Boolean.TRUE.equals(event.getServiceReference().getProperty("swap.front"))) {
                rawEvents.add(event.getType() + " " + event.getServiceReference());
            }
        };
        context.addServiceListener(listener, "(objectClass=" + Counter.class.getName() + ")");

        long before = counter.increment(); // the entry outlives its providers: earlier tests may have counted
        Load load = new Load(counter, CALLERS);
        try {
            for (int u = 1; u <= UPDATES; u++) {
                String version = u % 2 == 1 ? "2" : "1";
                try (InputStream in = Files.newInputStream(Homes.samples().resolve("counter-v" + version + ".jar"))) {
                    provider.update(in);
                }
                int update = u;
                Await.until("version " + version + " serving after update " + u, () -> version.equals(counter.version()),
                        () -> "version " + counter.version() + ", provider bundle state " + provider.getState()
                                + ", failures " + load.failures.size() + " after update " + update);
            }
        } finally {
            load.stop();
            context.removeServiceListener(listener);
        }
        assertThat(load.failures).as("failed calls").isEmpty();
        assertThat(rawEvents).as("service events of the raw providers seen by another bundle").isEmpty();
        assertThat(load.successes).as("calls made").isPositive();
        assertThat(counter.increment()).as("the state: every successful increment, exactly once")
                .isEqualTo(before + load.successes + 1);
        assertThat(counter.activations()).as("client activations").isEqualTo(1);
        assertThat(counter.deactivations()).as("client deactivations").isZero();
        List<SwapResult> patches = table.history().stream().filter(r -> r.entryId.equals(Counter.COMPONENT)).collect(Collectors.toList());
        assertThat(patches).hasSizeGreaterThanOrEqualTo(UPDATES);
        assertThat(patches).allMatch(r -> r.outcome == SwapOutcome.COMMITTED, "every patch committed");

        client.uninstall();
        provider.uninstall();
    }

    @Test
    public void replacingTheProviderFileInDeployIsALivePatchToo() throws Exception {
        Path deploy = Path.of(context.getProperty("swap.deploy"));
        Path target = deploy.resolve("counter.jar");
        drop("counter-v1.jar", target);
        Await.until("the provider from deploy/ active", () -> impl() != null && impl().getState() == Bundle.ACTIVE, () -> "" + impl());
        Bundle client = install("counter-client.jar");
        CounterClient counter = service(CounterClient.class);
        long before = counter.increment(); // the entry outlives its providers: earlier tests may have counted
        Load load = new Load(counter, CALLERS);
        try {
            for (int u = 1; u <= 4; u++) {
                String version = u % 2 == 1 ? "2" : "1";
                drop("counter-v" + version + ".jar", target);
                Await.until("version " + version + " serving after replacing the file", () -> version.equals(counter.version()),
                        counter::version);
            }
        } finally {
            load.stop();
        }
        assertThat(load.failures).as("failed calls").isEmpty();
        assertThat(counter.increment()).as("the state").isEqualTo(before + load.successes + 1);
        assertThat(counter.deactivations()).as("client deactivations").isZero();
        client.uninstall();
        Files.delete(target);
        Await.until("the provider uninstalled", () -> impl() == null, () -> "" + impl());
    }

    /** Callers in a loop until stopped: what succeeded, what failed. */
    private static final class Load {
        final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final AtomicBoolean stop = new AtomicBoolean();
        final ExecutorService threads;
        final List<Future<Long>> done = new ArrayList<>();
        long successes;

        Load(CounterClient counter, int callers) {
            threads = Executors.newFixedThreadPool(callers);
            for (int i = 0; i < callers; i++) {
                done.add(threads.submit(() -> {
                    long ok = 0;
                    while (!stop.get()) {
                        try {
                            counter.increment();
                            ok++;
                        } catch (RuntimeException e) {
                            failures.add(e);
                        }
                    }
                    return ok;
                }));
            }
        }

        void stop() throws Exception {
            stop.set(true);
            threads.shutdown();
            assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).as("callers ended").isTrue();
            for (Future<Long> f : done) {
                successes += f.get();
            }
        }
    }

    private Bundle impl() {
        return Arrays.stream(context.getBundles()).filter(b -> "swap.sample.counter.impl".equals(b.getSymbolicName()))
                .findFirst().orElse(null);
    }

    /** Puts a sample jar at {@code target} in one atomic step (FileInstall must never see half a file). */
    private static void drop(String jar, Path target) throws Exception {
        Path staged = target.resolveSibling(target.getFileName() + ".tmp");
        Files.copy(Homes.samples().resolve(jar), staged, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    public void aFailedPatchIsRolledBackOrWaitsAndTheRunningVersionKeepsTheState() throws Exception {
        Bundle provider = install("counter-v1.jar");
        Bundle client = install("counter-client.jar");
        CounterClient counter = service(CounterClient.class);
        long before = counter.increment();

        // side by side: 3.0.0 is newer, its import fails: every try rolls back, 1.0.0 keeps serving
        Bundle broken = context.installBundle(Homes.samples().resolve("counter-broken.jar").toUri() + "#side-by-side",
                Files.newInputStream(Homes.samples().resolve("counter-broken.jar")));
        broken.start();
        assertThat(counter.version()).isEqualTo("1");
        assertThat(counter.increment()).isEqualTo(before + 1);
        assertThat(lastPatch().outcome).isEqualTo(SwapOutcome.FAILED);
        assertThat(lastPatch().failure).contains("importState").contains("deliberately failing");
        broken.uninstall();

        // an update to the broken version: the old instance is gone, so the entry stays parked with its state
        try (InputStream in = Files.newInputStream(Homes.samples().resolve("counter-broken.jar"))) {
            provider.update(in);
        }
        assertThat(lastPatch().failure).contains("stays parked").contains("deliberately failing");
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<Long> held = caller.submit(counter::increment);
            try (InputStream in = Files.newInputStream(Homes.samples().resolve("counter-v2.jar"))) {
                provider.update(in);
            }
            assertThat(held.get(Await.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("the held call, served by 2.0.0 with the state")
                    .isEqualTo(before + 2);
        } finally {
            caller.shutdownNow();
        }
        assertThat(counter.version()).isEqualTo("2");
        assertThat(counter.deactivations()).as("client deactivations").isZero();
        client.uninstall();
        provider.uninstall();
    }

    private SwapResult lastPatch() {
        List<SwapResult> history = table.history();
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).entryId.equals(Counter.COMPONENT)) {
                return history.get(i);
            }
        }
        throw new AssertionError("no patch of " + Counter.COMPONENT + " in the history");
    }

    @Test
    public void everyPatchIsPostedToEventAdmin() throws Exception {
        Queue<Event> events = new ConcurrentLinkedQueue<>();
        Hashtable<String, Object> topics = new Hashtable<>();
        topics.put(EventConstants.EVENT_TOPIC, "swap/*");
        ServiceRegistration<EventHandler> handler = context.registerService(EventHandler.class, events::add, topics);
        try {
            Bundle provider = install("counter-v1.jar");
            Bundle client = install("counter-client.jar");
            CounterClient counter = service(CounterClient.class);
            counter.increment();
            try (InputStream in = Files.newInputStream(Homes.samples().resolve("counter-v2.jar"))) {
                provider.update(in);
            }
            Await.until("a swap/PATCH/COMMITTED event for the update", () -> events.stream().anyMatch(e ->
                    e.getTopic().equals("swap/PATCH/COMMITTED") && Counter.COMPONENT.equals(e.getProperty("swap.entry"))
                            && String.valueOf(e.getProperty("swap.to")).endsWith("CounterV2")), events::toString);
            Event patch = events.stream().filter(e -> e.getTopic().equals("swap/PATCH/COMMITTED")).reduce((a, b) -> b).get();
            assertThat(patch.getProperty("swap.reason").toString()).contains("unregistering").contains("swap.sample.counter.impl");
            assertThat(patch.getProperty("swap.protocol")).isEqualTo(0);
            client.uninstall();
            provider.uninstall();
        } finally {
            handler.unregister();
        }
    }

    @Test
    public void badProvidersAreRefusedWithAMessageAndTheRunningVersionKeepsServing() throws Exception {
        Bundle provider = install("counter-v1.jar");
        Bundle client = install("counter-client.jar");
        CounterClient counter = service(CounterClient.class);
        long before = counter.increment();
        List<LogEntry> errors = new CopyOnWriteArrayList<>();
        LogListener listener = e -> {
            if (e.getLogLevel() == LogLevel.ERROR) {
                errors.add(e);
            }
        };
        logReader.addLogListener(listener);
        List<ServiceRegistration<?>> bad = new ArrayList<>();
        try {
            // each ranks above the running provider, so each is tried, and each must be refused
            bad.add(context.registerService(Runnable.class, () -> { }, provider(100)));
            awaitError(errors, "does not implement swap.sample.counter.Counter");
            bad.add(context.registerService(Counter.class.getName(), new ServiceFactory<Counter>() {
                @Override
                public Counter getService(Bundle b, ServiceRegistration<Counter> r) {
                    throw new IllegalStateException("activation fails (test)");
                }

                @Override
                public void ungetService(Bundle b, ServiceRegistration<Counter> r, Counter s) {
                }
            }, provider(101)));
            awaitError(errors, "gave no service object");
            bad.add(context.registerService(Counter.class, new Protocol5Counter(), provider(102)));
            awaitError(errors, "no common state transfer protocol");
            String probe = context.getBundle().getSymbolicName();
            for (String fault : List.of("does not implement", "gave no service object", "no common state transfer protocol")) {
                assertThat(errors).filteredOn(e -> e.getMessage().contains(fault)).first().extracting(LogEntry::getMessage)
                        .asString().as("the error names the component and the bundle").contains("component 'sample.counter'")
                        .contains(probe);
            }
            assertThat(counter.version()).as("the running version keeps serving").isEqualTo("1");
            assertThat(counter.increment()).as("with its state").isEqualTo(before + 1);
        } finally {
            logReader.removeLogListener(listener);
            bad.forEach(ServiceRegistration::unregister);
        }
        assertThat(counter.increment()).isEqualTo(before + 2);
        client.uninstall();
        provider.uninstall();
    }

    @Test
    public void aProviderThatStopsInTheMiddleOfASwapLeavesTheComponentServingWithItsState() throws Exception {
        // latch-stepped: the old provider stops while it exports, the new one while it imports
        CountDownLatch exporting = new CountDownLatch(1);
        CountDownLatch finishExport = new CountDownLatch(1);
        CountDownLatch importing = new CountDownLatch(1);
        CountDownLatch finishImport = new CountDownLatch(1);
        SteppedCounter a = new SteppedCounter("a", exporting, finishExport, null, null);
        SteppedCounter b = new SteppedCounter("b", null, null, importing, finishImport);
        ServiceRegistration<Counter> ra = context.registerService(Counter.class, a, provider(200));
        Counter front = frontOf(Counter.COMPONENT);
        Await.until("a serving", () -> "a".equals(front.version()), front::version);
        long before = front.increment();
        ExecutorService steps = Executors.newFixedThreadPool(3);
        try {
            Future<ServiceRegistration<Counter>> rb = steps.submit(() -> context.registerService(Counter.class, b, provider(300)));
            assertThat(exporting.await(Await.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("a exporting").isTrue();
            Future<?> aStops = steps.submit(ra::unregister); // the old provider's bundle stops now
            Future<Long> held = steps.submit(front::increment);
            finishExport.countDown();
            assertThat(importing.await(Await.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("b importing").isTrue();
            finishImport.countDown();
            ServiceRegistration<Counter> registeredB = rb.get(Await.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            aStops.get(Await.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(held.get(Await.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("the held call, on b").isEqualTo(before + 1);
            assertThat(front.version()).isEqualTo("b");

            // now b stops while nobody else provides: parked, then a new provider takes the state
            registeredB.unregister();
            SteppedCounter c = new SteppedCounter("c", null, null, null, null);
            ServiceRegistration<Counter> rc = context.registerService(Counter.class, c, provider(100));
            assertThat(front.increment()).as("the state survived both stops").isEqualTo(before + 2);
            assertThat(front.version()).isEqualTo("c");
            rc.unregister();
        } finally {
            finishExport.countDown();
            finishImport.countDown();
            steps.shutdownNow();
            assertThat(steps.awaitTermination(Await.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("no step left running").isTrue();
        }
        assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getState() == Thread.State.WAITING
                || t.getState() == Thread.State.TIMED_WAITING).flatMap(t -> Arrays.stream(t.getStackTrace()))
                .anyMatch(f -> f.getClassName().equals("swap.internal.hotswap.Mediator"))).as("no thread held by a mediator").isFalse();
    }

    private Counter frontOf(String component) throws Exception {
        Await.until("the front of " + component, () -> {
            try {
                return !context.getServiceReferences(Counter.class, "(swap.component=" + component + ")").isEmpty();
            } catch (Exception e) {
                return false;
            }
        }, () -> "no front");
        return context.getService(context.getServiceReferences(Counter.class, "(swap.component=" + component + ")").iterator().next());
    }

    /** A counter whose export and import wait for the test (latch-stepped phases); its version() is its name. */
    public static final class SteppedCounter implements Counter, swap.transfer.Transferable {
        private final java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
        private final String name;
        private final CountDownLatch exporting;
        private final CountDownLatch finishExport;
        private final CountDownLatch importing;
        private final CountDownLatch finishImport;

        SteppedCounter(String name, CountDownLatch exporting, CountDownLatch finishExport, CountDownLatch importing,
                CountDownLatch finishImport) {
            this.name = name;
            this.exporting = exporting;
            this.finishExport = finishExport;
            this.importing = importing;
            this.finishImport = finishImport;
        }

        @Override
        public long increment() {
            return count.incrementAndGet();
        }

        @Override
        public long get() {
            return count.get();
        }

        @Override
        public String version() {
            return name;
        }

        @Override
        public long exportProtocols() {
            return 1L;
        }

        @Override
        public long importProtocols() {
            return 1L;
        }

        @Override
        public Object exportState(int protocol) throws InterruptedException {
            step(exporting, finishExport);
            return count.get();
        }

        @Override
        public void importState(int protocol, Object state) throws InterruptedException {
            step(importing, finishImport);
            count.set((Long) state);
        }

        private static void step(CountDownLatch reached, CountDownLatch proceed) throws InterruptedException {
            if (reached != null) {
                reached.countDown();
                if (!proceed.await(Await.TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            }
        }
    }

    private static Hashtable<String, Object> provider(int ranking) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("swap.component", Counter.COMPONENT);
        p.put(org.osgi.framework.Constants.SERVICE_RANKING, ranking);
        return p;
    }

    private static void awaitError(List<LogEntry> errors, String text) {
        Await.until("an error saying '" + text + "'", () -> errors.stream().anyMatch(e -> e.getMessage().contains(text)),
                () -> errors.stream().map(LogEntry::getMessage).collect(Collectors.joining(" | ")));
    }

    /** A counter that can only import protocol 5, which no sample exports. */
    public static final class Protocol5Counter implements Counter, swap.transfer.Transferable {
        @Override
        public long increment() {
            return 0;
        }

        @Override
        public long get() {
            return 0;
        }

        @Override
        public String version() {
            return "protocol-5";
        }

        @Override
        public long exportProtocols() {
            return 1L << 5;
        }

        @Override
        public long importProtocols() {
            return 1L << 5;
        }

        @Override
        public Object exportState(int protocol) {
            return null;
        }

        @Override
        public void importState(int protocol, Object state) {
        }
    }

    @Test
    public void stoppingTheSwapFrameworkWhileACallIsHeldFailsTheCallAndLeavesNoThreadParked() throws Exception {
        Bundle framework = Arrays.stream(context.getBundles()).filter(b -> "swap.framework".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        Bundle provider = install("counter-v1.jar");
        Bundle client = install("counter-client.jar");
        CounterClient counter = service(CounterClient.class);
        counter.increment();
        provider.stop(); // parked: calls are held
        ExecutorService caller = Executors.newSingleThreadExecutor(r -> new Thread(r, "held-caller"));
        try {
            Future<Long> held = caller.submit(counter::increment);
            Await.until("the call held", () -> threadParkedIn("held-caller", "swap.internal.hotswap.Mediator"),
                    () -> "not held yet");
            framework.stop();
            assertThatThrownBy(() -> held.get(Await.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("the held call ends, with an error")
                    .hasCauseInstanceOf(IllegalStateException.class).cause().hasMessageContaining("removed");
            assertThat(threadParkedIn("held-caller", "swap.internal")).as("no thread left in the framework").isFalse();
        } finally {
            caller.shutdownNow();
            framework.start();
        }
        // a fresh table: the provider registers again and serves (the state went with the stopped framework)
        provider.start();
        Await.until("the client served again", () -> {
            try {
                return "1".equals(service(CounterClient.class).version());
            } catch (RuntimeException | InterruptedException e) {
                return false;
            }
        }, () -> "not served");
        client.uninstall();
        provider.uninstall();
    }

    private static boolean threadParkedIn(String name, String classPrefix) {
        return Thread.getAllStackTraces().entrySet().stream().filter(e -> e.getKey().getName().equals(name))
                .anyMatch(e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().startsWith(classPrefix)));
    }

    @Test
    public void aNewerVersionInstalledSideBySideTakesOverWithTheStateAndTheOldOneCanGo() throws Exception {
        Bundle v1 = install("counter-v1.jar");
        Bundle client = install("counter-client.jar");
        CounterClient counter = service(CounterClient.class);
        long before = counter.increment();
        assertThat(counter.version()).isEqualTo("1");

        // same symbolic name, newer version, another location: both are installed and active
        Bundle v2 = context.installBundle(Homes.samples().resolve("counter-v2.jar").toUri() + "#side-by-side",
                Files.newInputStream(Homes.samples().resolve("counter-v2.jar")));
        v2.start();
        assertThat(counter.version()).as("the newer version serves once it has started").isEqualTo("2");
        assertThat(counter.increment()).as("with the state").isEqualTo(before + 1);

        // an operator pins the older one, then lets go
        components.pin(Counter.COMPONENT, v1.getBundleId());
        assertThat(counter.version()).as("pinned").isEqualTo("1");
        assertThat(counter.increment()).isEqualTo(before + 2);
        assertThatIllegalArgumentException().isThrownBy(() -> components.pin(Counter.COMPONENT, client.getBundleId()))
                .withMessage("component 'sample.counter': bundle " + client.getBundleId() + " provides none");
        assertThatIllegalArgumentException().isThrownBy(() -> components.pin("no.such", v1.getBundleId()))
                .withMessage("no singleton swap component 'no.such'");
        assertThat(counter.version()).as("nothing changed").isEqualTo("1");
        components.unpin(Counter.COMPONENT);
        assertThat(counter.version()).as("unpinned: the newest serves").isEqualTo("2");
        before += 1;

        v1.uninstall();
        assertThat(counter.version()).isEqualTo("2");
        assertThat(counter.increment()).isEqualTo(before + 2);
        assertThat(counter.deactivations()).as("client deactivations").isZero();
        client.uninstall();
        v2.uninstall();
    }

    @Test
    public void withNoProviderCallsFailAfterTheConfiguredHoldAndTheStateWaitsForTheNextOne() throws Exception {
        org.osgi.service.cm.Configuration config = configurationAdmin.getConfiguration("swap.framework", "?");
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("patch.hold.millis", "200");
        config.update(properties);
        try {
            Bundle provider = install("counter-v1.jar");
            Bundle client = install("counter-client.jar");
            CounterClient counter = service(CounterClient.class);
            awaitHoldMillis("200");
            long before = counter.increment();

            provider.stop();
            assertThatThrownBy(counter::increment).isInstanceOf(SwapException.class)
                    .hasMessageContaining("sample.counter").hasMessageContaining("unavailable").hasMessageContaining("held for 200 ms");
            provider.start();
            assertThat(counter.increment()).as("the state waited for the provider").isEqualTo(before + 1);
            assertThat(counter.deactivations()).as("client deactivations").isZero();
            client.uninstall();
            provider.uninstall();
        } finally {
            config.delete();
        }
    }

    @Test
    public void aStandInServesWhileTheProviderIsAwayAndHandsTheStateToTheNextOne() throws Exception {
        // providers opt in through Configuration Admin: Declarative Services adds a component's
        // configuration to its service properties (configurations made before the bundles come)
        List<org.osgi.service.cm.Configuration> configs = new ArrayList<>();
        for (String pid : List.of("swap.sample.counter.v1.CounterV1", "swap.sample.counter.v2.CounterV2")) {
            org.osgi.service.cm.Configuration c = configurationAdmin.getConfiguration(pid, "?");
            Hashtable<String, Object> standIn = new Hashtable<>();
            standIn.put(SwapComponents.STANDIN, "true");
            c.update(standIn);
            configs.add(c);
        }
        org.osgi.service.cm.Configuration framework = configurationAdmin.getConfiguration("swap.framework", "?");
        try {
            Bundle provider = install("counter-v1.jar");
            Bundle client = install("counter-client.jar");
            CounterClient counter = service(CounterClient.class);
            long before = counter.increment();
            int historyBefore = table.history().size();

            // updates under load: each one is served by a stand-in until the new version registers
            Load load = new Load(counter, CALLERS);
            try {
                for (int u = 1; u <= 20; u++) {
                    String version = u % 2 == 1 ? "2" : "1";
                    try (InputStream in = Files.newInputStream(Homes.samples().resolve("counter-v" + version + ".jar"))) {
                        provider.update(in);
                    }
                    Await.until("version " + version + " serving", () -> version.equals(counter.version()), counter::version);
                }
            } finally {
                load.stop();
            }
            assertThat(load.failures).as("failed calls").isEmpty();
            assertThat(counter.increment()).as("the state, exactly").isEqualTo(before + load.successes + 1);
            List<SwapResult> patches = table.history().subList(historyBefore, table.history().size()).stream()
                    .filter(r -> r.entryId.equals(Counter.COMPONENT)).collect(Collectors.toList());
            assertThat(patches).allMatch(r -> r.outcome == SwapOutcome.COMMITTED, "every patch committed");
            assertThat(patches).filteredOn(r -> r.reason.contains("unregistering; a stand-in serves")).hasSize(20);
            assertThat(patches).filteredOn(r -> r.reason.contains("registered")).hasSizeGreaterThanOrEqualTo(20);
            assertThat(counter.deactivations()).as("client deactivations").isZero();

            // the provider stopped: the stand-in serves at once, with the state, until the hold bound
            Hashtable<String, Object> hold = new Hashtable<>();
            hold.put("patch.hold.millis", "300");
            framework.update(hold);
            awaitHoldMillis("300");
            long beforeStop = counter.increment();
            provider.stop();
            assertThat(counter.increment()).as("served by the stand-in, with the state").isEqualTo(beforeStop + 1);
            // then the component is parked: calls are held for the bound and fail, the state is kept
            java.util.concurrent.atomic.AtomicLong servedByStandIn = new java.util.concurrent.atomic.AtomicLong();
            Await.until("the stand-in stopped serving", () -> {
                try {
                    counter.increment();
                    servedByStandIn.incrementAndGet();
                    return false;
                } catch (SwapException e) {
                    return e.getMessage().contains("unavailable") && e.getMessage().contains("stand-in stopped serving");
                }
            }, () -> "still served");
            provider.start();
            assertThat(counter.increment()).as("the stand-in's state moved on to the provider")
                    .isEqualTo(beforeStop + 1 + servedByStandIn.get() + 1);
            client.uninstall();
            provider.uninstall();
        } finally {
            framework.delete();
            for (org.osgi.service.cm.Configuration c : configs) {
                c.delete();
            }
        }
    }

    @Test
    public void afterUpdatesAndARefreshNothingHoldsTheOldRevisionsClassLoaders() throws Exception {
        Bundle provider = install("counter-v1.jar");
        Bundle client = install("counter-client.jar");
        CounterClient counter = service(CounterClient.class);
        long before = counter.increment();
        List<WeakReference<ClassLoader>> old = new ArrayList<>();
        int updates = 6;
        for (int u = 1; u <= updates; u++) {
            old.add(new WeakReference<>(provider.adapt(BundleWiring.class).getClassLoader()));
            String version = u % 2 == 1 ? "2" : "1";
            try (InputStream in = Files.newInputStream(Homes.samples().resolve("counter-v" + version + ".jar"))) {
                provider.update(in);
            }
            Await.until("version " + version + " serving", () -> version.equals(counter.version()), counter::version);
        }
        old.add(new WeakReference<>(provider.adapt(BundleWiring.class).getClassLoader())); // the refresh replaces this one too
        CountDownLatch refreshed = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(provider), e -> refreshed.countDown());
        assertThat(refreshed.await(Await.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("refresh done").isTrue();
        Await.until("version 1 serving after the refresh", () -> "1".equals(counter.version()), counter::version);
        assertThat(counter.increment()).isEqualTo(before + 1);

        Await.until("the old revisions' class loaders collected", () -> {
            System.gc();
            return old.stream().allMatch(r -> r.get() == null);
        }, () -> old.stream().filter(r -> r.get() != null).count() + " of " + old.size() + " old class loaders still reachable");
        client.uninstall();
        provider.uninstall();
    }

    /** Waits until the framework's component runs with {@code patch.hold.millis} from Configuration Admin. */
    private void awaitHoldMillis(String millis) {
        Await.until("patch.hold.millis=" + millis + " applied to the framework's component", () -> scr.getComponentDescriptionDTOs()
                .stream().filter(d -> d.name.equals("swap.internal.osgi.TableComponent"))
                .flatMap(d -> scr.getComponentConfigurationDTOs(d).stream())
                .anyMatch(c -> millis.equals(String.valueOf(c.properties.get("patch.hold.millis")))), () -> "not applied");
    }

    private Bundle install(String jar) throws Exception {
        Bundle b = context.installBundle(Homes.samples().resolve(jar).toUri().toString());
        b.start();
        return b;
    }

    private <T> T service(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        try {
            T service = tracker.waitForService(Await.TIMEOUT.toMillis());
            assertThat(service).as(type.getSimpleName() + " service").isNotNull();
            return service;
        } finally {
            tracker.close();
        }
    }
}
