package swap.fcm.workload;

import java.io.IOException;
import java.nio.file.Path;
import swap.fcm.FcmStatistics;
import swap.fcm.FileCacheManager;

/** An FCM that forwards every call to another: tests override what they watch or break. */
class ForwardingFcm implements FileCacheManager {

    final FileCacheManager target;

    ForwardingFcm(FileCacheManager target) {
        this.target = target;
    }

    @Override
    public void open(Path file, Mode mode) throws IOException {
        target.open(file, mode);
    }

    @Override
    public boolean isOpen() {
        return target.isOpen();
    }

    @Override
    public Path file() {
        return target.file();
    }

    @Override
    public int read(long position, byte[] buffer, int offset, int length) throws IOException {
        return target.read(position, buffer, offset, length);
    }

    @Override
    public void write(long position, byte[] buffer, int offset, int length) throws IOException {
        target.write(position, buffer, offset, length);
    }

    @Override
    public long size() {
        return target.size();
    }

    @Override
    public void flush() throws IOException {
        target.flush();
    }

    @Override
    public int trim(int frames) throws IOException {
        return target.trim(frames);
    }

    @Override
    public FcmStatistics statistics() {
        return target.statistics();
    }

    @Override
    public void close() throws IOException {
        target.close();
    }

    @Override
    public String toString() {
        return "forwarding to " + target;
    }
}
