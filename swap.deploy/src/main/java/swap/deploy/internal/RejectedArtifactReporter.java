package swap.deploy.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports jars in a FileInstall-watched folder that FileInstall cannot install: files that are
 * not readable as a jar, and jars without a {@code Bundle-SymbolicName}. FileInstall itself
 * retries such files silently forever; this installer claims them so that each is logged once,
 * with its file name, at ERROR, and again whenever the file changes.
 *
 * <p>A file is only claimed once it has been seen twice with the same size and modification
 * time. A jar that is still being copied in is therefore left to FileInstall, which retries it
 * at every poll and installs it once it is complete. (A claimed file that later becomes a valid
 * bundle is dropped by FileInstall until it is touched again; copy into {@code deploy/} by
 * moving a complete file, as with any hot-deploy folder.)
 *
 * <p>FileInstall calls this from its watcher threads; all state is in a concurrent map.
 */
@Component(service = ArtifactInstaller.class)
public final class RejectedArtifactReporter implements ArtifactInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(RejectedArtifactReporter.class);

    /** The (size, mtime) at which each not-yet-claimed rejected file was last seen. */
    private final Map<File, Stamp> pending = new ConcurrentHashMap<>();

    private record Stamp(long size, long modified) {
        static Stamp of(File file) throws IOException {
            BasicFileAttributes a = Files.readAttributes(file.toPath(), BasicFileAttributes.class);
            return new Stamp(a.size(), a.lastModifiedTime().toMillis());
        }
    }

    @Override
    public boolean canHandle(File artifact) {
        if (!artifact.getName().endsWith(".jar") || !artifact.isFile()) {
            return false;
        }
        String reason = rejection(artifact);
        if (reason == null) {
            pending.remove(artifact);
            return false;
        }
        try {
            Stamp now = Stamp.of(artifact);
            Stamp before = pending.put(artifact, now);
            return now.equals(before); // stable across two polls: no longer being written
        } catch (IOException e) {
            pending.remove(artifact);
            return false;
        }
    }

    @Override
    public void install(File artifact) {
        report(artifact);
    }

    @Override
    public void update(File artifact) {
        report(artifact);
    }

    @Override
    public void uninstall(File artifact) {
        pending.remove(artifact);
    }

    private void report(File artifact) {
        pending.remove(artifact);
        String reason = rejection(artifact);
        if (reason != null) {
            LOG.error("{}: not installed: {}", artifact, reason);
        }
    }

    /** Why FileInstall cannot install the jar, or {@code null} if it can. */
    static String rejection(File jar) {
        try (JarFile file = new JarFile(jar)) {
            Manifest manifest = file.getManifest();
            if (manifest == null) {
                return "not an OSGi bundle (no META-INF/MANIFEST.MF)";
            }
            if (manifest.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
                return "not an OSGi bundle (no Bundle-SymbolicName in its manifest)";
            }
            return null;
        } catch (IOException | SecurityException e) {
            return "not a readable jar (" + e.getMessage() + ")";
        }
    }
}
