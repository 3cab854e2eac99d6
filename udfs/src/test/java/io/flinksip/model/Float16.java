package io.flinksip.model;

/**
 * float32 to IEEE half precision written out in Java (Java 17 has no {@code Float.floatToFloat16}): rounds to nearest,
 * ties to even, overflows to infinity, underflows gradually. Tests hold PyTorch's conversion, which the replicas use,
 * against it, and compute from it what a float16 replica must hold.
 */
public final class Float16 {
    private Float16() {
    }

    /** The half-precision bits nearest {@code value}. */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xFF;
        int mantissa = bits & 0x7FFFFF;
        if (exponent == 0xFF) { // infinity, or NaN kept quiet
            return (short) (sign | 0x7C00 | (mantissa != 0 ? 0x200 | (mantissa >>> 13) : 0));
        }
        int e = exponent - 127 + 15;
        if (e >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (e <= 0) { // a subnormal half, or zero
            if (e < -10) {
                return (short) sign;
            }
            int m = mantissa | 0x800000;
            int shift = 14 - e;
            return (short) (sign | roundedShift(m, shift));
        }
        int half = (e << 10) | (mantissa >>> 13);
        int rest = mantissa & 0x1FFF;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
            half++; // a carry into the exponent is right, up to infinity
        }
        return (short) (sign | half);
    }

    private static int roundedShift(int m, int shift) {
        int half = m >>> shift;
        int rest = m & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (rest > halfway || (rest == halfway && (half & 1) != 0)) {
            half++;
        }
        return half;
    }

    public static float toFloat(short bits) {
        return io.flinksip.weights.SafetensorsFile.halfToFloat(bits);
    }
}
