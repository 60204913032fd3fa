package swap.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.FrameworkWiring;
import swap.container.Launcher;
import swap.container.RunDescriptor;

/**
 * A Felix framework embedded in the benchmark's JVM: Felix itself is on the class path (the
 * launcher side), every bundle is inside the framework. Each instance lives in a temporary folder
 * of its own (bundle cache, and for the container a copy of its home), which {@link #close()}
 * deletes after stopping the framework.
 *
 * <p>Two kinds: {@link #plain plain OSGi} (Felix, Declarative Services and the OSGi API bundles
 * that SCR needs; the swap framework installed but never started, see {@link #LIBRARIES}) and
 * {@link #container the swap container} (every bundle of the container's resolved run descriptor
 * at its start level, with the container's framework properties, as
 * {@code swap.container.Launcher} boots it). Both take their bundles from the container's home
 * folder as the reactor built it, so both run the same SCR.
 */
final class EmbeddedFramework implements AutoCloseable {

    /** What plain OSGi runs: Declarative Services and the API bundles it needs (SCR 2.2 exports none). */
    static final List<String> PLAIN_BUNDLES = List.of("org.osgi.util.function", "org.osgi.util.promise",
            "org.osgi.service.component", "org.apache.felix.scr");
    /**
     * Installed in plain OSGi but never started: the sample providers implement
     * {@code swap.transfer.Transferable}, so {@code swap.framework} must be there to export that
     * package, with what it imports (ASM, HdrHistogram, the SLF4J API of pax-logging). Not started,
     * its live patching (a Declarative Services component) never runs.
     */
    static final List<String> LIBRARIES = List.of("org.objectweb.asm", "org.objectweb.asm.tree", "org.objectweb.asm.commons",
            "org.hdrhistogram.HdrHistogram", "org.ops4j.pax.logging.pax-logging-api", "swap.framework");
    /** The bundle whose live patching the container runs; stopped first when the container closes. */
    static final String SWAP_FRAMEWORK = "swap.framework";

    private static final long STOP_TIMEOUT_MILLIS = 30_000;

    private final Path dir;
    private final Framework framework;

    private EmbeddedFramework(Path dir, Framework framework) {
        this.dir = dir;
        this.framework = framework;
    }

    /**
     * Felix with {@link #PLAIN_BUNDLES}, taken from the container home {@code dist}, started.
     *
     * @param dist the container's home folder ({@code system/}, {@code etc/container.bndrun})
     */
    static EmbeddedFramework plain(Path dist) throws Exception {
        Launcher launcher = new Launcher(dist); // read only: the bundle set, never the properties
        Map<String, Path> jars = launcher.resolveJars(launcher.readDescriptor());
        Path dir = Files.createTempDirectory("swap-bench-plain-");
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, dir.resolve("cache").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put("felix.log.level", "1");
        Framework framework = newFramework(config);
        EmbeddedFramework f = new EmbeddedFramework(dir, framework);
        try {
            framework.init();
            for (String name : LIBRARIES) {
                f.context().installBundle(jar(jars, dist, name).toUri().toString());
            }
            for (String name : PLAIN_BUNDLES) {
                f.context().installBundle(jar(jars, dist, name).toUri().toString()).start();
            }
            framework.start();
            return f;
        } catch (Exception | Error e) {
            f.close();
            throw e;
        }
    }

    /**
     * The swap container: a fresh copy of the home {@code dist}, its framework properties
     * ({@link Launcher#frameworkProperties()}, with the shell kept off stdin), and every bundle of
     * its run descriptor at its start level; returns once the beginning start level is reached.
     */
    static EmbeddedFramework container(Path dist) throws Exception {
        return container(dist, home -> {
        });
    }

    /** What a benchmark adds to a container's home before it starts (e.g. configurations in etc/). */
    interface HomeSetup {
        void prepare(Path home) throws IOException;
    }

