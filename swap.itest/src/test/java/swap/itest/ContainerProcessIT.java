package swap.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import swap.container.Launcher;
import swap.container.RunDescriptor;

/**
 * The real container process, driven through its shell on stdin as a user would drive it.
 */
class ContainerProcessIT {

    private static final List<String> PROJECT_BUNDLES = List.of("swap.framework", "swap.fcm.api", "swap.fcm.shared",
            "swap.fcm.replicated", "swap.fcm.mru", "swap.fcm.policy", "swap.fcm.workload", "swap.console", "swap.deploy");
    private static final String PROMPT = "g! ";

    @Test
    void startsWithEveryBundleActiveAndStopsWithStatusZero() throws Exception {
        Path home = Homes.fresh("process-start");
        List<RunDescriptor.RunBundle> bundles = new Launcher(home).readDescriptor().bundles();
        try (ContainerProcess container = ContainerProcess.start(home)) {
            container.awaitOutput(PROMPT);
            container.send("lb -s").send("stop 0");
            assertThat(container.awaitExit()).as("exit status after 'stop 0'").isZero();
            String output = container.output();
            assertThat(output).contains("Welcome to Apache Felix Gogo");
            for (RunDescriptor.RunBundle b : bundles) {
                assertThat(output).as("lb line of %s", b.symbolicName())
                        .containsPattern("\\|Active\\s*\\|\\s*" + b.startLevel() + "\\|" + Pattern.quote(b.symbolicName() + " ("));
            }
            assertThat(bundles).extracting(RunDescriptor.RunBundle::symbolicName).containsAll(PROJECT_BUNDLES);
            assertThat(output).as("no exception reached the terminal").doesNotContain("Exception");
        }
        // logging was configured before any bundle logged: the first messages of Declarative
        // Services, on the start-level thread, are in the file, in the configured layout, not on
        // stdout from a fallback logger (FileInstall's first scan of etc/ waits a poll period, and
        // this container may stop before it)
        String log = Files.readString(home.resolve("log/swap.log"));
        // (SCR's first line is its version; its "Starting with globalExtender" line comes later
        // and, in one CI run, not at all before the stop)
        assertThat(log).containsPattern("\\| INFO  \\| FelixStartLevel +\\| .* \\| org\\.apache\\.felix\\.scr [0-9.]+ \\| .*Version = [0-9.]+");
    }

    @Test
    void theEndOfTheShellsInputStopsTheContainerWithStatusZero() throws Exception {
        try (ContainerProcess container = ContainerProcess.start(Homes.fresh("process-eof"))) {
            container.awaitOutput(PROMPT);
            container.send("lb -s swap.framework").closeInput();
            assertThat(container.awaitExit()).isZero();
            assertThat(container.output()).contains("swap.framework (0.1.0.SNAPSHOT)");
        }
    }

    @Test
    void anOperatorSessionListsSwapsInterposesAndPatches() throws Exception {
        Path samples = Homes.samples();
        try (ContainerProcess container = ContainerProcess.start(Homes.fresh("process-console"))) {
            container.awaitOutput(PROMPT);
            installAndStart(container, samples.resolve("counter-api.jar"), 1);
            long provider = installAndStart(container, samples.resolve("counter-v1.jar"), 2);
            installAndStart(container, samples.resolve("counter-client.jar"), 3);
            sendUntil(container, "swap:list", "CounterV1"); // Declarative Services activates the provider on its own thread
            container.send("swap:null sample.counter");
            container.awaitOutput("swap of sample.counter CounterV1 -> CounterV1 committed");
            container.send("swap:interpose sample.counter counter");
            container.awaitOutput("wrappers        counter");
            container.send("swap:history");
            container.awaitOutput("shell: swap:null sample.counter");
            container.send("update " + provider + " " + samples.resolve("counter-v2.jar").toUri());
            container.send("swap:info sample.counter");
            container.awaitOutput("implementation  swap.sample.counter.v2.CounterV2");
            container.send("swap:info nope");
            container.awaitOutput("no entry nope (swap:list shows them)");
            container.send("stop 0");
            // a script (the shell's input is a pipe) in which a command failed ends with status 2,
            // and the launcher names the failed command once more as it ends
            assertThat(container.awaitExit()).isEqualTo(Launcher.COMMAND_FAILED);
            String output = container.output();
            assertThat(output).contains("swap.sample.counter.impl 2.0.0").contains("wrappers        counter")
                    .as("errors are one line, no stack trace").doesNotContain("\tat ");
            assertThat(output).containsOnlyOnce("shell command failed")
                    .contains("swap: shell command failed: swap:info nope: no entry nope (swap:list shows them)");
        }
    }

    /**
     * Installs a bundle with {@code install}, then starts it with {@code start} (in this shell,
     * {@code install -s} printed an id but left the bundle Installed); {@code nth}: how many
     * bundles this test has installed with it.
     */
    private static long installAndStart(ContainerProcess container, Path jar, int nth) {
        container.send("install " + jar.toUri());
        long id = lastBundleId(awaitCount(container, "Bundle ID: ", nth));
        container.send("start " + id);
        return id;
    }

    /** The id in the last "Bundle ID: n" line that {@code install} printed. */
    private static long lastBundleId(String output) {
        java.util.regex.Matcher m = Pattern.compile("Bundle ID: (\\d+)").matcher(output);
        long id = -1;
        while (m.find()) {
            id = Long.parseLong(m.group(1));
        }
        assertThat(id).as("bundle id in: " + output).isPositive();
        return id;
    }

