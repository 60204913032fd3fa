package swap.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.frameworkStartLevel;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Constants;
import swap.container.Launcher;
import swap.container.RunDescriptor;

/**
 * Pax Exam options that boot Felix the way the container's launcher does: the bundles of the
 * resolved run descriptor, from the distribution this reactor built, at their start levels, with
 * the container's framework properties. Runs in the test driver only (never inside OSGi).
 */
final class ContainerOptions {

    /** The framework property through which the probe learns which bundles the container runs. */
    static final String EXPECTED_BUNDLES = "swap.itest.expected.bundles";
    /** Above every container bundle and every bundle installed later (config.properties: 20). */
    static final int FRAMEWORK_START_LEVEL = 30;

    private ContainerOptions() {
    }

    /**
     * {@link #container} plus the sample counter's API bundle and {@code extra}: the API the probe
     * compiles against is there before the probe; providers and clients are installed by the tests.
     */
    static Option[] withCounterApi(String name, Option... extra) throws Exception {
        List<Option> options = new ArrayList<>(List.of(container(name)));
        options.add(bundle(Homes.samples().resolve("counter-api.jar").toUri().toString()));
        options.addAll(List.of(extra));
        return options.toArray(Option[]::new);
    }

    static Option[] container(String name) throws Exception {
        Path home = Homes.fresh(name);
        Launcher launcher = new Launcher(home);
        Map<String, String> properties = launcher.frameworkProperties();
        RunDescriptor descriptor = launcher.readDescriptor();
        Map<String, Path> jars = launcher.resolveJars(descriptor);
        // The launcher publishes swap.home and swap.deploy as system properties for etc/*.cfg; every
        // test class here shares one JVM (and Pax Exam calls each configuration more than once), so
        // a system property would point one framework at another's home. Each home gets its own
        // paths written into its configuration files instead.
        literalPaths(home.resolve("etc"), properties);
        Files.createDirectories(Path.of(properties.get(Launcher.DEPLOY)));

        List<Option> options = new ArrayList<>();
        properties.forEach((key, value) -> {
            if (!key.startsWith("org.osgi.framework.storage") && !key.equals(Constants.FRAMEWORK_BEGINNING_STARTLEVEL)) {
                options.add(frameworkProperty(key).value(value));
            }
        });
        // the shell must not read the test JVM's stdin (surefire's command channel)
        options.add(frameworkProperty("gosh.args").value("--nointeractive"));
        options.add(frameworkProperty(EXPECTED_BUNDLES).value(descriptor.bundles().stream()
                .map(RunDescriptor.RunBundle::symbolicName).collect(Collectors.joining(","))));
        for (RunDescriptor.RunBundle b : descriptor.bundles()) {
            options.add(bundle(jars.get(b.symbolicName()).toUri().toString()).startLevel(b.startLevel()).start());
        }
        options.add(junitBundles());
        Path probeBundles = Path.of(System.getProperty("swap.probe.bundles"));
        options.add(bundle(probeBundles.resolve("byte-buddy.jar").toUri().toString()));
        options.add(bundle(probeBundles.resolve("assertj-core.jar").toUri().toString()));
        options.add(frameworkStartLevel(FRAMEWORK_START_LEVEL));
        options.add(cleanCaches(true));
        options.add(workingDirectory(home.resolve("data/pax-exam").toString()));
        return options.toArray(Option[]::new);
    }

    private static void literalPaths(Path etc, Map<String, String> properties) throws IOException {
        try (Stream<Path> files = Files.list(etc)) {
            for (Path cfg : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".cfg"))::iterator) {
                String text = Files.readString(cfg);
                for (String key : List.of(Launcher.HOME, Launcher.DEPLOY)) {
                    text = text.replace("${" + key + "}", properties.get(key));
                }
                Files.writeString(cfg, text);
            }
        }
    }
}
