package swap.internal.stub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import swap.fixture.Shapes;
import swap.fixture.ShapesImpl;

/**
 * The behaviour of a {@link Shapes}: run against the instance itself, a stub, and a stub with
 * an empty wrapper (see the subclasses), it must be the same.
 */
abstract class ShapesContract {

    protected ShapesImpl impl;
    protected Shapes shapes;

    /** The subject under test, reaching {@code impl}. */
    protected abstract Shapes subject(ShapesImpl impl);

    @BeforeEach
    void setUp() {
        impl = new ShapesImpl("box");
        shapes = subject(impl);
    }

    @Test
    void overloadsReachTheirOwnImplementation() {
        assertThat(shapes.add(2, 3)).isEqualTo(5);
        assertThat(shapes.add(2L, 3L)).isEqualTo(1_000_000_000_005L);
        assertThat(shapes.add(2.0, 3.0)).isEqualTo(5.5);
        assertThat(shapes.add("a", "b")).isEqualTo("a+b");
    }

    @Test
    void everyPrimitiveTypePassesBothWays() {
        assertThat(shapes.nextByte((byte) 127)).isEqualTo((byte) -128);
        assertThat(shapes.upper('q')).isEqualTo('Q');
        assertThat(shapes.half((short) -9)).isEqualTo((short) -4);
        assertThat(shapes.third(1f)).isEqualTo(1f / 3);
        assertThat(shapes.not(false)).isTrue();
        assertThat(shapes.add(Integer.MAX_VALUE, 1)).isEqualTo(Integer.MIN_VALUE);
    }

    @Test
    void voidMethodsAndObjectsPassThrough() {
        Object value = new Object();
        shapes.store("k", value);
        assertThat(shapes.load("k")).isSameAs(value);
        assertThat(shapes.load("missing")).isNull();
        shapes.store("n", null);
        assertThat(shapes.load("n")).isNull();
    }

    @Test
    void arraysReturnAsTheyAre() {
        assertThat(shapes.range(3, 7)).containsExactly(3, 4, 5, 6);
        assertThat(shapes.range(1, 1)).isEmpty();
        assertThat(shapes.grid(2)).isDeepEqualTo(new String[][] {{"0,0", "0,1"}, {"1,0", "1,1"}});
    }

    @Test
    void varargs() {
        assertThat(shapes.join("-", "a", "b", "c")).isEqualTo("a-b-c");
        assertThat(shapes.join("-")).isEmpty();
        assertThat(shapes.join("-", new String[] {"x"})).isEqualTo("x");
    }

    @Test
    void genericMethods() {
        assertThat(shapes.max(List.of(3, 9, 4))).isEqualTo(9);
        String max = shapes.max(List.of("pear", "apple"));
        assertThat(max).isEqualTo("pear");
    }

    @Test
    void inheritedAndDefaultMethods() {
        assertThat(shapes.name()).isEqualTo("box");
        assertThat(shapes.greet("ann")).isEqualTo("hello ann from box");
        assertThat(shapes.twice(21)).isEqualTo(42);
    }

    @Test
    void checkedExceptionsPassThroughUnchanged() {
        assertThatThrownBy(() -> shapes.failChecked("disk"))
                .isExactlyInstanceOf(IOException.class).hasMessage("disk")
                .isNotInstanceOf(UndeclaredThrowableException.class);
    }

    @Test
    void uncheckedExceptionsAndErrorsPassThroughUnchanged() {
        assertThatThrownBy(() -> shapes.failUnchecked("bad")).isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("bad");
        assertThatThrownBy(() -> shapes.failError("worse")).isExactlyInstanceOf(AssertionError.class).hasMessage("worse");
    }

    @Test
    void everyCallReachesTheInstanceExactlyOnce() {
        int before = impl.count();
        shapes.add(1, 1);
        shapes.name();
        shapes.greet("x"); // the default method runs in the instance and calls name() there
        assertThat(impl.count()).isEqualTo(before + 3);
    }
}
