package swap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GcPausesTest {

    @Test
    void aCollectionBetweenTwoReadingsOfTheClockIsAPauseInsideThemAndNoneOutside() {
        try (GcPauses gc = new GcPauses()) {
            long before = System.nanoTime();
            System.gc(); // a full, stop-the-world collection under every collector the JDK starts by default
            long after = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).until(() -> gc.count() >= 1); // the notification comes on a JMX thread

            long slack = TimeUnit.MILLISECONDS.toNanos(2); // the JVM reports pauses in whole milliseconds
            assertThat(gc.overlap(before - slack, after + slack)).as("the pause, inside the call").isPositive()
                    .isLessThanOrEqualTo(after - before + 2 * slack);
            assertThat(gc.overlap(after + TimeUnit.SECONDS.toNanos(10), after + TimeUnit.SECONDS.toNanos(20))).as("later").isZero();
        }
    }
}
