package swap.fcm.workload.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A part's own temporary directory, under the scratch parent the run was given; deleted with
 * everything in it at the end of the run. Used by the run's calling thread, except that workers
 * create and delete files in it.
 */
final class Scratch {

    private final Path dir;

    private Scratch(Path dir) {
        this.dir = dir;
    }

    /** A fresh directory named {@code prefix} plus a random suffix, in {@code parent} (which must exist). */
    static Scratch create(Path parent, String prefix) throws IOException {
        if (!Files.isDirectory(parent)) {
            throw Files.exists(parent) ? new NotDirectoryException(parent.toString())
                    : new NoSuchFileException(parent.toString(), null, "the scratch parent does not exist");
        }
        return new Scratch(Files.createTempDirectory(parent, prefix));
    }

    Path dir() {
        return dir;
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    /**
     * Deletes the directory and everything in it; goes on past a file it cannot delete and throws
     * the first failure at the end (the others suppressed). Deleting what is gone already is no
     * failure.
     */
    void delete() throws IOException {
        IOException[] failure = new IOException[1];
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                remove(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                if (!(e instanceof NoSuchFileException)) {
                    add(e);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) {
                if (e != null) {
                    add(e);
                }
                remove(d);
                return FileVisitResult.CONTINUE;
            }

            private void remove(Path p) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    add(e);
                }
            }

            private void add(IOException e) {
                if (failure[0] == null) {
                    failure[0] = e;
                } else {
                    failure[0].addSuppressed(e);
                }
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
