package io.flinksip.tokenizer;

import java.util.ArrayList;
import java.util.List;

/** Token ids between the Avro records' lists and the arrays the tokenizer and the model work on. */
public final class TokenIds {
    private TokenIds() {
    }

    public static List<Integer> boxed(int[] ids) {
        List<Integer> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(id);
        }
        return out;
    }

    public static int[] unboxed(List<Integer> ids) {
        int[] out = new int[ids.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.get(i);
        }
        return out;
    }
}
