package swap.fcm.policy.internal;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.framework.Filter;
import swap.fcm.FileCacheManager;
import swap.interpose.Call;
import swap.ott.Entry;

/**
 * K42's sequential detector: a monitor on each FCM's reads and writes counts the pages requested
 * in order (each request starting on the page where the previous one ended, or the next) and out
 * of order (the first page of a request that starts anywhere else; the request's further pages
 * follow it in order, so one large read from the start of a file is one jump, then a run). More
 * than {@link Settings#sequentialPages} pages in order move an instance that is not on a streaming
 * implementation to one ({@link Settings#stream}, the MRU FCM); more than
 * {@link Settings#randomPages} out of order move an instance on a streaming implementation back to
 * the default ({@link Settings#fallback}). A run of one kind resets the count of the other.
 *
 * <p>Beyond the papers: a file smaller than {@link Settings#minFilePages} pages is never moved to
 * the streaming implementation. Such a file fits the cache whole, and is typically read whole
 * again and again (SDET's scripts): every whole read looks like a stream, but dropping its pages
 * behind the reader only turns the next read's hits into misses (measured by
 * {@code swap.bench.FcmWorkloads}).
 *
 * <p>A file smaller than {@link Settings#minFilePages} pages, on an instance not on the streaming
 * implementation, could never move: it gets no monitor when the policy thread first looks at it
 * (a cache not yet open is looked at again, every {@value #FRESH_MILLIS} ms), and a monitor attached earlier (a file moved back from the
 * streaming implementation, a higher {@code min.file.pages}) asks to rest once it has recorded
 * {@value #REST_AFTER_CALLS} calls. The policy attaches one when the file has grown to that size
 * (checked every {@value #WAKE_MILLIS} ms). With a monitor on every
 * file, the interposer that runs it cost SDET with one script about 1 % of its throughput and
 * Postmark on tmpfs 4-8 % ({@code swap.bench.FcmWorkloads}), every one of their files being that
 * small; detaching each monitor after its first call instead cost Postmark 17 %.
 *
 * <p>The monitor adds one compare-and-set to each read and write (per instance) and never blocks:
 * while one thread records a request, a request of another thread to the same instance is not
 * counted (two threads reading one file at once are not one sequential stream, and a lock here
 * would make every caller of a shared file wait for the others). It has no post-call hook.
 */
public class SequentialPolicy extends AdaptivePolicy<SequentialPolicy.Monitor> {

    /** The policy's name. */
    static final String NAME = "fcm.sequential";

    /** The calls a monitor records before it asks whether to rest. */
    static final int REST_AFTER_CALLS = 64;

    /** The thresholds and targets, checked. */
    public record Settings(int sequentialPages, int randomPages, int minFilePages, Filter stream, Filter fallback) {
        public Settings(int sequentialPages, int randomPages, int minFilePages, String stream, String fallback) {
            this(atLeast("sequential.pages", sequentialPages, 1), atLeast("random.pages", randomPages, 1),
                    atLeast("min.file.pages", minFilePages, 0), filter("stream.filter", stream), filter("default.filter", fallback));
        }

        public static Settings defaults() {
            return new Settings(20, 10, 64, "(fcm.optimized.for=sequential)", "(fcm.optimized.for=exclusive)");
        }
    }

    private volatile Settings settings;

    public SequentialPolicy(Switchboard board, Settings settings) {
        super(board, NAME, "read", "write");
        this.settings = settings;
    }

    public void setSettings(Settings settings) {
        this.settings = settings;
        monitors().forEach(m -> m.seen(m.properties)); // the stream filter or min.file.pages may have changed: each asks again
    }

    @Override
    public String description() {
        Settings s = settings;
        return "FCM reads and writes: more than " + s.sequentialPages() + " sequential pages of a file of "
                + s.minFilePages() + " pages or more -> " + s.stream()
                + ", more than " + s.randomPages() + " non-sequential pages -> " + s.fallback()
                + "; unwatched (too small to stream): " + resting().size();
    }

