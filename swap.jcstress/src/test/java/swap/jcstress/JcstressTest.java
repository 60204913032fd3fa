package swap.jcstress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs this module's jcstress tests with the options the build gives them
 * ({@code -Djcstress.args=...}, default {@code -m quick -iters 1}) and fails unless every one ran and none failed
 * or erred. The full report is in {@code target/jcstress}.
 */
class JcstressTest {

    private static final List<String> TESTS = List.of(FlipSeesEarlierCall.Portable.class.getCanonicalName(),
            FlipSeesEarlierCall.Asymmetric.class.getCanonicalName(), FlipSeesEarlierCall.Handshake.class.getCanonicalName(),
            swap.internal.quiesce.HandshakeSeesEarlierCall.class.getName(), DrainSeesExit.class.getName(),
            DekkerWithoutFenceControl.class.getName(),
            swap.internal.hotswap.HeldCallIsReleased.ByCommit.class.getCanonicalName(),
            swap.internal.hotswap.HeldCallIsReleased.ByRollback.class.getCanonicalName());

    @Test
    void everyJcstressTestPasses() throws IOException, InterruptedException {
        if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            assertThat(swap.internal.quiesce.Fences.asymmetricAvailable())
                    .as("membarrier on Linux: FlipSeesEarlierCall.Asymmetric tests asymmetric fences").isTrue();
        }
        Path results = Paths.get(System.getProperty("swap.jcstress.results", "target/jcstress"));
        Files.createDirectories(results);
        Path log = results.resolve("console.txt");
        List<String> command = new java.util.ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "org.openjdk.jcstress.Main", "-t", "swap\\.(jcstress|internal)\\..*", "-v", "-r", results.toString()));
        command.addAll(List.of(System.getProperty("swap.jcstress.args", "-m quick -iters 1").trim().split("\\s+")));
        Process process = new ProcessBuilder(command)
                .directory(results.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long limit = 600;
        if (!process.waitFor(limit, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("jcstress did not finish within " + limit + " s; see " + log);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("jcstress exit status; see " + log).isZero();
        assertThat(output).as("jcstress summary; see " + log)
                .contains("Failed tests: No matches.")
                .contains("Error tests: No matches.");
        for (String test : TESTS) {
            assertThat(output).as("%s ran", test).contains(test);
        }
        assertThat(samples(output, DekkerWithoutFenceControl.class.getName(), "0, 0"))
                .as("the control saw the reordering that the counter's fences forbid").isPositive();
        assertThat(samples(output, swap.internal.quiesce.HandshakeSeesEarlierCall.class.getName(), "0, 1"))
                .as("a flip saw a call that read the old target through its acknowledgement alone").isPositive();
    }

    /** The samples of {@code outcome} in the "across all configurations" table of {@code test}. */
    static long samples(String output, String test, String outcome) {
        int at = output.indexOf("[OK] " + test);
        if (at < 0) {
            at = output.indexOf(test);
        }
        Matcher m = Pattern.compile("^\\s+" + Pattern.quote(outcome) + "\\s+([\\d,]+)\\s", Pattern.MULTILINE)
                .matcher(output);
        if (at < 0 || !m.find(at)) {
            throw new AssertionError("no outcome '" + outcome + "' reported for " + test);
        }
        return Long.parseLong(m.group(1).replace(",", ""));
    }
}
