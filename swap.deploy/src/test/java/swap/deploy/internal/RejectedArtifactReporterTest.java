package swap.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RejectedArtifactReporterTest {

    @TempDir
    Path dir;

    private final RejectedArtifactReporter reporter = new RejectedArtifactReporter();

    @Test
    void aCorruptJarIsClaimedOnlyOnceItIsStable() throws IOException {
        File bad = Files.writeString(dir.resolve("bad.jar"), "garbage").toFile();

        assertThat(reporter.canHandle(bad)).as("first sighting: may still be copied in").isFalse();
        assertThat(reporter.canHandle(bad)).as("unchanged since the last poll").isTrue();
        assertThat(RejectedArtifactReporter.rejection(bad)).startsWith("not a readable jar");
    }

    @Test
    void aFileThatKeepsChangingIsNotClaimed() throws IOException {
        Path bad = Files.writeString(dir.resolve("growing.jar"), "gar");
        assertThat(reporter.canHandle(bad.toFile())).isFalse();
        Files.writeString(bad, "garbage");
        Files.setLastModifiedTime(bad, FileTime.fromMillis(Files.getLastModifiedTime(bad).toMillis() + 1000));
        assertThat(reporter.canHandle(bad.toFile())).isFalse();
    }

    @Test
    void aBundleIsLeftToFileInstall() throws IOException {
        File bundle = jar("ok.jar", "Bundle-SymbolicName", "example.ok").toFile();
        assertThat(RejectedArtifactReporter.rejection(bundle)).isNull();
        assertThat(reporter.canHandle(bundle)).isFalse();
        assertThat(reporter.canHandle(bundle)).isFalse();
    }

    @Test
    void aPlainJarIsNamedAsNotABundle() throws IOException {
        File plain = jar("plain.jar", "Implementation-Title", "plain").toFile();
        assertThat(RejectedArtifactReporter.rejection(plain)).contains("no Bundle-SymbolicName");
        assertThat(reporter.canHandle(plain)).isFalse();
        assertThat(reporter.canHandle(plain)).isTrue();
    }

    @Test
    void otherFilesAreNeverClaimed() throws IOException {
        File cfg = Files.writeString(dir.resolve("x.cfg"), "a=b").toFile();
        assertThat(reporter.canHandle(cfg)).isFalse();
        assertThat(reporter.canHandle(cfg)).isFalse();
    }

    private Path jar(String name, String header, String value) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue(header, value);
        Path path = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(path); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
        return path;
    }
}
