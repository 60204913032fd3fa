package swap.interpose.wrappers;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import swap.interpose.Call;
import swap.interpose.Wrapper;

/** Counts calls and failed calls, in total and per method name. */
public final class CallCounter implements Wrapper {

    private final LongAdder calls = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> perMethod = new ConcurrentHashMap<>();

    @Override
    public Object preCall(Call call) {
        calls.increment();
        perMethod.computeIfAbsent(call.method().getName(), n -> new LongAdder()).increment();
        return null;
    }

    @Override
    public void postCall(Call call, Object token) {
        if (call.threw()) {
            failures.increment();
        }
    }

    /** Calls so far. */
    public long calls() {
        return calls.sum();
    }

    /** Calls that ended with an exception so far. */
    public long failures() {
        return failures.sum();
    }

    /** Calls so far of the methods with this name. */
    public long calls(String method) {
        LongAdder adder = perMethod.get(method);
        return adder == null ? 0 : adder.sum();
    }

    /** Calls so far per method name, sorted by name. */
    public Map<String, Long> perMethod() {
        Map<String, Long> out = new TreeMap<>();
        perMethod.forEach((name, adder) -> out.put(name, adder.sum()));
        return out;
    }

    @Override
    public String name() {
        return "counter";
    }
}
