package swap.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.Version;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * Starts the swap container from its home folder.
 *
 * <pre>
 * home/
 *   lib/      this launcher and the OSGi framework (the class path)
 *   system/   the bundles of the resolved run descriptor
 *   etc/      config.properties (framework properties), container.bndrun (bundles and start
 *             levels, as the bnd resolver expanded cnf/container.bndrun), *.cfg (Configuration
 *             Admin, watched)
 *   deploy/   watched by FileInstall: drop a bundle to install it, replace it to update it
 *   data/     the framework's bundle cache, cleaned at every launch
 *   log/      written by the logging backend
 * </pre>
 *
 * <p>Each bundle is installed from its {@code file:} URL, so a bare {@code update <id>} in the
 * shell re-reads the jar at that location. Bundles start by start level; the descriptor puts the
 * logging backend at level 1, so no bundle can log before logging is configured.
 *
 * <p>Exit status: 0 when the framework stopped normally ({@code stop 0}, the end of the shell's
 * input, SIGTERM), 1 when it could not be launched or stopped with an error, and
 * {@value #COMMAND_FAILED} when it stopped normally but the shell was not on a terminal (a script
 * on standard input) and a shell command failed: each failure is printed again on standard error,
 * as one line, when the container stops. The console learns of the failures from Gogo and reports
 * them to a {@code Consumer<String>} that this launcher registers with the service property
 * {@value #FAILED_COMMANDS}{@code =true}.
 */
public final class Launcher {

    /** The framework property naming the container's home folder (set by the launcher). */
    public static final String HOME = "swap.home";
    /** The framework property naming the deploy folder, created if missing. */
    public static final String DEPLOY = "swap.deploy";
    /**
     * The framework property listing (comma-separated symbolic names) the bundles that start only
     * once the framework is Active: the shell, so that its prompt appears when everything else runs.
     */
    public static final String START_LAST = "swap.start.last";
    /** How long a shutdown (SIGTERM, Ctrl-C) waits for the framework to stop, in milliseconds. */
    public static final String SHUTDOWN_TIMEOUT = "swap.shutdown.timeout";

    /** The service property marking the launcher's sink for the shell commands that failed. */
    public static final String FAILED_COMMANDS = "swap.launcher.failed.commands";
    /** The exit status of a script (the shell's input not on a terminal) in which a command failed. */
    public static final int COMMAND_FAILED = 2;

    private static final System.Logger LOG = System.getLogger(Launcher.class.getName());
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");
    private static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    private final Path home;

    public Launcher(Path home) {
        this.home = home.toAbsolutePath().normalize();
    }

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            // the launcher's own messages (only failures) as one line each
            System.setProperty("java.util.logging.SimpleFormatter.format", "swap: %4$s: %5$s%6$s%n");
        }
        int status;
        try {
            status = new Launcher(locateHome()).run();
        } catch (LaunchException e) {
            LOG.log(System.Logger.Level.ERROR, e.getMessage());
            status = 1;
        }
        System.exit(status);
    }

    /**
     * {@link #run(boolean)}, scripted when this process has no console (its standard input or
     * output is not a terminal).
     *
     * @return the process exit status
     * @throws LaunchException if the home folder is incomplete or a bundle cannot be installed
     */
    public int run() throws LaunchException {
        return run(System.console() == null);
    }

    /**
     * Launches the framework and returns once it has stopped for good.
     *
     * @param scripted whether the shell reads a script rather than a person's typing: then a shell
     *        command that failed makes the exit status {@value #COMMAND_FAILED}
     * @return the process exit status
     * @throws LaunchException if the home folder is incomplete or a bundle cannot be installed
     */
    public int run(boolean scripted) throws LaunchException {
        Map<String, String> config = frameworkProperties();
        // pax-logging and FileInstall resolve ${swap.home} in configuration files from system properties
        System.setProperty(HOME, config.get(HOME));
        System.setProperty(DEPLOY, config.get(DEPLOY));
        RunDescriptor descriptor = readDescriptor();
        Map<String, Path> jars = resolveJars(descriptor);
        createDirectory(Paths.get(config.get(DEPLOY)));
        checkStartLevels(config, descriptor);

        Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new LaunchException("no OSGi framework on the class path (lib/)"))
                .newFramework(config);
        Duration shutdownTimeout = Duration.ofMillis(Long.parseLong(
                config.getOrDefault(SHUTDOWN_TIMEOUT, Long.toString(DEFAULT_SHUTDOWN_TIMEOUT.toMillis()))));
        Thread shutdown = new Thread(() -> stop(framework, shutdownTimeout), "swap-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        List<String> failedCommands = new CopyOnWriteArrayList<>();
        try {
            FrameworkEvent event;
            do {
                framework.init();
                framework.getBundleContext().registerService(Consumer.class, (Consumer<String>) failedCommands::add,
                        new Hashtable<>(Map.of(FAILED_COMMANDS, Boolean.TRUE)));
                Set<String> startLast = startLast(config);
                if (framework.getBundleContext().getBundles().length == 1) {
                    install(framework, descriptor, jars, startLast);
                }
                framework.start(); // returns once the beginning start level is reached
                startLast(framework, startLast);
                event = framework.waitForStop(0);
            } while (event.getType() == FrameworkEvent.STOPPED_UPDATE
                    || event.getType() == FrameworkEvent.STOPPED_SYSTEM_REFRESHED);
            if (event.getType() == FrameworkEvent.STOPPED) {
                if (scripted && !failedCommands.isEmpty()) {
                    // on stderr, not through LOG: pax-logging took over java.util.logging's handlers
                    for (String failure : failedCommands) {
                        System.err.println("swap: shell command failed: " + failure);
                    }
                    return COMMAND_FAILED;
                }
                return 0;
            }
            LOG.log(System.Logger.Level.ERROR, "framework stopped with " + event.getType(), event.getThrowable());
            return 1;
        } catch (BundleException e) {
            throw new LaunchException("the framework failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted while the framework was running", e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdown);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or has run; nothing to undo
            }
        }
    }

    /**
     * The framework properties: {@code etc/config.properties} with {@code ${...}} resolved, plus
     * {@value #HOME} and {@value #DEPLOY}; a system property overrides a key it names.
     *
     * @throws LaunchException if the file cannot be read or refers to an undefined property
     */
    public Map<String, String> frameworkProperties() throws LaunchException {
        Path file = home.resolve("etc/config.properties");
        Properties raw = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            raw.load(in);
        } catch (IOException e) {
            throw new LaunchException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> unresolved = new LinkedHashMap<>();
        unresolved.put(HOME, home.toString());
        unresolved.put(DEPLOY, home.resolve("deploy").toString());
        for (String key : raw.stringPropertyNames()) {
            unresolved.put(key, raw.getProperty(key));
        }
        for (String key : List.copyOf(unresolved.keySet())) {
            String override = System.getProperty(key);
            if (override != null && !key.equals(HOME)) { // the home is this launcher's, whatever -D said
                unresolved.put(key, override);
            }
        }
        Map<String, String> resolved = new HashMap<>();
        for (Map.Entry<String, String> e : unresolved.entrySet()) {
            resolved.put(e.getKey(), substitute(file, e.getKey(), e.getValue(), unresolved, 0));
        }
        return resolved;
    }

    private static String substitute(Path file, String key, String value, Map<String, String> scope, int depth)
            throws LaunchException {
        if (depth > 16) {
            throw new LaunchException(file + ": " + key + ": placeholders nest too deep (a cycle?)");
        }
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement = scope.containsKey(name) ? scope.get(name) : System.getProperty(name);
            if (replacement == null) {
                throw new LaunchException(file + ": " + key + " refers to undefined ${" + name + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(substitute(file, name, replacement, scope, depth + 1)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The framework must reach every bundle's start level, or that bundle never starts. */
    private static void checkStartLevels(Map<String, String> config, RunDescriptor descriptor) throws LaunchException {
        String beginning = config.get(Constants.FRAMEWORK_BEGINNING_STARTLEVEL);
        if (beginning == null) {
            config.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(descriptor.maxStartLevel()));
            return;
        }
        try {
            if (Integer.parseInt(beginning.trim()) < descriptor.maxStartLevel()) {
                throw new LaunchException(Constants.FRAMEWORK_BEGINNING_STARTLEVEL + "=" + beginning
                        + " is below the highest start level of the run descriptor (" + descriptor.maxStartLevel() + ")");
            }
        } catch (NumberFormatException e) {
            throw new LaunchException(Constants.FRAMEWORK_BEGINNING_STARTLEVEL + "=" + beginning + " is not a number", e);
        }
    }

    /**
     * The resolved run descriptor, {@code etc/container.bndrun}.
     *
     * @throws LaunchException if it is missing or malformed
     */
    public RunDescriptor readDescriptor() throws LaunchException {
        Path file = home.resolve("etc/container.bndrun");
        try {
            return RunDescriptor.read(file);
        } catch (IOException e) {
            throw new LaunchException("cannot read the run descriptor: " + e.getMessage(), e);
        }
    }

    /**
     * Maps each bundle of the descriptor to the highest jar in {@code system/} that matches it.
     *
     * @throws LaunchException if a bundle of the descriptor has no jar, or a jar is unreadable
     */
    public Map<String, Path> resolveJars(RunDescriptor descriptor) throws LaunchException {
        Path system = home.resolve("system");
        Map<String, Path> chosen = new HashMap<>();
        Map<String, Version> chosenVersion = new HashMap<>();
        try (Stream<Path> files = Files.list(system)) {
            for (Path jar : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".jar")).sorted()::iterator) {
                Manifest manifest = manifest(jar);
                String bsn = manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
                if (bsn == null) {
                    continue;
                }
                bsn = bsn.split(";", 2)[0].trim();
                Version version = Version.parseVersion(manifest.getMainAttributes().getValue(Constants.BUNDLE_VERSION));
                for (RunDescriptor.RunBundle wanted : descriptor.bundles()) {
                    if (wanted.symbolicName().equals(bsn) && wanted.versions().includes(version)
                            && (!chosenVersion.containsKey(bsn) || chosenVersion.get(bsn).compareTo(version) < 0)) {
                        chosen.put(bsn, jar);
                        chosenVersion.put(bsn, version);
                    }
                }
            }
        } catch (IOException e) {
            throw new LaunchException("cannot list " + system + ": " + e.getMessage(), e);
        }
        for (RunDescriptor.RunBundle wanted : descriptor.bundles()) {
            if (!chosen.containsKey(wanted.symbolicName())) {
                throw new LaunchException(system + ": no jar for " + wanted.symbolicName() + " " + wanted.versions());
            }
        }
        return chosen;
    }

    private static Manifest manifest(Path jar) throws LaunchException {
        try (InputStream in = Files.newInputStream(jar); JarInputStream jin = new JarInputStream(in)) {
            Manifest manifest = jin.getManifest();
            if (manifest == null) {
                throw new LaunchException(jar + ": not a bundle (no manifest)");
            }
            return manifest;
        } catch (IOException e) {
            throw new LaunchException(jar + ": unreadable jar: " + e.getMessage(), e);
        }
    }

    private static Set<String> startLast(Map<String, String> config) {
        Set<String> names = new LinkedHashSet<>();
        for (String name : config.getOrDefault(START_LAST, "").split(",")) {
            if (!name.isBlank()) {
                names.add(name.trim());
            }
        }
        return names;
    }

    private static void startLast(Framework framework, Set<String> names) throws LaunchException {
        for (Bundle bundle : framework.getBundleContext().getBundles()) {
            if (names.contains(bundle.getSymbolicName())) {
                try {
                    bundle.start();
                } catch (BundleException e) {
                    throw new LaunchException("cannot start " + bundle.getSymbolicName() + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private static void install(Framework framework, RunDescriptor descriptor, Map<String, Path> jars,
            Set<String> startLast) throws LaunchException {
        for (RunDescriptor.RunBundle wanted : descriptor.bundles()) {
            Path jar = jars.get(wanted.symbolicName());
            try {
                Bundle bundle = framework.getBundleContext().installBundle(jar.toUri().toString());
                bundle.adapt(BundleStartLevel.class).setStartLevel(wanted.startLevel());
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null && !startLast.contains(wanted.symbolicName())) {
                    bundle.start(); // recorded persistently; it starts when the framework reaches its level
                }
            } catch (BundleException | RuntimeException e) {
                throw new LaunchException(jar + ": cannot install " + wanted.symbolicName() + ": " + e.getMessage(), e);
            }
        }
    }

    private static void stop(Framework framework, Duration timeout) {
        if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) == 0) {
            return;
        }
        try {
            framework.stop();
            FrameworkEvent event = framework.waitForStop(timeout.toMillis());
            if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                LOG.log(System.Logger.Level.WARNING, "the framework did not stop within " + timeout.toMillis() + " ms");
            }
        } catch (BundleException e) {
            LOG.log(System.Logger.Level.WARNING, "stopping the framework failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void createDirectory(Path dir) throws LaunchException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LaunchException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Path locateHome() throws LaunchException {
        String configured = System.getProperty(HOME);
        if (configured != null) {
            return Paths.get(configured);
        }
        try {
            // lib/swap.container.jar -> home
            Path jar = Paths.get(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path lib = jar.getParent();
            if (lib == null || lib.getParent() == null) {
                throw new LaunchException("cannot tell the container's home from " + jar + "; set -D" + HOME);
            }
            return lib.getParent();
        } catch (URISyntaxException | SecurityException e) {
            throw new LaunchException("cannot tell the container's home; set -D" + HOME, e);
        }
    }

    /** A launch that cannot proceed; the message names what is at fault. */
    public static final class LaunchException extends Exception {
        private static final long serialVersionUID = 1L;

        public LaunchException(String message) {
            super(message);
        }

        public LaunchException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
