package io.flinksip.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of every layer for the tokens seen so far, {@code [B, kvHeads, S, headDim]} each, with rotary
 * positions already applied. Arrays live on the cache's own manager so that per-step temporaries can be freed while
 * the cache survives.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private int length;

    public KvCache(NDManager parent, int numLayers) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[numLayers];
        this.values = new NDArray[numLayers];
    }

    /** Number of cached positions. */
    public int length() {
        return length;
    }

    NDArray[] append(int layer, NDArray newKeys, NDArray newValues) {
        NDArray k = keys[layer] == null ? newKeys : NDArrays.concat(new NDList(keys[layer], newKeys), 2);
        NDArray v = values[layer] == null ? newValues : NDArrays.concat(new NDList(values[layer], newValues), 2);
        k.attach(manager);
        v.attach(manager);
        if (keys[layer] != null) {
            keys[layer].close();
            values[layer].close();
        }
        keys[layer] = k;
        values[layer] = v;
        if (layer == keys.length - 1) {
            length = (int) k.getShape().get(2);
        }
        return new NDArray[] {k, v};
    }

    /** Repeats every row {@code times} times along the batch axis (row i becomes rows i*times .. i*times+times-1). */
    public void repeatRows(int times) {
        if (times == 1) {
            return;
        }
        for (int l = 0; l < keys.length; l++) {
            NDArray k = keys[l].repeat(0, times);
            NDArray v = values[l].repeat(0, times);
            k.attach(manager);
            v.attach(manager);
            keys[l].close();
            values[l].close();
            keys[l] = k;
            values[l] = v;
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
