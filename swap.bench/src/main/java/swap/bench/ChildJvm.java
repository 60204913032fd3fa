package swap.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a benchmark's main class in a child JVM on this JVM's class path (the same
 * {@code benchmarks.jar}), with system properties of its own; its output goes, line by line, to
 * this JVM's console and to a log file. Every wait is bounded: a child that outlives its time is
 * destroyed (then killed), and the run reports it.
 */
final class ChildJvm {

    /** How long a destroyed child has to exit before it is killed, and the output pump to finish. */
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final String mainClass;
    private final List<String> properties = new ArrayList<>();
    private final List<String> args = new ArrayList<>();

    ChildJvm(Class<?> mainClass) {
        this.mainClass = mainClass.getName();
    }

    ChildJvm property(String name, String value) {
        properties.add("-D" + name + "=" + value);
        return this;
    }

    ChildJvm args(String... more) {
        args.addAll(List.of(more));
        return this;
    }

    /** The command line, as it is started. */
    List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(properties);
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /**
     * Starts the child, copies its output to {@code console} and {@code log}, and waits for it at
     * most {@code timeout}.
     *
     * @throws IOException if it could not start, exited with a non-zero status, or timed out (then it was destroyed)
     * @throws InterruptedException if interrupted while waiting (the child is destroyed first)
     */
    void run(Duration timeout, Path log, PrintStream console) throws IOException, InterruptedException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        List<String> command = command();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String header = "# " + String.join(" ", command);
        Thread pump = new Thread(() -> pump(process, header, log, console), "output of " + mainClass);
        pump.setDaemon(true);
        pump.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stop(process);
                throw new IOException(mainClass + " did not finish within " + timeout.toSeconds() + " s; destroyed");
            }
        } catch (InterruptedException e) {
            stop(process);
            throw e;
        } finally {
            pump.join(GRACE.toMillis());
        }
        if (process.exitValue() != 0) {
            throw new IOException(mainClass + " exited with status " + process.exitValue() + " (output: " + log + ")");
        }
    }

    private static void pump(Process process, String header, Path log, PrintStream console) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(Files.newBufferedWriter(log))) {
            out.println(header);
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.println(line);
                console.println(line);
            }
        } catch (IOException e) {
            console.println("(output of the child JVM lost: " + e + ")");
        }
    }

    /** Destroys {@code process}; kills it if it has not exited within the grace period. */
    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
