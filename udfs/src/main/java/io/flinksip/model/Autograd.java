package io.flinksip.model;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.function.Supplier;

/**
 * Thread-local gradient recording on the PyTorch engine.
 *
 * <p>DJL's {@code GradientCollector} keeps a JVM-wide "collecting" flag, so two learners (or a learner and a test) in one
 * JVM cannot both hold one. PyTorch's grad mode is really per thread; we set it per call and run backward directly,
 * which lets rollout threads do inference while a learner thread trains in the same TaskManager.
 */
public final class Autograd {
    private Autograd() {
    }

    /** Runs {@code body} with gradient recording on or off for the current thread, restoring the previous mode. */
    public static <T> T withGradMode(boolean enabled, Supplier<T> body) {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(enabled);
        try {
            return body.get();
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    /** Back-propagates a scalar loss into the {@code .grad} of every leaf that requires gradients. */
    public static void backward(NDArray scalarLoss) {
        if (scalarLoss.getShape().size() != 1) {
            throw new IllegalArgumentException("backward needs a scalar loss, got shape " + scalarLoss.getShape());
        }
        try (NDArray seed = scalarLoss.getManager().ones(scalarLoss.getShape(), scalarLoss.getDataType())) {
            JniUtils.backward((PtNDArray) scalarLoss, (PtNDArray) seed, false, false);
        }
    }

    /**
     * Overwrites a tensor's values in place, outside any graph. On CPU this writes through a view of the tensor's own
     * storage, avoiding a temporary direct buffer per call (a measurable share of a small model's step time);
     * elsewhere it falls back to a copy.
     */
    public static void overwrite(NDArray tensor, float[] values) {
        if (values.length != tensor.getShape().size()) {
            throw new IllegalArgumentException("expected " + tensor.getShape().size() + " values, got " + values.length);
        }
        java.nio.ByteBuffer view = storageView(tensor);
        if (view != null) {
            view.asFloatBuffer().put(values);
            return;
        }
        tensor.set(values);
    }

    /**
     * Overwrites a float32 or float16 CPU tensor with float32 values read from {@code floats} (native byte order, a
     * direct buffer such as a mapped file region), outside any graph; a float16 tensor gets PyTorch's rounding.
     *
     * @return false where the tensor has no writable storage view (another device or type)
     */
    public static boolean overwriteFrom(NDArray tensor, java.nio.ByteBuffer floats) {
        java.nio.ByteBuffer view = storageBytes(tensor);
        if (view == null || floats.remaining() != tensor.getShape().size() * 4L) {
            return false;
        }
        view.clear();
        if (tensor.getDataType() == ai.djl.ndarray.types.DataType.FLOAT32) {
            view.put(floats);
            return true;
        }
        try (ai.djl.ndarray.NDManager scratch = tensor.getManager().newSubManager()) {
            NDArray wide = scratch.create(floats.order(java.nio.ByteOrder.nativeOrder()), tensor.getShape(),
                    ai.djl.ndarray.types.DataType.FLOAT32);
            NDArray narrow = wide.toType(tensor.getDataType(), false);
            view.put(narrow.toByteBuffer(true));
        }
        return true;
    }

    /**
     * A writable view (native byte order) of a float32 CPU tensor's own storage, or null where there is none (another
     * device, another type, a non-contiguous tensor): writing into it changes the tensor, outside any graph.
     */
    public static java.nio.ByteBuffer storageView(NDArray tensor) {
        return tensor.getDataType() == ai.djl.ndarray.types.DataType.FLOAT32 ? storageBytes(tensor) : null;
    }

    /**
     * As {@link #storageView}, for a float32 or float16 CPU tensor: {@code size x 4} or {@code size x 2} bytes.
     */
    public static java.nio.ByteBuffer storageBytes(NDArray tensor) {
        ai.djl.ndarray.types.DataType type = tensor.getDataType();
        if (!ai.djl.Device.cpu().equals(tensor.getDevice())
                || (type != ai.djl.ndarray.types.DataType.FLOAT32 && type != ai.djl.ndarray.types.DataType.FLOAT16)) {
            return null;
        }
        java.nio.ByteBuffer view = tensor.toByteBuffer(true);
        if (!view.isDirect() || view.capacity() != tensor.getShape().size() * type.getNumOfBytes()) {
            return null;
        }
        return view.order(java.nio.ByteOrder.nativeOrder());
    }

    /** Copies a parameter's accumulated gradient into {@code out} (zeros when none), then clears it. */
    public static void drainGradient(NDArray parameter, float[] out) {
        PtNDArray p = (PtNDArray) parameter;
        try (PtNDArray grad = JniUtils.getGradient(p)) {
            if (grad == null || grad.getShape().size() == 0) {
                java.util.Arrays.fill(out, 0f);
                return;
            }
            // A zero-copy view of the gradient's storage (contiguous CPU tensor), copied out before it is freed.
            grad.toByteBuffer(true).order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer().get(out);
        }
        JniUtils.zeroGrad(p);
    }
}