    /** {@link #container(Path)}, with {@code setup} applied to the home first. */
    static EmbeddedFramework container(Path dist, HomeSetup setup) throws Exception {
        Path dir = Files.createTempDirectory("swap-bench-container-");
        Path home = dir.resolve("swap");
        copy(dist, home);
        setup.prepare(home);
        Launcher launcher = new Launcher(home);
        Map<String, String> config = new HashMap<>(launcher.frameworkProperties());
        // the shell must not read the benchmark's stdin (at its end the shell would stop the framework)
        config.put("gosh.args", "--nointeractive");
        // pax-logging and FileInstall resolve ${swap.home} in etc/*.cfg from system properties
        System.setProperty(Launcher.HOME, config.get(Launcher.HOME));
        System.setProperty(Launcher.DEPLOY, config.get(Launcher.DEPLOY));
        Files.createDirectories(Path.of(config.get(Launcher.DEPLOY)));
        RunDescriptor descriptor = launcher.readDescriptor();
        Map<String, Path> jars = launcher.resolveJars(descriptor);
        config.putIfAbsent(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(descriptor.maxStartLevel()));

        Framework framework = newFramework(config);
        EmbeddedFramework f = new EmbeddedFramework(dir, framework);
        try {
            framework.init();
            for (RunDescriptor.RunBundle wanted : descriptor.bundles()) {
                Bundle b = f.context().installBundle(jars.get(wanted.symbolicName()).toUri().toString());
                b.adapt(BundleStartLevel.class).setStartLevel(wanted.startLevel());
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    b.start(); // persistent: it starts when the framework reaches its level
                }
            }
            framework.start(); // Felix returns once the beginning start level is reached
            return f;
        } catch (Exception | Error e) {
            f.close();
            throw e;
        }
    }

    private static Path jar(Map<String, Path> jars, Path dist, String name) {
        Path jar = jars.get(name);
        if (jar == null) {
            throw new IllegalStateException(dist + "/system: no jar for " + name);
        }
        return jar;
    }

    private static Framework newFramework(Map<String, String> config) {
        return ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"))
                .newFramework(config);
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    /** Installs {@code jar} from its {@code file:} URL and starts it. */
    Bundle installAndStart(Path jar) throws BundleException {
        Bundle b = context().installBundle(jar.toUri().toString());
        b.start();
        return b;
    }

    /** Updates {@code bundle} from {@code jar} ({@link Bundle#update(InputStream)}). */
    static void update(Bundle bundle, Path jar) throws BundleException, IOException {
        try (InputStream in = Files.newInputStream(jar)) {
            bundle.update(in);
        }
    }

    /**
     * Replaces {@code running} side by side: installs {@code jar} as another bundle (the location
     * is {@code jar}'s URL with {@code suffix}, so that it differs from every other bundle's),
     * starts it, then uninstalls {@code running}; both are active in between. Felix drops the
     * uninstalled bundle's revision at once if no bundle is wired to it (the sample providers
     * export nothing), otherwise with the next {@link #refresh}.
     *
     * @return the new bundle
     */
    Bundle replaceSideBySide(Bundle running, Path jar, String suffix) throws BundleException, IOException {
        Bundle next;
        try (InputStream in = Files.newInputStream(jar)) {
            next = context().installBundle(jar.toUri() + suffix, in);
        }
        next.start();
        running.uninstall();
        return next;
    }

    /**
     * Refreshes every bundle that has a revision pending removal and waits (at most
     * {@code timeoutMillis}) for the refresh to end.
     *
     * @return whether the refresh ended in time
     */
    boolean refresh(long timeoutMillis) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        framework.adapt(FrameworkWiring.class).refreshBundles(null, event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        return done.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Stops the framework (bounded wait) and deletes its folder. The swap framework, if active,
     * stops first: otherwise the providers, on higher start levels, stop before it, and the last
     * provider's departure would be parked and then aborted (a warning) for no caller at all.
     */
    @Override
    public void close() throws Exception {
        try {
            if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
                for (Bundle b : context().getBundles()) {
                    if (SWAP_FRAMEWORK.equals(b.getSymbolicName()) && b.getState() == Bundle.ACTIVE) {
                        b.stop(Bundle.STOP_TRANSIENT);
                    }
                }
                framework.stop();
            }
            framework.waitForStop(STOP_TIMEOUT_MILLIS);
        } finally {
            delete(dir);
        }
    }

    private static void copy(Path source, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path from : (Iterable<Path>) files::iterator) {
                Path to = target.resolve(source.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** Deletes {@code root} and everything under it, if it exists. */
    static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
