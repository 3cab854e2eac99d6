package io.flinksip.model;

import java.nio.file.Path;

/**
 * Makes DJL safe to start on machines without network: offline mode, a writable cache directory for the native
 * libraries that ship in the {@code pytorch-native-cpu} jar, and a fixed intra-op thread count. Must run before the
 * first DJL call; explicit settings (system properties or environment) always win.
 */
public final class DjlRuntime {
    /** Default intra-op threads when nothing is configured: bit-reproducibility depends on a fixed count. */
    public static final int DEFAULT_THREADS = 2;

    private static volatile boolean configured;

    private DjlRuntime() {
    }

    public static synchronized void ensureConfigured() {
        if (configured) {
            return;
        }
        setIfAbsent("ai.djl.offline", "true");
        if (System.getenv("DJL_CACHE_DIR") == null) {
            setIfAbsent("DJL_CACHE_DIR", Path.of(".djl-cache").toAbsolutePath().toString());
        }
        setIfAbsent("ai.djl.pytorch.num_threads", String.valueOf(DEFAULT_THREADS));
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        if (System.getenv("PYTORCH_VERSION") != null) {
            throw new IllegalStateException("PYTORCH_VERSION is set: DJL would try to download natives. Unset it; "
                    + "flink-sip uses the natives bundled in the pytorch-native-cpu jar.");
        }
        configured = true;
    }

    /**
     * The device models run on: the first GPU when the engine sees one (a CUDA build of the natives, see the
     * {@code cuda} Maven profile), else the CPU. {@code -Dflinksip.device=cpu} forces the CPU.
     */
    public static ai.djl.Device defaultDevice() {
        ensureConfigured();
        if ("cpu".equalsIgnoreCase(System.getProperty("flinksip.device"))) {
            return ai.djl.Device.cpu();
        }
        return ai.djl.engine.Engine.getInstance().getGpuCount() > 0 ? ai.djl.Device.gpu() : ai.djl.Device.cpu();
    }

    /** 1 when models run on a GPU, else 0: a gauge Prometheus can read (it drops string-valued gauges). */
    public static int onGpu() {
        return defaultDevice().isGpu() ? 1 : 0;
    }

    /** The device and engine in words, for the run's header and summary: {@code cpu (PyTorch 2.7.1, 2 threads)} or {@code gpu 0 (...)}. */
    public static String describe() {
        ai.djl.Device device = defaultDevice();
        return (device.isGpu() ? "gpu " + device.getDeviceId() : "cpu") + " (PyTorch "
                + ai.djl.engine.Engine.getInstance().getVersion() + ", "
                + System.getProperty("ai.djl.pytorch.num_threads") + " threads)";
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
