package io.flinksip.job.support;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Hosts on one machine: Linux network namespaces, each with its own network stack and one address on a private
 * subnet, joined by a bridge in a namespace of its own (a switch). The test's own namespace gets an address on the
 * switch too, so the test reaches every host, but no host reaches anything the machine has: a process that assumes
 * localhost, or an address it did not configure, cannot talk to the others. Needs root ({@code ip netns}); see
 * {@link #unavailableBecause()}.
 */
public final class NetworkNamespaces implements AutoCloseable {
    private static final String SUBNET = "10.213.77.";

    private final String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
    private final String sw = "sip" + tag + "sw";
    private final String hostLink = "sip" + tag + "h";
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private final List<String> created = new ArrayList<>();

    /** Why namespaces cannot be made here, or null when they can. */
    public static String unavailableBecause() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "network namespaces need root (ip netns); the test runs as " + System.getProperty("user.name");
        }
        String probe = "sipprobe" + ProcessHandle.current().pid();
        try {
            if (exec(List.of("ip", "netns", "add", probe)) != 0) {
                return "ip netns add failed: no CAP_SYS_ADMIN in this container";
            }
            exec(List.of("ip", "netns", "del", probe));
            return null;
        } catch (IOException e) {
            return "no ip command: " + e.getMessage();
        }
    }

    /** Creates the switch and one host per name, at .2, .3, ... of the subnet; the caller is .1. */
    public NetworkNamespaces(List<String> hosts) throws IOException {
        try {
            must("ip", "netns", "add", sw);
            created.add(sw);
            must("ip", "-n", sw, "link", "add", "br0", "type", "bridge");
            must("ip", "-n", sw, "link", "set", "br0", "up");
            must("ip", "link", "add", hostLink, "type", "veth", "peer", "name", "up0", "netns", sw);
            must("ip", "-n", sw, "link", "set", "up0", "master", "br0", "up");
            must("ip", "addr", "add", SUBNET + "1/24", "dev", hostLink);
            must("ip", "link", "set", hostLink, "up");
            int next = 2;
            for (String host : hosts) {
                String ns = "sip" + tag + host;
                must("ip", "netns", "add", ns);
                created.add(ns);
                String port = "p" + (next - 1);
                must("ip", "-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", port, "netns", sw);
                must("ip", "-n", sw, "link", "set", port, "master", "br0", "up");
                must("ip", "-n", ns, "addr", "add", SUBNET + next + "/24", "dev", "eth0");
                must("ip", "-n", ns, "link", "set", "eth0", "up");
                must("ip", "-n", ns, "link", "set", "lo", "up");
                addresses.put(host, SUBNET + next);
                next++;
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The address of {@code host}. */
    public String address(String host) {
        String a = addresses.get(host);
        if (a == null) {
            throw new IllegalArgumentException("no host " + host + " among " + addresses.keySet());
        }
        return a;
    }

    /** The command prefix that runs a command on {@code host}. */
    public List<String> on(String host) {
        address(host);
        return List.of("ip", "netns", "exec", "sip" + tag + host);
    }

    @Override
    public void close() throws IOException {
        exec(List.of("ip", "link", "del", hostLink));
        for (String ns : created) {
            exec(List.of("ip", "netns", "del", ns)); // a process still inside keeps its stack until it exits
        }
        created.clear();
    }

    private static void must(String... command) throws IOException {
        if (exec(List.of(command)) != 0) {
            throw new IOException("failed: " + String.join(" ", command));
        }
    }

    private static int exec(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + command, e);
        }
    }
}