    @Override
    Boolean worthWatching(Entry<FileCacheManager> entry) {
        Settings s = settings;
        if (s.stream().matches(board.properties(entry))) {
            return Boolean.TRUE; // watched so that it can move back
        }
        try {
            return entry.stub().size() / FileCacheManager.PAGE_SIZE >= s.minFilePages();
        } catch (RuntimeException e) {
            return null; // not open yet (or closed, or removed): not known
        }
    }

    @Override
    boolean worthMoving(Monitor m, Filter to) {
        Settings s = settings;
        if (to != s.stream()) {
            return true;
        }
        // the file as large as it is now, or as far as the stream reached (a write that grows it may still be running)
        long pages = Math.max(m.entry.stub().size() / FileCacheManager.PAGE_SIZE, m.reached() + 1);
        if (pages >= s.minFilePages()) {
            return true;
        }
        m.smallBelow = pages; // no new request until a stream goes past what the file has now
        return false;
    }

    @Override
    Monitor monitor(Entry<FileCacheManager> entry, Map<String, Object> properties) {
        return new Monitor(entry, properties);
    }

    final class Monitor extends AdaptivePolicy.Monitor {
        /** Held (set) by the one thread recording a request; the fields below are written under it. */
        private final AtomicBoolean recording = new AtomicBoolean();
        private long lastPage = -1; // a first request at page 0 continues it
        /** {@link #lastPage} for the policy thread (a release store per request: no fence on the caller's path). */
        private final AtomicLong reached = new AtomicLong(-1);
        private long sequential;
        private long random;
        private long calls;

        /** Whether the instance is on the streaming implementation: derived once per change, not per call. */
        private volatile boolean streaming;
        /**
         * The size in pages of the file when the policy thread last found it too small to stream
         * (0: never): a sequential run that stays below it asks for no swap. Without it, a small
         * file read whole again and again (SDET) asked the policy thread every 21 pages, and each
         * of those wake-ups cost the callers more than the monitor itself.
         */
        private volatile long smallBelow;

        Monitor(Entry<FileCacheManager> entry, Map<String, Object> properties) {
            super(entry, properties);
            seen(properties);
        }

        @Override
        void seen(Map<String, Object> now) {
            super.seen(now);
            streaming = settings.stream().matches(now);
            smallBelow = 0; // moved, or the settings changed: ask again
        }

        @Override
        public Object preCall(Call call) {
            long position = (Long) call.argument(0);
            int length = (Integer) call.argument(3);
            if (position < 0 || length <= 0 || position > Long.MAX_VALUE - length) {
                return null; // the FCM refuses it; nothing was requested
            }
            long first = position / FileCacheManager.PAGE_SIZE;
            long last = (position + length - 1) / FileCacheManager.PAGE_SIZE;
            Settings s = settings;
            Filter to = null;
            String why = null;
            boolean rest;
            if (!recording.compareAndSet(false, true)) {
                return null; // another thread is recording a request to this instance: this one is not counted
            }
            try {
                if (first == lastPage || first == lastPage + 1) {
                    sequential += last - first + 1;
                    random = 0;
                } else {
                    random++; // the jump: the request's first page; the pages after it follow it in order
                    sequential = last - first;
                }
                lastPage = last;
                if (!streaming && sequential > s.sequentialPages() && last >= smallBelow) {
                    why = sequential + " sequential pages (more than " + s.sequentialPages() + ")";
                    to = s.stream();
                    sequential = 0;
                } else if (streaming && random > s.randomPages()) {
                    why = random + " non-sequential pages (more than " + s.randomPages() + ")";
                    to = s.fallback();
                    random = 0;
                }
                reached.lazySet(last);
                rest = ++calls >= REST_AFTER_CALLS;
            } finally {
                recording.lazySet(false); // a release: what was recorded is visible to the next recorder
            }
            if (to != null) {
                request(this, to, why);
            } else if (rest) {
                askToRest(this);
            }
            return null;
        }

        /** The last page requested. */
        long reached() {
            return reached.get();
        }

        @Override
        public boolean hasPostCall() {
            return false;
        }

        @Override
        public String name() {
            return "policy " + NAME;
        }
    }
}
