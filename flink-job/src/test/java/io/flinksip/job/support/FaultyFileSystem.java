package io.flinksip.job.support;

import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystemFactory;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.local.LocalFileSystem;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local file system under the scheme {@code faulty://}, which can tear a weight-store publish: the n-th
 * {@code weights.bin} created under a registered directory gets some bytes, then the write fails, as when a
 * TaskManager dies or a disk fills in the middle of a publish. Registered with Flink's file-system factories through
 * {@code META-INF/services}, so the job reaches it like any other file system.
 */
public final class FaultyFileSystem extends LocalFileSystem {
    private static final Map<String, PublishFaults> FAULTS = new ConcurrentHashMap<>();
    /** Directories whose tree refuses new files and directories, as after a permission change or a full disk. */
    private static final Set<String> UNWRITABLE = ConcurrentHashMap.newKeySet();

    /** The publishes of one directory, counted across every attempt of a job in this JVM. */
    public static final class PublishFaults {
        private final Set<Integer> failing;
        private final AtomicInteger publishes = new AtomicInteger();
        private final AtomicInteger torn = new AtomicInteger();

        PublishFaults(Set<Integer> failing) {
            this.failing = failing;
        }

        public int torn() {
            return torn.get();
        }

        boolean tearThisOne() {
            if (failing.contains(publishes.incrementAndGet())) {
                torn.incrementAndGet();
                return true;
            }
            return false;
        }
    }

    /** Tears the given publishes (1-based) of weight files under {@code dir}; returns their counters. */
    public static PublishFaults tearPublishes(java.nio.file.Path dir, Set<Integer> nth) {
        PublishFaults faults = new PublishFaults(Set.copyOf(nth));
        FAULTS.put(dir.toAbsolutePath().toString(), faults);
        return faults;
    }

    /** While on, creating files or directories under {@code dir} fails; reads and deletes still work. */
    public static void unwritable(java.nio.file.Path dir, boolean on) {
        if (on) {
            UNWRITABLE.add(dir.toAbsolutePath().toString());
        } else {
            UNWRITABLE.remove(dir.toAbsolutePath().toString());
        }
    }

    private void refuseIfUnwritable(Path path) throws IOException {
        String file = pathToFile(path).getAbsolutePath();
        for (String dir : UNWRITABLE) {
            if (file.equals(dir) || file.startsWith(dir + "/")) {
                throw new IOException("injected: " + file + " is not writable");
            }
        }
    }

    @Override
    public boolean mkdirs(Path path) throws IOException {
        refuseIfUnwritable(path);
        return super.mkdirs(path);
    }

    /** {@code faulty://} URI of a local directory. */
    public static String uri(java.nio.file.Path dir) {
        return "faulty://" + dir.toAbsolutePath();
    }

    @Override
    public URI getUri() {
        return URI.create("faulty:///");
    }

    @Override
    public FSDataOutputStream create(Path filePath, FileSystem.WriteMode mode) throws IOException {
        refuseIfUnwritable(filePath);
        FSDataOutputStream out = super.create(filePath, mode);
        if (filePath.getName().equals("weights.bin")) {
            String file = pathToFile(filePath).getAbsolutePath();
            for (Map.Entry<String, PublishFaults> f : FAULTS.entrySet()) {
                if (file.startsWith(f.getKey() + "/") && f.getValue().tearThisOne()) {
                    return new TearingStream(out);
                }
            }
        }
        return out;
    }

    /** Writes the first bytes, then fails: what a reader could find if the publish were not atomic. */
    private static final class TearingStream extends FSDataOutputStream {
        private static final int BYTES_BEFORE_FAILING = 1000;
        private final FSDataOutputStream out;

        TearingStream(FSDataOutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            if (out.getPos() >= BYTES_BEFORE_FAILING) {
                out.flush();
                throw new IOException("injected failure in the middle of publishing a weight file");
            }
            out.write(b);
        }

        @Override
        public long getPos() throws IOException {
            return out.getPos();
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void sync() throws IOException {
            out.sync();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Creates the file system for {@code faulty://} URIs. */
    public static final class Factory implements FileSystemFactory {
        @Override
        public String getScheme() {
            return "faulty";
        }

        @Override
        public FileSystem create(URI fsUri) {
            return new FaultyFileSystem();
        }
    }
}
