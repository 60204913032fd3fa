package swap.itest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** Fresh copies of the container's home folder, as the reactor built it, one per test. */
final class Homes {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Homes() {
    }

    /** The unpacked distribution ({@code swap.container}'s dist zip). */
    static Path dist() {
        return Paths.get(required("swap.dist"));
    }

    /** A folder holding the real bundles that the deploy tests drop in. */
    static Path deployables() {
        return Paths.get(required("swap.deployables"));
    }

    /** The sample bundles the reactor built ({@code samples/counter.*}): counter-api.jar, counter-v1.jar, ... */
    static Path samples() {
        return Paths.get(required("swap.sample.bundles"));
    }

    /** A new copy of the distribution under {@code target/itest-work}. */
    static Path fresh(String name) {
        Path target = Paths.get(required("swap.itest.work"))
                .resolve(name + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet());
        Path source = dist();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path from : (Iterable<Path>) files::iterator) {
                Path to = target.resolve(source.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + source + " to " + target, e);
        }
        return target;
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set (run through Maven failsafe)");
        }
        return value;
    }
}
