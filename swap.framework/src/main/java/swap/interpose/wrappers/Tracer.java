package swap.interpose.wrappers;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import swap.interpose.Call;
import swap.interpose.Wrapper;

/**
 * Logs every call through SLF4J when it ends: entry, method, arguments, result or exception, and
 * duration. The logger is {@code swap.trace.<entry id>} (so one entry's trace can be switched on
 * or off in the logging configuration); the level is chosen at construction.
 */
public final class Tracer implements Wrapper {

    private static final int MAX_VALUE_LENGTH = 200;

    private final Level level;

    /** A tracer logging at INFO. */
    public Tracer() {
        this(Level.INFO);
    }

    public Tracer(Level level) {
        this.level = Objects.requireNonNull(level, "level");
    }

    @Override
    public Object preCall(Call call) {
        return System.nanoTime();
    }

    @Override
    public void postCall(Call call, Object token) {
        Logger log = LoggerFactory.getLogger("swap.trace." + call.entryId());
        if (log.isEnabledForLevel(level)) {
            log.atLevel(level).log(describe(call, TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - (Long) token)));
        }
    }

    /** The trace line of a call that took {@code micros}. */
    static String describe(Call call, long micros) {
        String args = call.arguments().stream().map(Tracer::render).map(Tracer::shorten)
                .collect(java.util.stream.Collectors.joining(", "));
        String head = call.entryId() + "." + call.method().getName() + "(" + args + ")";
        if (call.threw()) {
            return head + " threw " + call.thrown() + " in " + micros + " us";
        }
        String result = call.method().getReturnType() == void.class ? "void" : shorten(render(call.result()));
        return head + " -> " + result + " in " + micros + " us";
    }

    private static String render(Object value) {
        if (value == null) {
            return "null";
        }
        if (value.getClass().isArray()) {
            return value instanceof Object[] a ? Arrays.deepToString(a) : arrayToString(value);
        }
        return String.valueOf(value);
    }

    private static String arrayToString(Object array) {
        int n = java.lang.reflect.Array.getLength(array);
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < n && out.length() < MAX_VALUE_LENGTH; i++) {
            out.append(i == 0 ? "" : ", ").append(java.lang.reflect.Array.get(array, i));
        }
        return out.append(']').toString();
    }

    private static String shorten(String s) {
        return s.length() <= MAX_VALUE_LENGTH ? s : s.substring(0, MAX_VALUE_LENGTH) + "...";
    }

    @Override
    public String name() {
        return "tracer";
    }
}
