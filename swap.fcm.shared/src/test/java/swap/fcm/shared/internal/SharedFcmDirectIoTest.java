package swap.fcm.shared.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import swap.fcm.FileCacheManager;
import swap.fcm.FileCacheManager.Mode;

/**
 * Everything {@link SharedFcmTest} checks, on a pool whose caches use direct I/O: partial last
 * pages, write-back, frames exact; and that the file is really open with {@code O_DIRECT} (Linux).
 */
class SharedFcmDirectIoTest extends SharedFcmTest {

    /** {@code O_DIRECT} in the flags of /proc/self/fdinfo (octal, x86-64 and aarch64). */
    private static final int O_DIRECT = 040000;
    private static final int O_DIRECT_ARM = 0200000;

    @Override
    protected boolean directIo() {
        return true;
    }

    @Test
    void theFileIsOpenWithODirect() throws IOException {
        Path path = file("direct", bytes(5, 3 * PAGE + 10));
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fdinfo")), "Linux /proc");
        assumeTrue(directIoAllowed(), "the file system of the temporary directory takes O_DIRECT");
        assertThat(openFlags(path)).as("no descriptor of the file before it is opened").isEqualTo(-1);

        FileCacheManager fcm = open(path, Mode.READ_WRITE);
        read(fcm, 0, 1);
        int flags = openFlags(path);
        String arch = System.getProperty("os.arch");
        int odirect = arch.equals("aarch64") || arch.equals("arm") ? O_DIRECT_ARM : O_DIRECT;
        assertThat(flags & odirect).as("flags %s of the cache's descriptor include O_DIRECT", Integer.toOctalString(flags))
                .isEqualTo(odirect);
    }

    private boolean directIoAllowed() throws IOException {
        Path probe = dir.resolve("probe");
        Files.write(probe, new byte[FileCacheManager.PAGE_SIZE]);
        try (FileChannel c = FileChannel.open(probe, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        } finally {
            Files.delete(probe);
        }
    }

    /** The flags of this process's descriptor open on {@code file}, or -1 if there is none. */
    private static int openFlags(Path file) throws IOException {
        Path real = file.toRealPath();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                Path target;
                try {
                    target = Files.readSymbolicLink(fd);
                } catch (IOException e) {
                    continue; // closed meanwhile (the stream's own descriptor)
                }
                if (target.equals(real)) {
                    for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo", fd.getFileName().toString()))) {
                        if (line.startsWith("flags:")) {
                            return Integer.parseInt(line.substring("flags:".length()).trim(), 8);
                        }
                    }
                }
            }
        }
        return -1;
    }
}
