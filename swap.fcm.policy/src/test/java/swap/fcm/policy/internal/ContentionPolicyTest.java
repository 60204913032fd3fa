package swap.fcm.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import swap.fcm.FcmProperties;
import swap.fcm.FileCacheManager;
import swap.hotswap.SwapResult;
import swap.ott.Entry;

class ContentionPolicyTest extends PolicyFixture {

    /** Quick settings: a check every 20 ms, quiet after 200 ms. */
    private ContentionPolicy policy() {
        return on(new ContentionPolicy(board, new ContentionPolicy.Settings(2, 16, 20, 200, 1,
                "(fcm.optimized.for=concurrent)", "(fcm.optimized.for=exclusive)")));
    }

    /** Threads reading random pages of {@code entry} (checking every byte) until stopped. */
    private static final class Readers implements AutoCloseable {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong reads = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<Thread> threads = new ArrayList<>();

        Readers(int n, Entry<FileCacheManager> entry, byte[] content, int pages) {
            for (int i = 0; i < n; i++) {
                Thread t = new Thread(() -> {
                    try {
                        while (!stop.get()) {
                            readPage(entry, content, ThreadLocalRandom.current().nextInt(pages));
                            reads.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "reader-" + i);
                threads.add(t);
                t.start();
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            for (Thread t : threads) {
                t.join(10_000);
                assertThat(t.isAlive()).as("%s stopped", t.getName()).isFalse();
            }
            assertThat(failure.get()).as("a reader failed").isNull();
        }
    }

    @Test
    void severalThreadsInsideMoveToReplicatedAndQuietMovesBack() throws Exception {
        ContentionPolicy policy = policy();
        Entry<FileCacheManager> entry = open("shared", 64);
        byte[] content = content("shared", 64);

        try (Readers readers = new Readers(3, entry, content, 64)) {
            await("the move to the replicated FCM", () -> FcmProperties.CONCURRENT.equals(characteristic(entry)),
                    () -> entry.history() + ", reads " + readers.reads);
            SwapResult toReplicated = entry.history().get(0);
            assertThat(toReplicated.committed()).isTrue();
            assertThat(toReplicated.reason).startsWith("policy fcm.contention: ").contains("or more threads inside (threshold 16)");
            long at = readers.reads.get();
            await("reads on the replicated FCM", () -> readers.reads.get() > at + 1000, readers.reads::get);
            assertThat(characteristic(entry)).as("stays while contended").isEqualTo(FcmProperties.CONCURRENT);
        }

        // one thread alone is no contention: back to the default after 200 ms
        try (Readers alone = new Readers(1, entry, content, 64)) {
            await("the move back to the shared FCM", () -> FcmProperties.EXCLUSIVE.equals(characteristic(entry)), entry::history);
        }
        SwapResult back = entry.history().get(entry.history().size() - 1);
        assertThat(back.reason).isEqualTo("policy fcm.contention: no contention for 200 ms");
        settle(policy);
        for (int page = 0; page < 64; page++) {
            readPage(entry, content, page);
        }
    }

    @Test
    void oneThreadNeverMovesTheInstance() throws Exception {
        ContentionPolicy policy = policy();
        Entry<FileCacheManager> entry = open("alone", 32);
        byte[] content = content("alone", 32);
        try (Readers reader = new Readers(1, entry, content, 32)) {
            long at = reader.reads.get();
            await("many reads", () -> reader.reads.get() > at + 20_000, reader.reads::get);
        }
        settle(policy);
        assertThat(entry.history()).isEmpty();
        assertThat(characteristic(entry)).isEqualTo(FcmProperties.EXCLUSIVE);
    }

    @Test
    void onAMachineWithFewerProcessorsThanMinProcessorsItAttachesNothing() throws Exception {
        int processors = Runtime.getRuntime().availableProcessors();
        ContentionPolicy policy = on(new ContentionPolicy(board, new ContentionPolicy.Settings(2, 16, 20, 200, processors + 1,
                "(fcm.optimized.for=concurrent)", "(fcm.optimized.for=exclusive)")));
        Entry<FileCacheManager> entry = open("idle", 8);
        assertThat(policy.isEnabled()).isTrue();
        assertThat(policy.watching()).isEmpty();
        assertThat(entry.snapshot().wrappers).isEmpty();
        assertThat(policy.description()).startsWith("idle: " + processors + " processors, fewer than min.processors " + (processors + 1));

        policy.setSettings(new ContentionPolicy.Settings(2, 16, 20, 200, 1, "(fcm.optimized.for=concurrent)",
                "(fcm.optimized.for=exclusive)"));
        settle(policy);
        assertThat(policy.watching()).as("active now: the live instance is watched").containsExactly(entry.id());
        assertThat(entry.snapshot().wrappers).containsExactly("policy fcm.contention");
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> new ContentionPolicy.Settings(1, 16, 100, 1000, 1, "(a=b)", "(c=d)"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("policy setting threads must be at least 2, not 1");
        assertThatThrownBy(() -> new ContentionPolicy.Settings(2, 16, 0, 1000, 1, "(a=b)", "(c=d)"))
                .hasMessageContaining("period.millis");
        assertThatThrownBy(() -> new ContentionPolicy.Settings(2, 16, 100, 1000, 1, "(a=b)", "c=d)"))
                .hasMessage("policy setting default.filter: malformed filter c=d)");
    }
}
