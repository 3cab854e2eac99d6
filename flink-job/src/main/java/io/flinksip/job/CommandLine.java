package io.flinksip.job;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --key value} options after a sub-command, validated against the keys the sub-command accepts. */
final class CommandLine {
    private final Map<String, String> values = new HashMap<>();

    CommandLine(List<String> args, Set<String> allowed) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--") || a.length() == 2) {
                throw new UsageException("unexpected argument '" + a + "'");
            }
            String key = a.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new UsageException("option --" + key + " needs a value");
            }
            if (!allowed.contains(key)) {
                throw new UsageException("unknown option --" + key + " (known: --" + String.join(", --", allowed) + ")");
            }
            values.put(key, value);
        }
    }

    int getInt(String key, int defaultValue, int min) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v.replace("_", ""));
            if (n < min) {
                throw new UsageException("--" + key + " must be at least " + min);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + key + " expects an integer, got '" + v + "'");
        }
    }

    long getLong(String key, long defaultValue) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + key + " expects an integer, got '" + v + "'");
        }
    }

    double getDouble(String key, double defaultValue) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            double d = Double.parseDouble(v);
            if (!(d > 0)) {
                throw new UsageException("--" + key + " must be positive");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + key + " expects a number, got '" + v + "'");
        }
    }

    String get(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    /** A mistake in how the tool was called: printed with the usage text, exit code 2. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
