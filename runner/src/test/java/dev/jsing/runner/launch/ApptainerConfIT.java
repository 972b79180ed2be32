package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.testing.MinbaseImage;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A site's {@code /etc/apptainer/apptainer.conf} governs jsing launches, as the unprivileged test user: the real file
 * is written for the test (a site's own one is moved aside and put back).
 */
class ApptainerConfIT {
    static final Path CONF = Path.of("/etc/apptainer/apptainer.conf");
    static final Path ASIDE = Path.of("/etc/apptainer/apptainer.conf.jsing-it-aside");
    static TestUser user;
    static Path work;
    static String img;
    static boolean createdDir;

    @BeforeAll
    static void setUp() throws Exception {
        user = TestUser.get();
        work = user.newDir("jsing-apptainer-conf-it-");
        img = MinbaseImage.busybox().toString();
        createdDir = !Files.isDirectory(CONF.getParent());
        Files.createDirectories(CONF.getParent());
        if (Files.exists(CONF)) {
            Files.move(CONF, ASIDE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        Files.deleteIfExists(CONF);
        if (Files.exists(ASIDE)) {
            Files.move(ASIDE, CONF);
        }
        if (createdDir) {
            Files.deleteIfExists(CONF.getParent());
        }
    }

    static Result jsing(String conf, String... args) throws Exception {
        Files.writeString(CONF, conf);
        return user.run(TestDist.jsing(args), Map.of("JSING_TMPDIR", work.toString()), work, Duration.ofMinutes(2));
    }

    static String ok(String conf, String... args) throws Exception {
        Result r = jsing(conf, args);
        assertEquals(0, r.exitCode(), r.describe());
        return r.stdout();
    }

    private static boolean mounted(String mountinfo, String dst) {
        return mountinfo.lines().anyMatch(l -> l.split(" ")[4].equals(dst));
    }

    @Test
    void mountAndConfigDirectivesTurnDefaultMountsOff() throws Exception {
        String home = user.home();
        String all = ok("mount home = yes\n", "exec", img, "cat", "/proc/self/mountinfo");
        assertTrue(mounted(all, home) && mounted(all, "/etc/resolv.conf") && mounted(all, "/etc/passwd"), all);
        String off = ok(
                "mount home = no\nconfig resolv_conf = no\nconfig passwd = no\n",
                "exec",
                img,
                "cat",
                "/proc/self/mountinfo");
        assertFalse(mounted(off, home), "mount home = no: " + off);
        assertFalse(mounted(off, "/etc/resolv.conf"), "config resolv_conf = no: " + off);
        assertFalse(mounted(off, "/etc/passwd"), "config passwd = no: " + off);
        assertTrue(mounted(off, "/etc/group"), off);
    }

    @Test
    void bindPathIsBoundIntoEveryContainer() throws Exception {
        Path data = Files.createDirectories(work.resolve("data"));
        Files.writeString(data.resolve("f"), "site-bind\n");
        user.own(work);
        assertEquals("site-bind\n", ok("bind path = " + data + ":/sitedata\n", "exec", img, "cat", "/sitedata/f"));
    }

    @Test
    void userBindControlNoRefusesUserBinds() throws Exception {
        Result r = jsing("user bind control = no\n", "exec", "-B", "/etc:/mnt", img, "true");
        assertEquals(ExitCodes.BAD_MOUNT, r.exitCode(), r.describe());
        assertTrue(r.stderr().contains("user binds are disabled"), r.describe());
    }

    @Test
    void disallowedNamespacesAreDroppedWithAWarning() throws Exception {
        Result r = jsing("allow pid ns = no\n", "exec", "--pid", img, "sh", "-c", "echo $$");
        assertEquals(0, r.exitCode(), r.describe());
        assertFalse(r.stdout().matches("[12]\n"), "--pid was not dropped: " + r.describe());
        assertTrue(
                r.stderr()
                        .startsWith("jsing: warning: the site configuration does not allow --pid (" + "apptainer.conf "
                                + CONF + ":1); running without"),
                r.describe());
        assertEquals("2\n", ok("allow pid ns = yes\n", "exec", "--pid", img, "sh", "-c", "echo $$")); // under the init
    }

    @Test
    void disallowedImageKindsAreRefusedBeforeMounting() throws Exception {
        Result r = jsing("allow container squashfs = no\n", "exec", img, "true");
        assertEquals(ExitCodes.BAD_CONFIG, r.exitCode(), r.describe());
        assertTrue(r.stderr().contains("the site configuration does not allow SQUASHFS images"), r.describe());
        assertEquals(1, r.stderr().lines().count(), r.describe());
    }

    @Test
    void unsupportedDirectivesAreANoticeUnderDebugOnly() throws Exception {
        String conf = "max loop devices = 256\n";
        Result quiet = jsing(conf, "exec", img, "true");
        assertEquals(0, quiet.exitCode(), quiet.describe());
        assertEquals("", quiet.stderr(), quiet.describe());
        Result debug = jsing(conf, "--debug", "exec", img, "true");
        assertTrue(
                debug.stderr().contains("jsing: debug: " + CONF + ":1: 'max loop devices' is not supported"),
                debug.describe());
        Result show = jsing("user bind control = no\n", "config", "show");
        assertTrue(show.stdout().contains("# apptainer.conf: " + CONF), show.describe());
        assertTrue(
                show.stdout().contains("allow-user-binds: false    # apptainer.conf " + CONF + ":1"), show.describe());
    }
}
