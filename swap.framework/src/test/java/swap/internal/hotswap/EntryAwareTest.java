package swap.internal.hotswap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import swap.fixture.Counter;
import swap.fixture.CounterImpl;
import swap.hotswap.SwapException;
import swap.hotswap.SwapOptions;
import swap.hotswap.SwapOutcome;
import swap.hotswap.SwapResult;
import swap.hotswap.SwapTarget;
import swap.internal.ott.EntryImpl;
import swap.internal.ott.TableImpl;
import swap.ott.Entry;
import swap.ott.EntryAware;

/** {@link EntryAware}: an instance learns its entry before any call reaches it, on registration and on a swap. */
class EntryAwareTest {

    private static final SwapOptions QUICK = SwapOptions.defaults().withTimeout(Duration.ofMillis(200)).withTries(2)
            .withBackoff(Duration.ofMillis(1), Duration.ofMillis(5));

    private final TableImpl table = new TableImpl();

    @AfterEach
    void quiescent() {
        Invariants.assertQuiescent(table);
    }

    /** A counter that records, in order, the entries it was bound to and its imports; refuses when told to. */
    static final class Aware extends CounterImpl implements EntryAware {
        final List<Object> events = new CopyOnWriteArrayList<>();
        volatile boolean refuse;
        volatile Counter stub;

        @Override
        public void boundTo(Entry<?> entry) {
            events.add(entry);
            if (refuse) {
                throw new IllegalStateException("not this one");
            }
            stub = (Counter) entry.stub();
        }

        @Override
        public void importState(int protocol, Object state) throws Exception {
            events.add("import");
            super.importState(protocol, state);
        }

        @Override
        public long increment() {
            events.add("call");
            return super.increment();
        }
    }

    @Test
    void aRegisteredInstanceIsBoundBeforeRegisterReturns() {
        Aware a = new Aware();
        Entry<Counter> entry = table.register("aware", Counter.class, a);
        assertThat(a.events).containsExactly(entry);
        assertThat(a.stub).isSameAs(entry.stub());
        entry.stub().increment();
        assertThat(a.events).containsExactly(entry, "call");
    }

    @Test
    void anInstanceMadeByAFactoryIsBound() {
        table.registerFactory("aware-factory", Counter.class, Aware::new);
        Entry<Counter> entry = table.create("made", Counter.class, "aware-factory");
        Aware made = (Aware) table.entry("made").orElseThrow().instance();
        assertThat(made.events).containsExactly(entry);
    }

    @Test
    void anInstanceThatRefusesIsNotRegistered() {
        Aware a = new Aware();
        a.refuse = true;
        assertThatIllegalArgumentException().isThrownBy(() -> table.register("refusing", Counter.class, a))
                .withMessageContaining("entry refusing").withMessageContaining("boundTo threw").withMessageContaining("not this one");
        assertThat(table.lookup("refusing")).isEmpty();
        a.refuse = false;
        assertThat(table.register("refusing", Counter.class, a).stub().increment()).as("the id is free again").isEqualTo(1);
    }

    @Test
    void aReplacementIsBoundBeforeItsImportAndServesAfterTheCommit() {
        Entry<Counter> entry = table.register("swapped", Counter.class, new CounterImpl());
        entry.stub().increment();
        Aware next = new Aware();
        SwapResult result = entry.swap(SwapTarget.instance(next), QUICK, "test");
        assertThat(result.outcome).isEqualTo(SwapOutcome.COMMITTED);
        assertThat(next.events).containsExactly(entry, "import");
        assertThat(next.stub).isSameAs(entry.stub());
        assertThat(entry.stub().increment()).isEqualTo(2);
    }

    @Test
    void aReplacementResumingAParkedEntryIsBoundBeforeItsImportOrRefusedAndTheEntryStaysParked() {
        EntryImpl<Counter> entry = (EntryImpl<Counter>) table.register("parked", Counter.class, new CounterImpl());
        entry.stub().increment();
        Swapper.Parked parked = entry.park(QUICK.withMaxHold(Duration.ofSeconds(10)), "update", "provider gone");
        Aware refusing = new Aware();
        refusing.refuse = true;
        assertThatThrownBy(() -> parked.resume(refusing)).isInstanceOf(SwapException.class).hasMessageContaining("stays parked")
                .hasMessageContaining("boundTo");
        assertThat(refusing.events).containsExactly(entry);
        assertThat(parked.isWaiting()).isTrue();

        Aware next = new Aware();
        assertThat(parked.resume(next).outcome).isEqualTo(SwapOutcome.COMMITTED);
        assertThat(next.events).containsExactly(entry, "import");
        assertThat(entry.stub().increment()).as("the state came through").isEqualTo(2);
    }

    @Test
    void aReplacementThatRefusesFailsTheSwapInItsCreationAndChangesNothing() {
        CounterImpl old = new CounterImpl();
        Entry<Counter> entry = table.register("kept", Counter.class, old);
        entry.stub().increment();
        Aware next = new Aware();
        next.refuse = true;
        assertThatThrownBy(() -> entry.swap(SwapTarget.instance(next), QUICK, "test")).isInstanceOf(SwapException.class)
                .hasMessageContaining("phase CREATE").hasMessageContaining("boundTo");
        assertThat(next.events).as("bound once per try, never imported or called").containsExactly(entry, entry);
        assertThat(table.entry("kept").orElseThrow().instance()).isSameAs(old);
        assertThat(entry.stub().increment()).isEqualTo(2);
    }
}
