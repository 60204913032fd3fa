package swap.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import swap.fcm.FileCacheManager;
import swap.fcm.FileCaches;
import swap.fcm.FramePool;
import swap.hotswap.SwapOptions;
import swap.hotswap.SwapOutcome;
import swap.osgi.SwapComponents;
import swap.ott.Entry;
import swap.policy.SwapPolicy;

/**
 * The FCM bundles in the container: a cached file opened through the facade, served by the
 * shared FCM's factory service, swapped live, its frames drawn from the pool service whose budget
 * comes from Configuration Admin.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FcmIT {

    @Inject
    private BundleContext context;

    @Inject
    private SwapComponents components;

    @Inject
    private FramePool pool;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Configuration
    public Option[] config() throws Exception {
        return ContainerOptions.container("fcm");
    }

    @Before
    public void awaitStartLevel() {
        Await.startLevel(context);
    }

    @Test
    public void aCachedFileIsServedSwappedLiveAndFlushedToDisk() throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("swap.itest.work", "target")), "fcm");
        Path file = Files.write(dir.resolve("data.bin"), new byte[3 * FileCacheManager.PAGE_SIZE]);
        int inUseBefore = pool.inUse();
        // no filter: the best factory, which is K42's default, the shared FCM (it ranks above the others)
        Entry<FileCacheManager> entry = FileCaches.open(components, file, FileCacheManager.Mode.READ_WRITE, null);
        assertThat(entry.snapshot().implementation).endsWith(".SharedFcm");
        FileCacheManager fcm = entry.stub();
        byte[] before = "written before the swap".getBytes(StandardCharsets.US_ASCII);
        fcm.write(FileCacheManager.PAGE_SIZE - 5, before, 0, before.length); // across a page boundary
        assertThat(fcm.statistics().dirtyPages).isEqualTo(2);

        assertThat(components.swap(entry, "(fcm.optimized.for=exclusive)", SwapOptions.defaults(), "test").outcome)
                .isEqualTo(SwapOutcome.COMMITTED);

        byte[] read = new byte[before.length];
        assertThat(fcm.read(FileCacheManager.PAGE_SIZE - 5, read, 0, read.length)).isEqualTo(read.length);
        assertThat(read).as("the new instance serves the old one's pages").isEqualTo(before);
        assertThat(fcm.statistics().dirtyPages).as("dirty pages moved, not written behind the swap").isEqualTo(2);
        fcm.flush();
        byte[] onDisk = Files.readAllBytes(file);
        byte[] slice = new byte[before.length];
        System.arraycopy(onDisk, FileCacheManager.PAGE_SIZE - 5, slice, 0, slice.length);
        assertThat(slice).as("on disk after a flush after the swap").isEqualTo(before);
        assertThat(pool.inUse()).as("frames held by the cache").isEqualTo(inUseBefore + fcm.statistics().framesHeld);

        fcm.close();
        entry.remove();
        assertThat(pool.inUse()).as("every frame back in the pool").isEqualTo(inUseBefore);
    }

    @Test
    public void theConfigurationsAreDescribedByMetatype() {
        assertThat(attributes(bundle("swap.framework"), "swap.framework")).contains("patch.hold.millis", "patch.timeout.millis");
        assertThat(attributes(bundle("swap.fcm.api"), FramePool.PID)).containsExactly(FramePool.BUDGET, FramePool.DIRECT_IO,
                FramePool.RECLAIM_TIMEOUT, FramePool.FREE_FRAMES);
        assertThat(attributes(bundle("swap.fcm.policy"), "swap.fcm.policy.sequential"))
                .containsExactlyInAnyOrder("enabled", "sequential.pages", "random.pages", "min.file.pages", "stream.filter",
                        "default.filter");
        assertThat(attributes(bundle("swap.fcm.policy"), "swap.fcm.policy.contention")).containsExactlyInAnyOrder("enabled",
                "threads", "contended.calls", "period.millis", "quiet.millis", "min.processors", "concurrent.filter", "default.filter");
    }

    @Test
    public void thePoliciesMoveACachedFileAsItsAccessChangesAndSayWhyInTheHistory() throws Exception {
        SwapPolicy sequential = policy("fcm.sequential");
        assertThat(sequential.isEnabled()).as("on by default").isTrue();
        assertThat(policy("fcm.contention").isEnabled()).as("on by default").isTrue();
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("swap.itest.work", "target")), "fcm");
        Path file = Files.write(dir.resolve("stream.bin"), new byte[64 * FileCacheManager.PAGE_SIZE]); // min.file.pages 64
        Entry<FileCacheManager> entry = FileCaches.open(components, file, FileCacheManager.Mode.READ_WRITE, "(swap.impl=shared)");
        try {
            // the policy thread attaches its monitor within milliseconds of the cache's creation
            Await.until("the sequential monitor on the cache", () -> sequential.watching().contains(entry.id()), () -> "" + sequential.watching());
            assertThat(entry.snapshot().wrappers).contains("policy fcm.sequential");
            if (Runtime.getRuntime().availableProcessors() < 4) {
                assertThat(entry.snapshot().wrappers).as("idle below min.processors 4").doesNotContain("policy fcm.contention");
            }
            byte[] page = new byte[FileCacheManager.PAGE_SIZE];
            for (int p = 0; p < 21; p++) {
                entry.stub().read((long) p * page.length, page, 0, page.length);
            }
            Await.until("the move to the streaming FCM", () -> "sequential".equals(characteristic(entry)), () -> "" + entry.history());
            assertThat(entry.history()).extracting(r -> r.reason)
                    .containsExactly("policy fcm.sequential: 21 sequential pages (more than 20)");
            assertThat(entry.snapshot().implementation).isEqualTo("swap.fcm.mru.internal.MruFcm");

            sequential.setEnabled(false);
            assertThat(entry.snapshot().wrappers).doesNotContain("policy fcm.sequential");
            for (int p : new int[] {60, 3, 40, 12, 55, 7, 30, 1, 50, 20, 44, 9}) {
                entry.stub().read((long) p * page.length, page, 0, page.length);
            }
            assertThat(characteristic(entry)).as("no move while the policy is off").isEqualTo("sequential");

            // Configuration Admin: on again, back to the default after more than 3 pages out of order
            org.osgi.service.cm.Configuration config = configurationAdmin.getConfiguration("swap.fcm.policy.sequential", "?");
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put("enabled", true);
            properties.put("random.pages", 3);
            config.update(properties);
            try {
                Await.until("the policy on with the new threshold, watching the cache", () -> sequential.isEnabled()
                        && sequential.description().contains("more than 3 non-sequential") && sequential.watching().contains(entry.id()),
                        sequential::description);
                for (int p : new int[] {60, 3, 40, 12}) {
                    entry.stub().read((long) p * page.length, page, 0, page.length);
                }
                Await.until("the move back to the default FCM", () -> "exclusive".equals(characteristic(entry)), () -> "" + entry.history());
                assertThat(entry.history().get(entry.history().size() - 1).reason)
                        .isEqualTo("policy fcm.sequential: 4 non-sequential pages (more than 3)");
            } finally {
                config.delete();
            }
        } finally {
            entry.stub().close();
            entry.remove();
        }
    }

    private String characteristic(Entry<?> entry) {
        return String.valueOf(components.properties(entry).get("fcm.optimized.for"));
    }

    private SwapPolicy policy(String name) throws Exception {
        java.util.Collection<org.osgi.framework.ServiceReference<SwapPolicy>> refs =
                context.getServiceReferences(SwapPolicy.class, "(swap.policy.name=" + name + ")");
        assertThat(refs).as("the policy service %s", name).hasSize(1);
        return context.getService(refs.iterator().next());
    }

    private org.osgi.framework.Bundle bundle(String symbolicName) {
        return java.util.Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst()
                .orElseThrow();
    }

    private java.util.List<String> attributes(org.osgi.framework.Bundle bundle, String pid) {
        org.osgi.util.tracker.ServiceTracker<org.osgi.service.metatype.MetaTypeService, org.osgi.service.metatype.MetaTypeService> t =
                new org.osgi.util.tracker.ServiceTracker<>(context, org.osgi.service.metatype.MetaTypeService.class, null);
        t.open();
        try {
            org.osgi.service.metatype.MetaTypeService metatype = t.waitForService(Await.TIMEOUT.toMillis());
            assertThat(metatype).as("the MetaType service").isNotNull();
            org.osgi.service.metatype.ObjectClassDefinition ocd = metatype.getMetaTypeInformation(bundle).getObjectClassDefinition(pid, null);
            return java.util.Arrays.stream(ocd.getAttributeDefinitions(org.osgi.service.metatype.ObjectClassDefinition.ALL))
                    .map(org.osgi.service.metatype.AttributeDefinition::getID).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            t.close();
        }
    }

    @Test
    public void thePoolBudgetAndReserveComeFromConfigurationAdmin() throws Exception {
        assertThat(pool.freeTarget()).as("1/32 of the default budget").isEqualTo(FramePool.DEFAULT_BUDGET / FramePool.AUTO_FREE_DIVISOR);
        org.osgi.service.cm.Configuration config = configurationAdmin.getConfiguration(FramePool.PID, "?");
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(FramePool.BUDGET, 64);
        properties.put(FramePool.FREE_FRAMES, 16);
        config.update(properties);
        try {
            Await.until("budget 64, 16 frames kept free", () -> pool.budget() == 64 && pool.freeTarget() == 16,
                    () -> "budget " + pool.budget() + ", free target " + pool.freeTarget());
        } finally {
            config.delete();
        }
        Await.until("the defaults back", () -> pool.budget() == FramePool.DEFAULT_BUDGET
                && pool.freeTarget() == FramePool.DEFAULT_BUDGET / FramePool.AUTO_FREE_DIVISOR,
                () -> "budget " + pool.budget() + ", free target " + pool.freeTarget());
    }

    /**
     * A file opened while another holds every frame of the pool gets frames: the pool asks the
     * other cache to trim through its entry's stub (a wrapper on the entry sees the call), and
     * that cache writes its dirty page back before it gives the frame.
     */
    @Test
    public void aFileOpenedWhenThePoolIsFullGetsFramesAnotherGivesBackThroughItsStub() throws Exception {
        org.osgi.service.cm.Configuration config = configurationAdmin.getConfiguration(FramePool.PID, "?");
        Hashtable<String, Object> properties = new Hashtable<>();
        int budget = pool.inUse() + 8;
        properties.put(FramePool.BUDGET, budget);
        properties.put(FramePool.FREE_FRAMES, 0); // the wait of a file with no frame: no reserve trims a ahead of it
        config.update(properties);
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("swap.itest.work", "target")), "fcm");
        int page = FileCacheManager.PAGE_SIZE;
        Path aFile = Files.write(dir.resolve("a.bin"), new byte[8 * page]);
        Path bFile = Files.write(dir.resolve("b.bin"), new byte[2 * page]);
        Entry<FileCacheManager> a = null;
        Entry<FileCacheManager> b = null;
        try {
            Await.until("budget " + budget, () -> pool.budget() == budget, () -> "budget " + pool.budget());
            a = FileCaches.open(components, aFile, FileCacheManager.Mode.READ_WRITE, "(swap.impl=shared)");
            swap.interpose.wrappers.CallCounter trims = new swap.interpose.wrappers.CallCounter();
            a.attach(trims, "trim");
            byte[] changed = "dirty, least recently used".getBytes(StandardCharsets.US_ASCII);
            a.stub().write(0, changed, 0, changed.length);
            byte[] buffer = new byte[7 * page];
            a.stub().read(page, buffer, 0, buffer.length);
            assertThat(pool.inUse()).as("a holds every frame").isEqualTo(budget);

            b = FileCaches.open(components, bFile, FileCacheManager.Mode.READ_ONLY, null);
            assertThat(b.stub().read(0, buffer, 0, 2 * page)).isEqualTo(2 * page);

            assertThat(trims.calls("trim")).as("trims through a's stub").isPositive();
            assertThat(a.stub().statistics().framesHeld).isLessThan(8);
            assertThat(pool.inUse()).isLessThanOrEqualTo(budget);
            byte[] onDisk = java.util.Arrays.copyOf(Files.readAllBytes(aFile), changed.length);
            assertThat(onDisk).as("a's dirty page on disk before its frame was given").isEqualTo(changed);
        } finally {
            for (Entry<FileCacheManager> e : java.util.Arrays.asList(a, b)) {
                if (e != null) {
                    e.stub().close();
                    e.remove();
                }
            }
            config.delete();
        }
        Await.until("the default budget back", () -> pool.budget() == FramePool.DEFAULT_BUDGET, () -> "budget " + pool.budget());
    }
}
