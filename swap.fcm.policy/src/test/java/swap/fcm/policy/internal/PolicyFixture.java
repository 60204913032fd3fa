package swap.fcm.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import swap.fcm.FcmProperties;
import swap.fcm.FileCacheManager;
import swap.fcm.FileCaches;
import swap.fcm.FramePool;
import swap.fcm.mru.internal.MruFcm;
import swap.fcm.replicated.internal.ReplicatedFcm;
import swap.fcm.shared.internal.SharedFcm;
import swap.internal.ott.TableImpl;
import swap.ott.Entry;

/** The three real FCMs behind a table switchboard, as the container's factories offer them, and files to cache. */
abstract class PolicyFixture {

    static final int PAGE = FileCacheManager.PAGE_SIZE;

    @TempDir
    Path dir;
    FramePool pool;
    TableImpl table;
    TableSwitchboard board;
    final List<Entry<FileCacheManager>> opened = new ArrayList<>();
    final List<AdaptivePolicy<?>> policies = new ArrayList<>();

    @BeforeEach
    void makeSwitchboard() {
        pool = FileCaches.newFramePool(512);
        table = new TableImpl();
        board = new TableSwitchboard(table, FcmProperties.COMPONENT);
        board.addFactory(Map.of("swap.impl", "shared", FcmProperties.OPTIMIZED_FOR, FcmProperties.EXCLUSIVE), () -> new SharedFcm(pool));
        board.addFactory(Map.of("swap.impl", "replicated", FcmProperties.OPTIMIZED_FOR, FcmProperties.CONCURRENT),
                () -> new ReplicatedFcm(pool));
        board.addFactory(Map.of("swap.impl", "mru", FcmProperties.OPTIMIZED_FOR, FcmProperties.SEQUENTIAL), () -> new MruFcm(pool));
    }

    @AfterEach
    void closeEverything() throws IOException {
        policies.forEach(AdaptivePolicy::close);
        for (Entry<FileCacheManager> e : opened) {
            e.stub().close();
            e.remove();
        }
        table.close();
        assertThat(pool.inUse()).as("frames in use after every cache closed").isZero();
    }

    <P extends AdaptivePolicy<?>> P on(P policy) {
        policies.add(policy);
        policy.setEnabled(true);
        return policy;
    }

    /** A file of {@code pages} pages of seeded bytes, cached by a new shared FCM; every policy has looked at it once open. */
    Entry<FileCacheManager> open(String name, int pages) throws Exception {
        return open(name, pages, false);
    }

    /** As {@link #open}, but every policy looks at the instance before it is open (its size not known yet). */
    Entry<FileCacheManager> openSeenBeforeOpen(String name, int pages) throws Exception {
        return open(name, pages, true);
    }

    private Entry<FileCacheManager> open(String name, int pages, boolean seenBeforeOpen) throws Exception {
        Path file = Files.write(dir.resolve(name), content(name, pages));
        Entry<FileCacheManager> entry = board.create(FileCacheManager.class, FcmProperties.optimizedFor(FcmProperties.EXCLUSIVE));
        if (seenBeforeOpen) {
            settleAll();
        }
        entry.stub().open(file, FileCacheManager.Mode.READ_WRITE);
        opened.add(entry);
        if (!seenBeforeOpen) {
            settleAll(); // the policy thread has looked at the new instance
        }
        return entry;
    }

    private void settleAll() throws Exception {
        for (AdaptivePolicy<?> p : policies) {
            settle(p);
        }
    }

    static byte[] content(String name, int pages) {
        byte[] b = new byte[pages * PAGE];
        new Random(name.hashCode()).nextBytes(b);
        return b;
    }

    /** Reads page {@code page} and checks it against the file's seeded content. */
    static void readPage(Entry<FileCacheManager> entry, byte[] content, long page) throws IOException {
        byte[] b = new byte[PAGE];
        assertThat(entry.stub().read(page * PAGE, b, 0, PAGE)).isEqualTo(PAGE);
        for (int i = 0; i < PAGE; i++) {
            if (b[i] != content[(int) (page * PAGE) + i]) {
                throw new AssertionError("page " + page + " byte " + i + " differs");
            }
        }
    }

    String characteristic(Entry<?> entry) {
        return String.valueOf(board.properties(entry).get(FcmProperties.OPTIMIZED_FOR));
    }

    /** Waits until the policy's thread has run everything queued so far and looked at every new instance (bounded). */
    static void settle(AdaptivePolicy<?> policy) throws Exception {
        policy.thread.submit(policy::takeFresh).get(10, TimeUnit.SECONDS);
        policy.thread.submit(() -> { }).get(10, TimeUnit.SECONDS);
    }

    static void await(String what, BooleanSupplier condition, Supplier<Object> state) {
        try {
            Awaitility.await(what).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5)).until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("timed out after 20 s waiting for " + what + "; state: " + state.get(), e);
        }
    }
}
