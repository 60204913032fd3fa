package swap.itest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real container in its own JVM, started the way the README starts it
 * ({@code java -jar lib/swap.container.jar} in a home folder), with the shell on stdin/stdout.
 * Every wait is bounded by {@link Await#TIMEOUT}; a process that outlives a test is killed.
 */
final class ContainerProcess implements AutoCloseable {

    private final Process process;
    private final OutputStream stdin;
    private final StringBuffer output = new StringBuffer();
    private final Thread pump;

    private ContainerProcess(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.pump = new Thread(this::pumpOutput, "container-output-" + process.pid());
        pump.setDaemon(true);
        pump.start();
    }

    static ContainerProcess start(Path home, String... jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.add("-jar");
        command.add(home.resolve("lib/swap.container.jar").toString());
        try {
            return new ContainerProcess(new ProcessBuilder(command).directory(home.toFile())
                    .redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Types a line into the shell. */
    ContainerProcess send(String line) {
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the container's stdin is closed; output so far:\n" + output, e);
        }
        return this;
    }

    /** Waits until the output contains {@code text}, returning the output so far. */
    String awaitOutput(String text) {
        Await.until("'" + text + "' in the container's output", () -> output.indexOf(text) >= 0,
                () -> "output so far:\n" + output);
        return output.toString();
    }

    /** Ends the shell's input (as Ctrl-D or the end of a piped script does). */
    void closeInput() {
        try {
            stdin.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the process to exit and returns its status. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(Await.TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the container did not exit within " + Await.TIMEOUT.toSeconds()
                    + " s; output:\n" + output);
        }
        pump.join(TimeUnit.SECONDS.toMillis(5));
        return process.exitValue();
    }

    String output() {
        return output.toString();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private void pumpOutput() {
        byte[] buffer = new byte[8192];
        try (InputStream in = process.getInputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            output.append("\n[output pump: ").append(e).append(']');
        }
    }
}
