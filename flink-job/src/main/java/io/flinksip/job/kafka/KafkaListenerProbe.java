package io.flinksip.job.kafka;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Properties;

/**
 * Catches, before any Kafka client connects, a plaintext client pointed at a TLS listener. Kafka's client does not fail
 * there: it reads the broker's TLS alert as the length of a ~350 MB reply, allocates it, and runs out of memory or
 * retries forever (KAFKA-4090), which on a TaskManager looks like anything but a missing security setting.
 */
public final class KafkaListenerProbe {
    private static final int CONNECT_TIMEOUT_MS = 3_000;
    /** A broker's first TLS connection after its start is slow (key store and TLS engine warm-up): seconds, not ms. */
    private static final int READ_TIMEOUT_MS = 15_000;
    private static final byte TLS_ALERT = 0x15;
    private static final byte TLS_MAJOR_VERSION = 0x03;

    private KafkaListenerProbe() {
    }

    /**
     * Fails with a clear message when the clients are set up for plaintext (no {@code security.protocol}) and a
     * bootstrap server answers with TLS. Servers that cannot be reached are left to the Kafka client to report.
     */
    public static void checkPlaintextClients(String bootstrapServers, Properties clientProperties, String remedy) {
        String protocol = clientProperties.getProperty("security.protocol", "PLAINTEXT");
        if (!protocol.equalsIgnoreCase("PLAINTEXT")) {
            return; // set (or a reference to the client config file, resolved by the client)
        }
        for (String server : bootstrapServers.split(",")) {
            String s = server.trim();
            int colon = s.lastIndexOf(':');
            if (colon <= 0) {
                continue;
            }
            int port;
            try {
                port = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                continue;
            }
            if (answersWithTls(s.substring(0, colon).replace("[", "").replace("]", ""), port)) {
                throw new IllegalArgumentException("the Kafka broker at " + s + " answers with TLS, but the Kafka "
                        + "clients are set up for plaintext (no security.protocol): " + remedy);
            }
        }
    }

    /** Inconclusive probes (closed or reset without an answer) are repeated this many times in all. */
    static final int ATTEMPTS = 3;

    /**
     * Sends a plaintext ApiVersions request and looks at the first bytes of the answer. A TLS listener answers with an
     * alert, but now and then closes or resets the connection without one (seen under load); a plaintext broker always
     * answers. So a connection closed without an answer is asked again, and only an alert counts as TLS.
     */
    static boolean answersWithTls(String host, int port) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Boolean tls = probeOnce(host, port);
            if (tls != null) {
                return tls;
            }
        }
        return false; // never a clear answer: left to the Kafka client
    }

    /** True: a TLS alert; false: another answer, or unreachable; null: closed without an answer. */
    private static Boolean probeOnce(String host, int port) {
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            } catch (IOException unreachable) {
                return false;
            }
            socket.setSoTimeout(READ_TIMEOUT_MS);
            java.io.ByteArrayOutputStream request = new java.io.ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(request);
            out.writeInt(10);       // frame length
            out.writeShort(18);     // ApiVersions
            out.writeShort(0);      // version 0
            out.writeInt(1);        // correlation id
            out.writeShort(-1);     // null client id
            socket.getOutputStream().write(request.toByteArray()); // one segment: the listener reads it whole
            socket.getOutputStream().flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte first = in.readByte();
            byte second = in.readByte();
            return first == TLS_ALERT && second == TLS_MAJOR_VERSION;
        } catch (java.net.SocketTimeoutException slow) {
            return false;
        } catch (IOException closedWithoutAnswer) {
            return null;
        }
    }
}
