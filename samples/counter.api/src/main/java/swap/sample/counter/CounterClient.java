package swap.sample.counter;

/** The sample client of the counter: a Declarative Services component that calls it. */
public interface CounterClient {

    /** Increments the counter it is bound to. */
    long increment();

    /** The version of the counter provider serving it now. */
    String version();

    /** How often the client component was activated (in this framework, since its bundle started). */
    int activations();

    /** How often the client component was deactivated. */
    int deactivations();
}
