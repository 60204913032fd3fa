package swap.internal.ott;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import swap.fixture.Shapes;
import swap.fixture.ShapesImpl;
import swap.interpose.Wrapper;
import swap.interpose.WrapperHandle;
import swap.ott.Entry;
import swap.ott.EntryDTO;
import swap.ott.Mode;

class TableTest {

    private final TableImpl table = new TableImpl();

    /** Not public: a stub cannot implement it from another package. */
    interface Hidden {
        void x();
    }

    @Test
    void registeringGivesAnEntryWithAStableIdAndOneStub() {
        Entry<Shapes> entry = table.register(Shapes.class, new ShapesImpl("a"));
        assertThat(entry.id()).isEqualTo("Shapes/1");
        assertThat(entry.type()).isEqualTo(Shapes.class);
        assertThat(entry.stub()).isSameAs(entry.stub()).isInstanceOf(Shapes.class).isNotInstanceOf(ShapesImpl.class);
        assertThat(table.register(Shapes.class, new ShapesImpl("b")).id()).isEqualTo("Shapes/2");
        assertThat(table.register("fcm/7", Shapes.class, new ShapesImpl("c")).id()).isEqualTo("fcm/7");
        assertThat(table.lookup("fcm/7")).isPresent();
        assertThat(table.lookup("Shapes/1", Shapes.class)).containsSame(entry);
        assertThat(table.list()).extracting(d -> d.id).containsExactly("Shapes/1", "Shapes/2", "fcm/7");
    }

    @Test
    void stubsOfOneInterfaceShareOneGeneratedClass() {
        Shapes a = table.register(Shapes.class, new ShapesImpl("a")).stub();
        Shapes b = new TableImpl().register(Shapes.class, new ShapesImpl("b")).stub();
        assertThat(a.getClass()).isSameAs(b.getClass());
        assertThat(a.getClass().getName()).startsWith("swap.internal.generated.");
    }

    @Test
    void aSnapshotDescribesTheEntry() {
        Entry<Shapes> entry = table.register("s", Shapes.class, new ShapesImpl("a"));
        entry.stub().add(1, 2);
        entry.stub().name();
        EntryDTO dto = entry.snapshot();
        assertThat(dto.id).isEqualTo("s");
        assertThat(dto.type).isEqualTo(Shapes.class.getName());
        assertThat(dto.implementation).isEqualTo(ShapesImpl.class.getName());
        assertThat(dto.bundle).as("unknown on a plain class path").isNull();
        assertThat(dto.mode).isEqualTo(Mode.DIRECT);
        assertThat(dto.calls).isEqualTo(2);
        assertThat(dto.wrappers).isEmpty();

        WrapperHandle handle = entry.attach(new Wrapper() {
            @Override
            public String name() {
                return "probe";
            }
        });
        assertThat(entry.snapshot().mode).isEqualTo(Mode.INTERPOSED);
        assertThat(entry.snapshot().wrappers).containsExactly("probe");
        handle.detach();
        assertThat(entry.snapshot().mode).isEqualTo(Mode.DIRECT);
    }

    @Test
    void theOriginOfAnImplementationComesFromTheResolver() {
        TableImpl withOrigins = new TableImpl(type -> new Origin("com.example.shapes", "1.2.3"));
        EntryDTO dto = withOrigins.register(Shapes.class, new ShapesImpl("a")).snapshot();
        assertThat(dto.bundle).isEqualTo("com.example.shapes");
        assertThat(dto.bundleVersion).isEqualTo("1.2.3");
    }

    @Test
    void aStubHasTheEntrysIdentityAndDescribesItself() {
        Entry<Shapes> entry = table.register("s", Shapes.class, new ShapesImpl("a"));
        Shapes stub = entry.stub();
        assertThat(stub).isEqualTo(entry.stub()).isNotEqualTo(new ShapesImpl("a"));
        assertThat(stub.equals(table.register(Shapes.class, new ShapesImpl("a")).stub())).isFalse();
        assertThat(stub.hashCode()).isEqualTo(System.identityHashCode(stub));
        assertThat(stub.toString()).isEqualTo("stub of s (swap.fixture.Shapes)");
        int before = entry.snapshot().calls == 0 ? 0 : -1;
        assertThat(before).as("equals, hashCode and toString do not call the instance").isZero();
    }

