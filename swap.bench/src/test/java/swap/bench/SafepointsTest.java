package swap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SafepointsTest {

    @Test
    void aFullCollectionBetweenTwoReadingsOfTheClockIsASafepointInsideThem() {
        try (Safepoints safepoints = new Safepoints()) {
            long before = System.nanoTime();
            System.gc(); // a stop-the-world collection: a safepoint under the collectors the JDK starts by default
            long after = System.nanoTime();
            assertThat(safepoints.awaitRead(Duration.ofSeconds(30))).as("the stream read what was recorded").isTrue();

            long slack = TimeUnit.MICROSECONDS.toNanos(200); // one reading of two clocks puts JFR's instants on nanoTime
            assertThat(safepoints.within(before - slack, after + slack)).as("the collection's safepoint, wholly inside the call")
                    .anySatisfy(s -> assertThat(s[1] - s[0]).isGreaterThanOrEqualTo((after - before) / 2));
            assertThat(safepoints.overlap(before - slack, after + slack)).isLessThanOrEqualTo(after - before + 2 * slack);
            assertThat(safepoints.overlap(after + TimeUnit.SECONDS.toNanos(100), after + TimeUnit.SECONDS.toNanos(200))).isZero();
        }
    }
}
