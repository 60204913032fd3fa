package swap.fcm.workload;

/** Parameter checks whose messages name the parameter and the value. */
final class Checks {

    /** The largest file size a parameter may ask for (sizes and offsets stay well inside an int where they must). */
    static final int MAX_SIZE = 1 << 30;
    /** The most threads a parameter may ask for. */
    static final int MAX_THREADS = 1024;

    private Checks() {
    }

    static void range(String parameter, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(parameter + " must be "
                    + (max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? ">= " + min : "in [" + min + ", " + max + "]")
                    + ", not " + value);
        }
    }

    static void sizes(String min, long minValue, String max, long maxValue) {
        range(min, minValue, 1, MAX_SIZE);
        range(max, maxValue, 1, MAX_SIZE);
        if (minValue > maxValue) {
            throw new IllegalArgumentException(min + " must be <= " + max + ", not " + min + "=" + minValue + " > " + max
                    + "=" + maxValue);
        }
    }
}