    @Test
    void removingMakesCallsFailAndTheEntryDisappear() {
        Entry<Shapes> entry = table.register("s", Shapes.class, new ShapesImpl("a"));
        Shapes stub = entry.stub();
        assertThat(table.remove("s")).isTrue();
        assertThat(table.remove("s")).isFalse();
        assertThat(entry.isRemoved()).isTrue();
        assertThat(table.lookup("s")).isEmpty();
        assertThat(entry.snapshot().mode).isEqualTo(Mode.REMOVED);
        assertThatIllegalStateException().isThrownBy(() -> stub.add(1, 1)).withMessage("entry s was removed");
        assertThat(stub.toString()).isEqualTo("stub of s (swap.fixture.Shapes)");
        entry.remove(); // idempotent
        assertThat(table.register("s", Shapes.class, new ShapesImpl("b")).stub().add(1, 1)).as("the id is free again").isEqualTo(2);
    }

    @Test
    void badRegistrationsNameTheFaultAndLeaveTheTableUnchanged() {
        table.register("taken", Shapes.class, new ShapesImpl("a"));
        @SuppressWarnings({"rawtypes", "unchecked"})
        Callable<?> wrongType = () -> table.register("x", (Class) Shapes.class, new Object());
        assertUnchangedAfter(wrongType,
                "entry x: java.lang.Object does not implement swap.fixture.Shapes");
        assertUnchangedAfter(() -> table.register("x", ShapesImpl.class, new ShapesImpl("a")),
                "entry x: swap.fixture.ShapesImpl is not an interface");
        assertUnchangedAfter(() -> table.register("x", Hidden.class, () -> { }),
                "entry x: swap.internal.ott.TableTest$Hidden is not public (a stub must implement it from another package)");
        assertUnchangedAfter(() -> table.register("taken", Shapes.class, new ShapesImpl("b")),
                "entry id taken is already registered (swap.fixture.Shapes)");
        assertUnchangedAfter(() -> table.register("has space", Shapes.class, new ShapesImpl("b")),
                "entry id 'has space' is malformed (empty, or with whitespace or control characters)");
        assertUnchangedAfter(() -> table.register("", Shapes.class, new ShapesImpl("b")),
                "entry id '' is malformed (empty, or with whitespace or control characters)");
        assertThatNullPointerException().isThrownBy(() -> table.register(Shapes.class, null)).withMessage("instance");
        assertThatNullPointerException().isThrownBy(() -> table.register(null, Shapes.class, new ShapesImpl("b"))).withMessage("id");
        assertThatNullPointerException().isThrownBy(() -> table.register(null, new ShapesImpl("b"))).withMessage("type");
        assertThat(table.list()).extracting(d -> d.id).containsExactly("taken");
        assertThatIllegalArgumentException().isThrownBy(() -> table.lookup("taken", Runnable.class))
                .withMessage("entry taken is a swap.fixture.Shapes, not a java.lang.Runnable");
    }

    @Test
    void attachingToARemovedEntryAndDetachingTwiceAreRefused() {
        Entry<Shapes> entry = table.register("s", Shapes.class, new ShapesImpl("a"));
        WrapperHandle handle = entry.attach(new Wrapper() { });
        handle.detach();
        assertThat(handle.isAttached()).isFalse();
        assertThatIllegalStateException().isThrownBy(handle::detach)
                .withMessageStartingWith("entry s: wrapper ").withMessageEndingWith(" was already detached");
        WrapperHandle second = entry.attach(new Wrapper() { });
        entry.remove();
        assertThatIllegalStateException().isThrownBy(() -> entry.attach(new Wrapper() { }))
                .withMessageStartingWith("entry s was removed; cannot attach");
        assertThatIllegalStateException().isThrownBy(second::detach).withMessageStartingWith("entry s was removed; cannot detach");
        assertThatIllegalArgumentException().isThrownBy(() -> table.register("t", Shapes.class, new ShapesImpl("b"))
                .attach(new Wrapper() { }, "add", "nosuch"))
                .withMessageStartingWith("entry t: swap.fixture.Shapes has no method nosuch (it has [");
        assertThat(table.lookup("t", Shapes.class).orElseThrow().snapshot().wrappers).as("nothing attached").isEmpty();
    }

    private void assertUnchangedAfter(Callable<?> registration, String message) {
        int before = table.list().size();
        assertThatIllegalArgumentException().isThrownBy(registration::call).withMessage(message);
        assertThat(table.list()).hasSize(before);
    }

}
