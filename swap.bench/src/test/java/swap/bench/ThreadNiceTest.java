package swap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ThreadNiceTest {

    /** The nice value of the calling thread as the kernel reports it (field 19 of /proc/thread-self/stat). */
    private static int niceOfThisThread() throws IOException {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // fields from 3 on
        return Integer.parseInt(fields[19 - 3]);
    }

    @Test
    void setsTheCallingThreadsNiceAndNoOtherThreads() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/thread-self/stat")), "Linux only");
        int mine = niceOfThisThread();
        AtomicReference<Object> seen = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                ThreadNice.set(mine + 5); // raising it needs no privilege
                seen.set(niceOfThisThread());
            } catch (Throwable e) {
                seen.set(e);
            }
        });
        t.start();
        t.join(30_000);

        assertThat(seen.get()).isEqualTo(mine + 5);
        assertThat(niceOfThisThread()).as("the test's thread keeps its own").isEqualTo(mine);
    }
}
