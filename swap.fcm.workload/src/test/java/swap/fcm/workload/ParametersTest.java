package swap.fcm.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import swap.fcm.workload.WorkloadControl.Phase;

/** Bad parameters are refused with a message naming the parameter and the value; the control's and result's own rules. */
class ParametersTest {

    static Stream<Arguments> badParameters() {
        PostmarkParameters pm = PostmarkParameters.quick();
        SdetParameters sd = SdetParameters.quick();
        StreamParameters st = StreamParameters.quick();
        return Stream.of(
                bad("files must be >= 0, not -1", () -> pm.withFiles(-1)),
                bad("transactions must be >= 0, not -5", () -> pm.withTransactions(-5)),
                bad("minSize must be in [1, 1073741824], not 0", () -> pm.withSizes(0, 10)),
                bad("minSize must be <= maxSize, not minSize=200 > maxSize=100", () -> pm.withSizes(200, 100)),
                bad("maxSize must be in [1, 1073741824], not 2147483647", () -> pm.withSizes(1, Integer.MAX_VALUE)),
                bad("readBias must be in [0, 10], not 11", () -> pm.withBiases(11, 5)),
                bad("createBias must be in [0, 10], not -1", () -> pm.withBiases(5, -1)),
                bad("scripts must be in [1, 1024], not 0", () -> sd.withScripts(0)),
                bad("files must be >= 1, not 0", () -> sd.withFiles(0)),
                bad("commands must be >= 0, not -1", () -> sd.withCommands(-1)),
                bad("minSize must be <= maxSize, not minSize=9000 > maxSize=8000", () -> sd.withSizes(9000, 8000)),
                bad("streams must be in [1, 1024], not -2", () -> st.withStreams(-2)),
                bad("fileSize must be in [1, 1099511627776], not 0", () -> st.withFileSize(0)),
                bad("passes must be >= 1, not 0", () -> st.withPasses(0)),
                bad("bound must be positive, not PT0S", () -> new WorkloadControl(Duration.ZERO)));
    }

    private static Arguments bad(String message, ThrowingCallable make) {
        return Arguments.of(message, make);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badParameters")
    void badParametersAreRefusedNamingParameterAndValue(String message, ThrowingCallable make) {
        assertThatThrownBy(make).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void edgesThatAreAllowed() {
        assertThat(PostmarkParameters.quick().withFiles(0).withTransactions(0).withBiases(0, 10).withSizes(1, 1).files())
                .isZero();
        assertThat(SdetParameters.quick().withCommands(0).withScripts(1).withFiles(1).commands()).isZero();
        assertThat(StreamParameters.quick().withFileSize(1).fileSize()).isEqualTo(1);
    }

    @Test
    void theControlMovesForwardOnly() {
        WorkloadControl control = new WorkloadControl();
        assertThat(control.phase()).isEqualTo(Phase.NEW);
        assertThat(control.planned()).isEqualTo(-1);
        assertThatThrownBy(() -> control.enter(Phase.RUNNING)).isInstanceOf(IllegalStateException.class);
        control.enter(Phase.PREPARING);
        control.enter(Phase.RUNNING);
        assertThatThrownBy(() -> control.enter(Phase.PREPARING)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("serves one run");
        control.worked(3);
        control.plan(10);
        assertThat(control).hasToString("RUNNING, 3 of 10 operations");
        control.stop();
        control.stop();
        assertThat(control.isStopped()).isTrue();
        assertThat(control.bound()).isEqualTo(WorkloadControl.DEFAULT_BOUND);
    }

    @Test
    void aResultIsOneLineWithItsRates() {
        WorkloadResult r = new WorkloadResult("sdet", 500, 250_000_000L, 2 << 20, 1 << 20, 90, 10, 3, 2, true, List.of());
        assertThat(r.opsPerSecond()).isEqualTo(2000.0);
        assertThat(r.hitRatio()).isEqualTo(0.9);
        assertThat(r).hasToString("sdet: 500 ops in 0.250 s (2000.0 ops/s), read 2.0 MiB, written 1.0 MiB, hits 90, misses 10"
                + " (hit ratio 90.0%), evictions 3, write-backs 2, stopped");
        assertThatThrownBy(() -> new WorkloadResult("x", -1, 0, 0, 0, 0, 0, 0, 0, false, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("operations must be >= 0, not -1");
    }
}
