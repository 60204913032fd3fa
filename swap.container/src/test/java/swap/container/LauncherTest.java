package swap.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's reading of a home folder; launching itself is tested on the real container (swap.itest). */
class LauncherTest {

    @TempDir
    Path home;

    @BeforeEach
    void layout() throws IOException {
        Files.createDirectories(home.resolve("etc"));
        Files.createDirectories(home.resolve("system"));
    }

    @AfterEach
    void forgetWhatRunPublished() {
        // run() publishes the home and deploy folders as system properties (for pax-logging and FileInstall)
        System.clearProperty(Launcher.HOME);
        System.clearProperty(Launcher.DEPLOY);
    }

    @Test
    void placeholdersResolveFromTheFileTheHomeAndSystemProperties() throws Exception {
        Files.writeString(home.resolve("etc/config.properties"), """
                a = ${swap.home}/data
                b = ${a}/cache
                c = ${java.specification.version}
                """);
        Map<String, String> properties = new Launcher(home).frameworkProperties();
        assertThat(properties).containsEntry("a", home + "/data").containsEntry("b", home + "/data/cache")
                .containsEntry("c", System.getProperty("java.specification.version"))
                .containsEntry(Launcher.DEPLOY, home.resolve("deploy").toString());
    }

    @Test
    void aSystemPropertyOverridesTheKeyItNames() throws Exception {
        Files.writeString(home.resolve("etc/config.properties"), "swap.test.override = file\n");
        System.setProperty("swap.test.override", "system");
        try {
            assertThat(new Launcher(home).frameworkProperties()).containsEntry("swap.test.override", "system");
        } finally {
            System.clearProperty("swap.test.override");
        }
    }

    @Test
    void anUndefinedPlaceholderIsNamed() throws IOException {
        Files.writeString(home.resolve("etc/config.properties"), "x = ${no.such.thing}\n");
        assertThatThrownBy(() -> new Launcher(home).frameworkProperties())
                .isInstanceOf(Launcher.LaunchException.class)
                .hasMessageContaining("x refers to undefined ${no.such.thing}");
    }

    @Test
    void aCycleOfPlaceholdersIsNamed() throws IOException {
        Files.writeString(home.resolve("etc/config.properties"), "x = ${y}\ny = ${x}\n");
        assertThatThrownBy(() -> new Launcher(home).frameworkProperties())
                .isInstanceOf(Launcher.LaunchException.class).hasMessageContaining("nest too deep");
    }

    @Test
    void eachBundleOfTheDescriptorMapsToTheHighestMatchingJar() throws Exception {
        Path old = bundle("a-1.jar", "a", "1.0.0");
        Path newer = bundle("a-2.jar", "a", "1.5.0");
        bundle("a-3.jar", "a", "2.0.0"); // outside the range
        bundle("b.jar", "b;singleton:=true", "3.0.0");
        Files.writeString(home.resolve("system/notes.txt"), "not a jar");
        RunDescriptor descriptor = RunDescriptor.parse("a;version='[1,2)', b");

        Map<String, Path> jars = new Launcher(home).resolveJars(descriptor);

        assertThat(jars).containsEntry("a", newer).containsEntry("b", home.resolve("system/b.jar"));
        assertThat(jars).doesNotContainValue(old);
    }

    @Test
    void aMissingBundleIsNamed() throws Exception {
        bundle("a.jar", "a", "1.0.0");
        RunDescriptor descriptor = RunDescriptor.parse("a, c;version='[1,2)'");
        assertThatThrownBy(() -> new Launcher(home).resolveJars(descriptor))
                .isInstanceOf(Launcher.LaunchException.class)
                .hasMessageContaining("no jar for c [1.0.0,2.0.0)");
    }

    @Test
    void aCorruptJarInSystemIsNamed() throws Exception {
        Files.writeString(home.resolve("system/broken.jar"), "garbage");
        assertThatThrownBy(() -> new Launcher(home).resolveJars(RunDescriptor.parse("a")))
                .isInstanceOf(Launcher.LaunchException.class)
                .hasMessageContaining("broken.jar");
    }

    @Test
    void aBeginningStartLevelBelowTheDescriptorsIsRefused() throws Exception {
        Files.writeString(home.resolve("etc/config.properties"), "org.osgi.framework.startlevel.beginning = 5\n");
        Files.writeString(home.resolve("etc/container.bndrun"), "-runbundles: a;startlevel=10\n");
        bundle("a.jar", "a", "1.0.0");
        assertThatThrownBy(() -> new Launcher(home).run())
                .isInstanceOf(Launcher.LaunchException.class)
                .hasMessageContaining("org.osgi.framework.startlevel.beginning=5 is below the highest start level of the run descriptor (10)");
    }

    private Path bundle(String file, String bsn, String version) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", bsn);
        manifest.getMainAttributes().putValue("Bundle-Version", version);
        Path path = home.resolve("system").resolve(file);
        try (OutputStream out = Files.newOutputStream(path); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
        return path;
    }
}
