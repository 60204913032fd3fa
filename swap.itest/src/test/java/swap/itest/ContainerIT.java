package swap.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.Version;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.slf4j.LoggerFactory;
import swap.ott.Entry;
import swap.ott.EntryDTO;
import swap.ott.ObjectTranslationTable;

/**
 * The container's bundle set, as the reactor built and the resolver chose it, booted in a real
 * Felix: everything Active, every component satisfied, logging live, deploy/ working.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ContainerIT {

    @Inject
    private BundleContext context;

    @Inject
    private ServiceComponentRuntime scr;

    @Inject
    private LogReaderService logReader;

    @Inject
    private ObjectTranslationTable table;

    /** A component interface of the test bundle: its stub is generated inside OSGi. */
    public interface Echo {
        String echo(String text);
    }

    @Configuration
    public Option[] config() throws Exception {
        return ContainerOptions.container("pax-exam");
    }

    @Before
    public void awaitStartLevel() {
        Await.startLevel(context);
    }

    @Test
    public void everyBundleOfTheRunDescriptorIsActive() {
        List<String> expected = Arrays.asList(context.getProperty(ContainerOptions.EXPECTED_BUNDLES).split(","));
        Map<String, Bundle> installed = Arrays.stream(context.getBundles())
                .filter(b -> b.getSymbolicName() != null)
                .collect(Collectors.toMap(Bundle::getSymbolicName, Function.identity(), (a, b) -> a));

        assertThat(expected).contains("swap.framework", "swap.fcm.api", "swap.fcm.shared", "swap.fcm.replicated",
                "swap.fcm.mru", "swap.fcm.policy", "swap.fcm.workload", "swap.console", "swap.deploy", "org.apache.felix.scr",
                "org.apache.felix.fileinstall", "org.apache.felix.configadmin", "org.apache.felix.gogo.runtime", "org.apache.felix.gogo.shell",
                "org.apache.felix.gogo.command", "org.ops4j.pax.logging.pax-logging-api");
        assertThat(installed).containsKeys(expected.toArray(String[]::new));
        for (String bsn : expected) {
            assertThat(installed.get(bsn).getState()).as("state of %s", bsn).isEqualTo(Bundle.ACTIVE);
        }
    }

    @Test
    public void theSwapFrameworkHidesProvidersBeforeAnyBundleThatCouldBindOneStarts() throws Exception {
        Map<String, Integer> levels = Arrays.stream(context.getBundles()).filter(b -> b.getBundleId() != 0)
                .collect(Collectors.toMap(Bundle::getSymbolicName,
                        b -> b.adapt(org.osgi.framework.startlevel.BundleStartLevel.class).getStartLevel(), (a, b) -> a));
        int framework = levels.get("swap.framework");
        assertThat(levels.get("org.apache.felix.scr")).as("Declarative Services, which activates the framework").isLessThan(framework);
        List<String> before = List.of("org.apache.felix.scr", "org.apache.felix.configadmin", "org.apache.felix.fileinstall",
                "org.ops4j.pax.logging.pax-logging-api", "org.ops4j.pax.logging.pax-logging-log4j2", "swap.framework");
        for (String bundle : context.getProperty(ContainerOptions.EXPECTED_BUNDLES).split(",")) {
            if (!before.contains(bundle)) {
                assertThat(levels.get(bundle)).as("start level of " + bundle).isGreaterThan(framework);
            }
        }
        // and the hooks are the framework's own services, registered as it activated
        assertThat(context.getServiceReferences(org.osgi.framework.hooks.service.FindHook.class, null))
                .anyMatch(r -> "swap.framework".equals(r.getBundle().getSymbolicName()));
    }

    @Test
    public void everyComponentIsSatisfied() {
        List<ComponentDescriptionDTO> descriptions = List.copyOf(scr.getComponentDescriptionDTOs());
        assertThat(descriptions).extracting(d -> d.name)
                .contains("swap.deploy.internal.RejectedArtifactReporter", "swap.internal.osgi.TableComponent");
        for (ComponentDescriptionDTO description : descriptions) {
            assertThat(scr.isComponentEnabled(description)).as("%s enabled", description.name).isTrue();
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                assertThat(configuration.state).as("state of %s (unsatisfied references: %s)", description.name,
                                Arrays.toString(configuration.unsatisfiedReferences))
                        .isIn(ComponentConfigurationDTO.SATISFIED, ComponentConfigurationDTO.ACTIVE);
            }
        }
    }

    @Test
    public void theObjectTranslationTableServesStubsOfAnotherBundlesInterfaces() {
        Entry<Echo> entry = table.register("itest/echo", Echo.class, text -> "echo " + text);
        try {
            assertThat(entry.stub().echo("hi")).isEqualTo("echo hi");
            EntryDTO dto = entry.snapshot();
            assertThat(dto.bundle).as("the provider bundle, from the OSGi layer").isEqualTo(FrameworkUtil.getBundle(ContainerIT.class).getSymbolicName());
            assertThat(dto.calls).isEqualTo(1);
            assertThat(table.list()).extracting(d -> d.id).contains("itest/echo");
        } finally {
            entry.remove();
        }
    }

    @Test
    public void slf4jLogsReachThePaxLoggingBackend() {
        assertThat(LoggerFactory.getILoggerFactory().getClass().getName())
                .as("SLF4J must not be in NOP mode").startsWith("org.ops4j.pax.logging");
        List<LogEntry> seen = new CopyOnWriteArrayList<>();
        LogListener listener = seen::add;
        logReader.addLogListener(listener);
        try {
            LoggerFactory.getLogger("swap.itest").warn("marker {}", "7f3a");
            assertThat(seen).anySatisfy(e -> {
                assertThat(e.getLoggerName()).isEqualTo("swap.itest");
                assertThat(e.getMessage()).isEqualTo("marker 7f3a");
                assertThat(e.getLogLevel()).isEqualTo(LogLevel.WARN);
            });
        } finally {
            logReader.removeLogListener(listener);
        }
    }

    @Test
    public void logLevelsChangeAtRunTimeByEditingTheConfigurationFile() throws Exception {
        org.slf4j.Logger logger = LoggerFactory.getLogger("swap.itest.levels");
        assertThat(logger.isDebugEnabled()).as("DEBUG is off by default").isFalse();
        Path cfg = Paths.get(context.getProperty("swap.home"), "etc", "org.ops4j.pax.logging.cfg");
        String original = Files.readString(cfg);
        try {
            // as an operator would: edit the file while the container runs
            Files.writeString(cfg, original + "\nlog4j2.logger.itest.name = swap.itest.levels\n"
                    + "log4j2.logger.itest.level = DEBUG\n");
            Await.until("DEBUG enabled for swap.itest.levels", logger::isDebugEnabled, () -> "still off");
        } finally {
            Files.writeString(cfg, original);
        }
        Await.until("DEBUG off again", () -> !logger.isDebugEnabled(), () -> "still on");
    }

    @Test
    public void aBundleInDeployIsInstalledUpdatedAndUninstalled() throws Exception {
        Path deploy = Paths.get(context.getProperty("swap.deploy"));
        Path target = deploy.resolve("eventadmin.jar");
        Files.copy(Homes.deployables().resolve("org.apache.felix.eventadmin-1.6.2.jar"), target);
        Await.until("eventadmin 1.6.2 active", () -> state("org.apache.felix.eventadmin", "1.6.2") == Bundle.ACTIVE,
                this::eventAdminState);
        long id = bundle("org.apache.felix.eventadmin").getBundleId();
        assertThat(Paths.get(URI.create(bundle("org.apache.felix.eventadmin").getLocation())))
                .as("location: the file in deploy/").isEqualTo(target);

        Path staged = deploy.resolveSibling("eventadmin.jar.tmp");
        Files.copy(Homes.deployables().resolve("org.apache.felix.eventadmin-1.6.4.jar"), staged);
        Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Await.until("eventadmin updated to 1.6.4", () -> state("org.apache.felix.eventadmin", "1.6.4") == Bundle.ACTIVE,
                this::eventAdminState);
        assertThat(bundle("org.apache.felix.eventadmin").getBundleId()).as("updated in place").isEqualTo(id);

        Files.delete(target);
        Await.until("eventadmin uninstalled", () -> bundle("org.apache.felix.eventadmin") == null,
                this::eventAdminState);
    }

    @Test
    public void aCorruptJarInDeployIsReportedWithItsFileName() throws Exception {
        List<LogEntry> seen = new CopyOnWriteArrayList<>();
        LogListener listener = seen::add;
        logReader.addLogListener(listener);
        try {
            File corrupt = Paths.get(context.getProperty("swap.deploy"), "corrupt.jar").toFile();
            Files.write(corrupt.toPath(), new byte[] {'P', 'K', 3, 4, 0, 0, 1, 2});
            Await.until("an error naming " + corrupt, () -> seen.stream().anyMatch(e ->
                    e.getLogLevel() == LogLevel.ERROR && e.getMessage().contains(corrupt.getPath())),
                    () -> seen.toString());
            assertThat(context.getBundle(0).getState()).isEqualTo(Bundle.ACTIVE);
            Files.delete(corrupt.toPath());
        } finally {
            logReader.removeLogListener(listener);
        }
    }

    private Bundle bundle(String bsn) {
        return Arrays.stream(context.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).findFirst().orElse(null);
    }

    private int state(String bsn, String version) {
        Bundle b = bundle(bsn);
        return b != null && b.getVersion().equals(Version.parseVersion(version)) ? b.getState() : 0;
    }

    private String eventAdminState() {
        Bundle b = bundle("org.apache.felix.eventadmin");
        return b == null ? "not installed" : b.getVersion() + " state " + b.getState();
    }
}
