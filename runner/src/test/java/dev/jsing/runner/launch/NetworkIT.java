package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.jsing.runner.testing.BusyboxSandbox;
import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.Prerequisites;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Networking on request, as the unprivileged test user: {@code --net}/{@code --network none} (only lo, up),
 * {@code --dns}, {@code --network slirp} through slirp4netns reaching a server on the host's loopback and forwarding a
 * host port into the container, {@code --uts} and {@code --ipc}; and the failures: slirp4netns missing or failing,
 * {@code --netns-path}. Nothing outlives a container: no slirp4netns of the test user is left.
 */
class NetworkIT {
    static TestUser user;
    static Path work;
    static Path image;

    @BeforeAll
    static void setUp() {
        user = TestUser.get();
        work = user.newDir("jsing-netcg-net-");
        image = BusyboxSandbox.create(
                work.resolve("sb"),
                "sh",
                "cat",
                "ip",
                "wget",
                "httpd",
                "mkdir",
                "echo",
                "sleep",
                "hostname",
                "ipcs",
                "readlink",
                "grep",
                "wc");
    }

    @AfterAll
    static void tearDown() {
        if (work != null) {
            Commands.run("rm", "-rf", work.toString());
        }
    }

    @AfterEach
    void noSlirpIsLeft() throws InterruptedException {
        String left = "";
        for (int i = 0; i < 50; i++) {
            left = Commands.run("pgrep", "-u", user.name(), "-a", "slirp4netns").stdout();
            if (left.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("slirp4netns left running 5 s after the container: " + left);
    }

    private static Result jsing(String... args) {
        return user.run(TestDist.jsing(args), Map.of(), null, Duration.ofMinutes(2));
    }

    @Test
    void networkNoneHasOnlyLoopbackUp() {
        for (List<String> opts :
                List.of(List.of("--net"), List.of("--net", "--network", "none"), List.of("--network", "none"))) {
            List<String> argv = new java.util.ArrayList<>(List.of("exec"));
            argv.addAll(opts);
            argv.addAll(List.of(
                    image.toString(),
                    "/bin/sh",
                    "-c",
                    "ip -o link | while read n name rest; do echo $name $rest; done"));
            Result r = user.run(TestDist.jsing(argv.toArray(new String[0])), Map.of(), null, Duration.ofMinutes(2));
            assertEquals(0, r.exitCode(), r.describe());
            List<String> links = r.stdout().lines().toList();
            assertEquals(1, links.size(), opts + ": only lo: " + r.describe());
            assertTrue(links.get(0).matches("lo: <LOOPBACK,UP,LOWER_UP>.*"), opts + ": lo is up: " + r.describe());
        }
        Result host = jsing("exec", image.toString(), "/bin/sh", "-c", "ip -o link | wc -l");
        assertEquals(0, host.exitCode(), host.describe());
        assertTrue(Integer.parseInt(host.stdout().trim()) >= 1, host.describe());
        Result own = jsing("exec", "--net", image.toString(), "readlink", "/proc/self/ns/net");
        assertEquals(0, own.exitCode(), own.describe());
        assertTrue(own.stdout().startsWith("net:["), own.describe());
        assertFalse(
                own.stdout()
                        .trim()
                        .equals(Commands.ok("readlink", "/proc/self/ns/net").trim()),
                "a namespace of its own");
    }

    @Test
    void dnsIsWrittenIntoResolvConf() {
        Result r = jsing("exec", "--dns", "9.9.9.9,2620:fe::fe", image.toString(), "cat", "/etc/resolv.conf");
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("nameserver 9.9.9.9\nnameserver 2620:fe::fe\n", r.stdout());
        Result bad = jsing("exec", "--dns", "dns.example", image.toString(), "true");
        assertEquals(64, bad.exitCode(), bad.describe());
        assertTrue(
                bad.stderr().startsWith("jsing: --dns: 'dns.example' is not an IPv4 or IPv6 address"), bad.describe());
    }

    @Test
    void slirpReachesAServerOnTheHostsLoopback() throws Exception {
        Prerequisites.require(Files.isExecutable(Path.of("/usr/bin/slirp4netns")), "slirp4netns");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            byte[] b = "hello from the host\n".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            Result r = jsing(
                    "exec",
                    "--network",
                    "slirp",
                    image.toString(),
                    "/bin/sh",
                    "-c",
                    "ip -o -4 addr show tap0 | grep -o 'inet [0-9./]*'; cat /etc/resolv.conf;"
                            + " wget -q -O - http://10.0.2.2:" + port + "/");
            assertEquals(0, r.exitCode(), r.describe());
            assertEquals("inet 10.0.2.100/24\nnameserver 10.0.2.3\nhello from the host\n", r.stdout(), r.describe());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void portmapForwardsAHostPortIntoTheContainer() throws Exception {
        Prerequisites.require(Files.isExecutable(Path.of("/usr/bin/slirp4netns")), "slirp4netns");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String script = TestDist.jsing() + " exec --network slirp --network-args portmap=" + port + ":8080/tcp " + image
                + " /bin/sh -c 'mkdir -p /tmp/www; echo served-inside > /tmp/www/index.html;"
                + " httpd -f -p 8080 -h /tmp/www & sleep 4; kill $!' </dev/null >/dev/null 2>&1 & j=$!;"
                + " n=0; until out=$(/bin/busybox wget -q -O - http://127.0.0.1:" + port + "/ 2>/dev/null); do"
                + " n=$((n+1)); [ $n -gt 60 ] && break; sleep 0.1; done; echo \"$out\"; wait $j; echo rc=$?";
        Result r = user.run(List.of("/bin/sh", "-c", script), Map.of(), work, Duration.ofMinutes(2));
        assertEquals("served-inside\nrc=0\n", r.stdout(), r.describe());
    }

    @Test
    void slirpMissingOrFailingIsOneLineExit81() throws Exception {
        // not in PATH (bin/jsing needs nothing from PATH, JAVA_HOME names the JVM)
        Result missing = user.run(
                TestDist.jsing("exec", "--network", "slirp", image.toString(), "/bin/echo", "ran"),
                Map.of("PATH", "/nonexistent-netcg"),
                work,
                Duration.ofMinutes(1));
        assertEquals(81, missing.exitCode(), missing.describe());
        assertEquals(
                "jsing: error: --network slirp: slirp4netns not found in PATH (install the slirp4netns package)\n",
                missing.stderr());
        assertEquals("", missing.stdout());
        // a slirp4netns that fails: the container is not started
        Path bin = work.resolve("fakebin");
        Files.createDirectories(bin);
        Files.writeString(bin.resolve("slirp4netns"), "#!/bin/sh\necho 'fake slirp4netns: no' >&2\nexit 3\n");
        Commands.ok("chmod", "-R", "a+rx", bin.toString());
        Result failing = user.run(
                TestDist.jsing("exec", "--network", "slirp", image.toString(), "/bin/echo", "ran"),
                Map.of("PATH", bin + ":/usr/bin:/bin"),
                work,
                Duration.ofMinutes(1));
        assertEquals(81, failing.exitCode(), failing.describe());
        assertEquals("", failing.stdout());
        assertEquals(1, failing.stderr().lines().count(), failing.describe());
        assertTrue(
                failing.stderr()
                        .startsWith("jsing: error: --network slirp: " + bin + "/slirp4netns failed before the"
                                + " network was up (exit status 3)"),
                failing.describe());
    }

    @Test
    void netnsPathIsRefusedAsApptainerRefusesItToUsers() {
        Result r = jsing("exec", "--netns-path", "/proc/self/ns/net", image.toString(), "/bin/echo", "ran");
        assertEquals(81, r.exitCode(), r.describe());
        assertTrue(
                r.stderr()
                        .startsWith("jsing: error: --netns-path /proc/self/ns/net: joining an existing network"
                                + " namespace needs privilege"),
                r.describe());
        Result missing = jsing("exec", "--netns-path", "/run/netns/netcg-none", image.toString(), "/bin/true");
        assertEquals(66, missing.exitCode(), missing.describe());
    }

    @Test
    void utsWithoutHostnameAndIpc() {
        String hostName = Commands.ok("hostname").trim();
        Result r = jsing(
                "exec",
                "--uts",
                "--ipc",
                image.toString(),
                "/bin/sh",
                "-c",
                "hostname; readlink /proc/self/ns/uts; readlink /proc/self/ns/ipc");
        assertEquals(0, r.exitCode(), r.describe());
        List<String> out = r.stdout().lines().toList();
        assertEquals(hostName, out.get(0), "--uts keeps the host's name");
        assertFalse(
                out.get(1).equals(Commands.ok("readlink", "/proc/self/ns/uts").trim()), "a UTS namespace of its own");
        assertFalse(
                out.get(2).equals(Commands.ok("readlink", "/proc/self/ns/ipc").trim()), "an IPC namespace of its own");
        Result set = jsing("exec", "--uts", "--hostname", "netcg-box", image.toString(), "hostname");
        assertEquals("netcg-box\n", set.stdout(), set.describe());
    }
}