    /** Sends {@code command} every half second until {@code text} appears in the output (bounded). */
    private static void sendUntil(ContainerProcess container, String command, String text) {
        long deadline = System.nanoTime() + Await.TIMEOUT.toNanos();
        while (!container.output().contains(text)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("'" + text + "' never appeared after '" + command + "'; output:\n" + container.output());
            }
            container.send(command);
            long next = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(500);
            while (!container.output().contains(text) && System.nanoTime() - next < 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
    }

    /** Waits until {@code text} appears {@code times} times in the output. */
    private static String awaitCount(ContainerProcess container, String text, int times) {
        Await.until(times + " times '" + text + "'", () -> container.output().split(Pattern.quote(text), -1).length > times,
                container::output);
        return container.output();
    }

    @Test
    void anUnknownCommandGetsOneLineAndTheShellGoesOn() throws Exception {
        try (ContainerProcess container = ContainerProcess.start(Homes.fresh("process-unknown"))) {
            container.awaitOutput(PROMPT);
            container.send("nosuchcommand 42").send("lb -s swap.console").send("stop 0");
            assertThat(container.awaitExit()).as("exit status of a script with a failed command")
                    .isEqualTo(Launcher.COMMAND_FAILED);
            String output = container.output();
            assertThat(output).contains("Command not found: nosuchcommand").doesNotContain("\tat ");
            assertThat(output).contains("shell command failed: nosuchcommand 42: Command not found: nosuchcommand");
            assertThat(output).containsPattern("\\|Active\\s*\\|.*swap\\.console \\(");
        }
    }

    @Test
    void updateReadsTheJarAtTheBundlesLocationOrAGivenUrl() throws Exception {
        Path home = Homes.fresh("process-update");
        Launcher launcher = new Launcher(home);
        RunDescriptor descriptor = launcher.readDescriptor();
        Path jar = launcher.resolveJars(descriptor).get("swap.fcm.mru");
        long id = bundleId(descriptor, "swap.fcm.mru");
        Path otherVersion = home.resolve("swap.fcm.mru-0.1.2.jar");
        withVersion(jar, "0.1.2.patched", otherVersion);

        try (ContainerProcess container = ContainerProcess.start(home)) {
            container.awaitOutput(PROMPT);
            // replace the jar at the bundle's location, then a bare update
            Path staged = jar.resolveSibling("staged.tmp");
            withVersion(jar, "0.1.1.patched", staged);
            Files.move(staged, jar, StandardCopyOption.REPLACE_EXISTING);
            container.send("update " + id).send("lb -s swap.fcm.mru");
            container.awaitOutput("swap.fcm.mru (0.1.1.patched)");
            // update from an explicit URL
            container.send("update " + id + " " + otherVersion.toUri()).send("lb -s swap.fcm.mru");
            container.awaitOutput("swap.fcm.mru (0.1.2.patched)");
            container.send("stop 0");
            assertThat(container.awaitExit()).isZero();
            assertThat(container.output()).containsPattern(id + "\\|Active\\s*\\|\\s*10\\|swap\\.fcm\\.mru \\(0\\.1\\.2\\.patched\\)")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void aCorruptJarInDeployIsLoggedByNameAndTheContainerRunsOn() throws Exception {
        Path home = Homes.fresh("process-corrupt");
        try (ContainerProcess container = ContainerProcess.start(home)) {
            container.awaitOutput(PROMPT);
            Path corrupt = home.resolve("deploy/broken.jar");
            Files.writeString(corrupt, "this is not a jar");
            container.awaitOutput(corrupt + ": not installed: not a readable jar");
            container.send("lb -s swap.deploy").send("stop 0");
            assertThat(container.awaitExit()).isZero();
            assertThat(container.output()).containsPattern("\\|Active\\s*\\|.*swap\\.deploy \\(");
        }
        assertThat(Files.readString(home.resolve("log/swap.log"))).contains("broken.jar: not installed");
    }

    /** Bundles are installed in descriptor order on an empty cache, after the system bundle (0). */
    private static long bundleId(RunDescriptor descriptor, String bsn) {
        List<RunDescriptor.RunBundle> bundles = descriptor.bundles();
        for (int i = 0; i < bundles.size(); i++) {
            if (bundles.get(i).symbolicName().equals(bsn)) {
                return i + 1;
            }
        }
        throw new AssertionError(bsn + " is not in the run descriptor");
    }

    /** Copies a bundle with another Bundle-Version: a real, different revision of the same bundle. */
    private static void withVersion(Path source, String version, Path target) throws IOException {
        try (InputStream in = Files.newInputStream(source); JarInputStream jin = new JarInputStream(in)) {
            Manifest manifest = new Manifest(jin.getManifest());
            manifest.getMainAttributes().putValue("Bundle-Version", version);
            try (OutputStream out = Files.newOutputStream(target); JarOutputStream jout = new JarOutputStream(out, manifest)) {
                for (JarEntry entry; (entry = jin.getNextJarEntry()) != null; ) {
                    jout.putNextEntry(new JarEntry(entry.getName()));
                    jin.transferTo(jout);
                    jout.closeEntry();
                }
            }
        }
    }

}
