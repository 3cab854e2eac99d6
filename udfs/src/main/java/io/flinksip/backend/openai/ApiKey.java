package io.flinksip.backend.openai;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where an endpoint's API key comes from: an environment variable or a file (e.g. a mounted Kubernetes secret), read
 * when a client is opened. Only the source is stored in configuration and state; the secret itself never is, and
 * {@link #toString()} names only the source.
 */
public final class ApiKey implements Serializable {
    private static final long serialVersionUID = 1L;

    private enum Kind { NONE, ENV, FILE }

    private final Kind kind;
    private final String location;

    private ApiKey(Kind kind, String location) {
        this.kind = kind;
        this.location = location;
    }

    /** No key: for local servers without authentication. */
    public static ApiKey none() {
        return new ApiKey(Kind.NONE, "");
    }

    public static ApiKey fromEnv(String variable) {
        return new ApiKey(Kind.ENV, variable);
    }

    public static ApiKey fromFile(Path file) {
        return new ApiKey(Kind.FILE, file.toString());
    }

    /** Parses {@code env:NAME}, {@code file:/path} or {@code none}. */
    public static ApiKey parse(String spec) {
        if (spec == null || spec.isBlank() || spec.equals("none")) {
            return none();
        }
        if (spec.startsWith("env:")) {
            return fromEnv(spec.substring(4));
        }
        if (spec.startsWith("file:")) {
            return fromFile(Path.of(spec.substring(5)));
        }
        throw new IllegalArgumentException("API key source must be 'env:VARIABLE', 'file:/path' or 'none' "
                + "(the key itself never goes into configuration)");
    }

    /** Reads the secret; null when there is none. Fails (without the secret in the message) if the source is empty. */
    String resolve() {
        String value = switch (kind) {
            case NONE -> null;
            case ENV -> System.getenv(location);
            case FILE -> {
                try {
                    yield Files.readString(Path.of(location), StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read API key file " + location, e);
                }
            }
        };
        if (kind != Kind.NONE && (value == null || value.isBlank())) {
            throw new IllegalStateException("API key source " + this + " is empty or unset");
        }
        return value;
    }

    @Override
    public String toString() {
        return kind == Kind.NONE ? "none" : kind.name().toLowerCase() + ":" + location;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiKey k && k.kind == kind && k.location.equals(location);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + location.hashCode();
    }
}
