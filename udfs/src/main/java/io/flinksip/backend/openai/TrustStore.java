package io.flinksip.backend.openai;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificates an endpoint's TLS certificate is checked against, for servers behind a private CA. Only the path,
 * the type and where the password comes from are kept (in the job graph and in state); the password is read when the
 * client is built.
 *
 * @param path a PKCS12 or JKS file
 * @param type {@code PKCS12} or {@code JKS}
 * @param password where the store's password comes from ({@code env:VAR}, {@code file:/path} or {@code none})
 */
public record TrustStore(String path, String type, ApiKey password) implements Serializable {
    public TrustStore {
        if (path == null || path.isBlank() || type == null || password == null) {
            throw new IllegalArgumentException("a trust store needs a path, a type and a password source");
        }
    }

    /** A TLS context that trusts exactly the certificates of this store. */
    SSLContext sslContext() {
        String secret = password.resolve();
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, secret == null ? null : secret.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the trust store " + path + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the trust store " + path + ": " + e.getMessage(), e);
        }
    }
}
