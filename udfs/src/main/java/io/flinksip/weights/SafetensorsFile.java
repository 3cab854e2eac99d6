package io.flinksip.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header mapping each tensor
 * name to {@code dtype}, {@code shape} and {@code data_offsets} (relative to the end of the header), then the raw
 * little-endian data. We write float32 only; we read F32, F16 and BF16 (the usual dtypes of published checkpoints),
 * widening to float32.
 */
public final class SafetensorsFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Refuse absurd headers before allocating (the format's reference reader uses the same bound). */
    private static final long MAX_HEADER_BYTES = 100L << 20;

    /** One tensor: row-major float32 data and its shape. */
    public record Tensor(long[] shape, float[] data) {
        public Tensor {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (n != data.length) {
                throw new IllegalArgumentException("shape does not match data length " + data.length);
            }
        }
    }

    private SafetensorsFile() {
    }

    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        ObjectNode meta = header.putObject("__metadata__");
        metadata.forEach(meta::put);
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            var shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            long size = 4L * e.getValue().data().length;
            t.putArray("data_offsets").add(offset).add(offset + size);
            offset += size;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        // Pad with spaces to a multiple of 8 so tensor data is aligned, as the reference writer does.
        int padded = (json.length + 7) / 8 * 8;
        byte[] headerBytes = new byte[padded];
        System.arraycopy(json, 0, headerBytes, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            headerBytes[i] = ' ';
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(len.array());
            out.write(headerBytes);
            ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors.values()) {
                float[] data = t.data();
                int i = 0;
                while (i < data.length) {
                    buf.clear();
                    int n = Math.min(data.length - i, buf.capacity() / 4);
                    buf.asFloatBuffer().put(data, i, n);
                    out.write(buf.array(), 0, n * 4);
                    i += n;
                }
            }
        }
    }

    /**
     * Reads only the header: every tensor's name and shape, in file order, without reading the data (to check a
     * checkpoint of billions of parameters on a client that will not train it).
     */
    public static Map<String, long[]> shapes(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Map<String, long[]> out = new LinkedHashMap<>();
            header(ch, file).json().fields().forEachRemaining(e -> {
                if (!e.getKey().equals("__metadata__")) {
                    long[] shape = new long[e.getValue().path("shape").size()];
                    for (int i = 0; i < shape.length; i++) {
                        shape[i] = e.getValue().path("shape").get(i).asLong();
                    }
                    out.put(e.getKey(), shape);
                }
            });
            return out;
        }
    }

    private record Header(JsonNode json, long dataStart) {
    }

    private static Header header(FileChannel ch, Path file) throws IOException {
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lenBuf, 0);
        long headerLen = lenBuf.flip().getLong();
        if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES || 8 + headerLen > ch.size()) {
            throw new IOException("invalid safetensors header length " + headerLen + " in " + file);
        }
        ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
        readFully(ch, headerBuf, 8);
        JsonNode header = JSON.readTree(new String(headerBuf.array(), StandardCharsets.UTF_8));
        if (!header.isObject()) {
            throw new IOException("safetensors header of " + file + " is not a JSON object");
        }
        return new Header(header, 8 + headerLen);
    }

    /** Reads every tensor, validating the header against the file (offsets contiguous and within bounds). */
    public static Map<String, Tensor> read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            Header parsed = header(ch, file);
            JsonNode header = parsed.json();
            long dataStart = parsed.dataStart();
            Map<String, Tensor> out = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = header.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                JsonNode t = e.getValue();
                String dtype = t.path("dtype").asText();
                int width = switch (dtype) {
                    case "F32" -> 4;
                    case "F16", "BF16" -> 2;
                    default -> throw new IOException("unsupported dtype " + dtype + " for tensor " + e.getKey());
                };
                long[] shape = new long[t.path("shape").size()];
                long count = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = t.path("shape").get(i).asLong();
                    count *= shape[i];
                }
                long begin = t.path("data_offsets").get(0).asLong();
                long end = t.path("data_offsets").get(1).asLong();
                if (begin < 0 || end < begin || dataStart + end > fileSize || end - begin != count * width) {
                    throw new IOException("tensor " + e.getKey() + " has inconsistent data_offsets");
                }
                if (count > Integer.MAX_VALUE) {
                    throw new IOException("tensor " + e.getKey() + " is too large for one Java array");
                }
                ByteBuffer raw = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, raw, dataStart + begin);
                raw.flip();
                out.put(e.getKey(), new Tensor(shape, decode(raw, dtype, (int) count)));
            }
            return out;
        }
    }

    private static float[] decode(ByteBuffer raw, String dtype, int count) {
        float[] data = new float[count];
        switch (dtype) {
            case "F32" -> raw.asFloatBuffer().get(data);
            case "BF16" -> {
                for (int i = 0; i < count; i++) {
                    data[i] = Float.intBitsToFloat((raw.getShort() & 0xFFFF) << 16);
                }
            }
            case "F16" -> {
                for (int i = 0; i < count; i++) {
                    data[i] = halfToFloat(raw.getShort());
                }
            }
            default -> throw new IllegalStateException(dtype);
        }
        return data;
    }

    /** IEEE 754 binary16 to float32 (Float.float16ToFloat arrived only in Java 20). */
    public static float halfToFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float value = mantissa * 0x1.0p-24f; // subnormal (or zero)
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of safetensors file");
            }
            pos += n;
        }
    }
}
