package swap.fcm.internal.pool;

import java.time.Duration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import swap.fcm.FramePool;

/**
 * The container's {@link FramePool} service. Its budget comes from Configuration Admin (PID
 * {@value FramePool#PID}, property {@value FramePool#BUDGET}, default
 * {@value FramePool#DEFAULT_BUDGET}); a changed configuration changes the budget in place, so the
 * file caches keep their frames and their pool. Property {@value FramePool#DIRECT_IO} (default
 * {@code false}) is read when the pool starts; {@value FramePool#RECLAIM_TIMEOUT} (default
 * {@value FramePool#DEFAULT_RECLAIM_TIMEOUT_MS}) and {@value FramePool#FREE_FRAMES} (default
 * {@value FramePool#AUTO_FREE_FRAMES}: 1/{@value FramePool#AUTO_FREE_DIVISOR} of the budget)
 * change in place. Deactivation ends the reclaim
 * thread.
 */
@Component(service = FramePool.class, configurationPid = FramePool.PID)
@Designate(ocd = FramePoolComponent.Config.class)
public class FramePoolComponent extends FramePoolImpl {

    private static final Logger LOG = LoggerFactory.getLogger(FramePoolComponent.class);

    /** The configuration: {@code budget_frames} is the property {@value FramePool#BUDGET}. */
    @ObjectClassDefinition(name = "swap FCM frame pool",
            description = "The page frames all File Cache Managers share.")
    public @interface Config {
        @AttributeDefinition(name = "Budget (frames)", min = "1",
                description = "How many 4 KiB page frames the file caches may hold together; lowering it takes effect as caches evict.")
        int budget_frames() default FramePool.DEFAULT_BUDGET;

        @AttributeDefinition(name = "Direct I/O",
                description = "Whether the file caches bypass the operating system's page cache (O_DIRECT), so that a miss reads the disk; read when the pool starts.")
        boolean direct_io() default false;

        @AttributeDefinition(name = "Reclaim timeout (ms)", min = "0",
                description = "How long a file cache with no frame waits for the pool to reclaim one from the other caches before its call fails.")
        long reclaim_timeout_ms() default FramePool.DEFAULT_RECLAIM_TIMEOUT_MS;

        @AttributeDefinition(name = "Free frames", min = "-1",
                description = "How many frames the pool keeps free by asking the file caches for their least recently used pages, "
                        + "in proportion to what each holds, before any cache runs out: -1 for a 32nd of the budget, "
                        + "0 to reclaim only for a cache that has no frame at all. At most half the budget.")
        int free_frames() default FramePool.AUTO_FREE_FRAMES;
    }

    @Activate
    public FramePoolComponent(Config config) {
        super(config.budget_frames(), config.direct_io());
        applyInPlace(config);
        LOG.info("FCM frame pool: budget {} frames of {} bytes{}, reclaim timeout {} ms, {} frames kept free", budget(),
                swap.fcm.FileCacheManager.PAGE_SIZE, directIo() ? ", direct I/O" : "", reclaimTimeout().toMillis(), freeTarget());
    }

    @Modified
    void modified(Config config) {
        applyInPlace(config);
        setBudget(config.budget_frames());
        LOG.info("FCM frame pool: budget now {} frames ({} in use), reclaim timeout {} ms, {} frames kept free", budget(), inUse(),
                reclaimTimeout().toMillis(), freeTarget());
        if (config.direct_io() != directIo()) {
            LOG.warn("FCM frame pool: {} = {} takes effect when the pool starts again (open files keep how they were opened)",
                    FramePool.DIRECT_IO, config.direct_io());
        }
    }

    /** The settings that change in place, but the budget (which the constructor takes). */
    private void applyInPlace(Config config) {
        setReclaimTimeout(Duration.ofMillis(config.reclaim_timeout_ms()));
        setFreeFrames(config.free_frames());
    }

    @Deactivate
    void deactivate() {
        close();
        if (inUse() != 0 || openAccounts() != 0) {
            LOG.warn("FCM frame pool stops with {} frames in use by {} open accounts", inUse(), openAccounts());
        }
    }
}
