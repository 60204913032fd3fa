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
        Entry<FileCacheManager> entry = FileCaches.open(components, file, FileCacheManager.Mode.READ_WRITE, "(swap.impl=shared)");
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
        assertThat(attributes(bundle("swap.fcm.api"), FramePool.PID)).containsExactly(FramePool.BUDGET);
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
    public void thePoolBudgetComesFromConfigurationAdmin() throws Exception {
        org.osgi.service.cm.Configuration config = configurationAdmin.getConfiguration(FramePool.PID, "?");
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(FramePool.BUDGET, 64);
        config.update(properties);
        try {
            Await.until("budget 64", () -> pool.budget() == 64, () -> "budget " + pool.budget());
        } finally {
            config.delete();
        }
        Await.until("the default budget back", () -> pool.budget() == FramePool.DEFAULT_BUDGET, () -> "budget " + pool.budget());
    }
}
