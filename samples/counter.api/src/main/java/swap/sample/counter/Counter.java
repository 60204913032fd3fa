package swap.sample.counter;

/**
 * A counter: a swap component with state. Providers register it with
 * {@code swap.component=sample.counter}; clients bind to the front the framework registers.
 */
public interface Counter {

    /** The name the providers register under ({@code swap.component}). */
    String COMPONENT = "sample.counter";

    /** Adds one; returns the new count. The samples throw {@link IllegalStateException} if called after their deactivation. */
    long increment();

    /** The count. */
    long get();

    /** The version of the provider serving this call ("1", "2", ...). */
    String version();
}
