package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.MinbaseImage;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.SyntheticGpu;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CDI devices ({@code --device}, {@code --cdi-dirs}) from synthetic specs, as the unprivileged test user: a device
 * node (the synthetic /dev/nvidia0 under another name), a mount, environment, and createContainer / startContainer
 * hooks; JSON and YAML, versions 0.5.0 to 0.8.0, {@code =all}; malformed specs and unknown devices.
 */
class CdiIT {
    static TestUser user;
    static Path work;
    static Path specs;
    static Path image;

    @BeforeAll
    static void setUp() throws Exception {
        SyntheticGpu.require();
        user = TestUser.get();
        work = user.newDir("jsing-gpu-cdi-it-");
        image = MinbaseImage.minbase();
        specs = work.resolve("cdi");
        Files.createDirectories(specs);
        Files.createDirectories(work.resolve("share"));
        Files.writeString(work.resolve("share/data.txt"), "cdi mount\n");
        Path hook = work.resolve("hook.sh");
        // A createContainer hook: its uid, argv, environment and OCI state into a marker file; with a third argument
        // (the container's root, as --nvccli's is given), the root's /etc/os-release too.
        Files.writeString(
                hook,
                "#!/bin/sh\n{ echo \"uid=$(id -u)\"; echo \"argv=$*\"; echo \"env=$(env | grep '^HOOKVAR=')\";"
                        + " echo \"state=$(cat)\"; } > \"$1\"\n");
        Commands.ok("chmod", "755", hook.toString());
        Files.writeString(specs.resolve("synthetic.yaml"), """
                cdiVersion: "0.6.0"
                kind: example.com/gpu
                annotations:
                  ignored: "annotations are ignored"
                containerEdits:
                  env: ["JSING_CDI_SPEC=1"]
                  hooks:
                    - hookName: createContainer
                      path: %1$s/hook.sh
                      args: ["hook.sh", "%1$s/created"]
                      env: ["HOOKVAR=from-the-spec"]
                devices:
                  - name: gpu0
                    annotations: {a: b}
                    containerEdits:
                      env: ["JSING_CDI_DEVICE=gpu0"]
                      deviceNodes:
                        - path: /dev/jsing-cdi0
                          hostPath: /dev/nvidia0
                          permissions: rw
                      mounts:
                        - hostPath: %1$s/share
                          containerPath: /opt/cdi-share
                          options: [ro, nosuid, nodev, bind]
                      hooks:
                        - hookName: startContainer
                          path: /bin/sh
                          args: [sh, -c, "echo started-in-container > /tmp/cdi-started"]
                """.formatted(work));
        Files.writeString(specs.resolve("other.json"), """
                {"cdiVersion": "0.8.0", "kind": "example.org/acc",
                 "devices": [
                   {"name": "a", "containerEdits": {"env": ["ACC_A=1"]}},
                   {"name": "b", "containerEdits": {"env": ["ACC_B=1"], "deviceNodes": [{"path": "/dev/nvidiactl"}]}}
                 ]}
                """);
        Files.writeString(specs.resolve("old.json"), """
                {"cdiVersion": "0.5.0", "kind": "example.net/x",
                 "devices": [{"name": "x", "containerEdits": {"env": ["OLD_SPEC=0.5"]}}]}
                """);
        Commands.ok("chmod", "-R", "a+rX", work.toString());
        user.own(work);
    }

    @AfterAll
    static void tearDown() {
        if (work != null) {
            Commands.run("rm", "-rf", work.toString());
        }
    }

    static Result jsing(String... args) {
        return user.run(TestDist.jsing(args), Map.of(), work, Duration.ofMinutes(2));
    }

    /**
     * Pins a YAML spec's edits under --contain: the node usable (ENXIO, not EACCES), the mount read-only, the spec's
     * and the device's variables, the create hook run as the caller with the spec's environment and the OCI state,
     * and the start hook run inside the container before the payload.
     */
    @Test
    void yamlSpecEditsApply() throws Exception {
        Files.deleteIfExists(work.resolve("created"));
        Result r = jsing(
                "exec",
                "--contain",
                "--cdi-dirs",
                specs.toString(),
                "--device",
                "example.com/gpu=gpu0",
                image.toString(),
                "sh",
                "-c",
                "echo $JSING_CDI_SPEC $JSING_CDI_DEVICE; test -c /dev/jsing-cdi0 && echo node;"
                        + " echo x > /dev/jsing-cdi0; cat /opt/cdi-share/data.txt; cat /tmp/cdi-started;"
                        + " touch /opt/cdi-share/new 2>/dev/null || echo read-only");
        assertEquals("1 gpu0\nnode\ncdi mount\nstarted-in-container\nread-only\n", r.stdout(), r.describe());
        assertTrue(r.stderr().contains("No such device or address"), r.describe());
        String created = Files.readString(work.resolve("created"));
        assertTrue(created.contains("uid=" + user.uid() + "\n"), created);
        assertTrue(created.contains("argv=" + work + "/created\n"), created);
        assertTrue(created.contains("env=HOOKVAR=from-the-spec\n"), created);
        assertTrue(
                created.matches("(?s).*state=\\{\"ociVersion\":\"1\\.0\\.2\",\"id\":\"jsing-\\d+\",\"status\":"
                        + "\"creating\",\"pid\":\\d+,.*"),
                created);
        assertEquals(
                String.valueOf(user.uid()),
                Commands.ok("stat", "-c", "%u", work.resolve("created").toString())
                        .trim());
    }

    /** Pins JSON specs of 0.8.0 and 0.5.0, a comma list, {@code =all}, and a node whose host path is its path. */
    @Test
    void jsonSpecsAllAndLists() {
        Result r = jsing(
                "exec",
                "--contain",
                "--cdi-dirs",
                specs.toString(),
                "--device",
                "example.org/acc=all,example.net/x=x",
                image.toString(),
                "sh",
                "-c",
                "echo $ACC_A $ACC_B $OLD_SPEC; test -c /dev/nvidiactl && echo node");
        assertEquals("1 1 0.5\nnode\n", r.stdout(), r.describe());
        Result one = jsing(
                "exec",
                "--cdi-dirs",
                specs.toString(),
                "--device",
                "example.org/acc=a",
                image.toString(),
                "sh",
                "-c",
                "echo ${ACC_A:-} ${ACC_B:-unset}");
        assertEquals("1 unset\n", one.stdout(), one.describe());
    }

    /** Pins the errors: one line each, naming the spec file; a failing hook fails the launch. */
    @Test
    void badSpecsAndUnknownDevices() throws Exception {
        Path bad = user.newDir("jsing-gpu-cdi-bad-");
        try {
            Files.writeString(bad.resolve("broken.yaml"), "cdiVersion: \"0.6.0\"\nkind: [unclosed\n");
            Commands.ok("chmod", "a+r", bad.resolve("broken.yaml").toString());
            expectError(
                    List.of("--cdi-dirs", bad.toString(), "--device", "example.com/gpu=gpu0"),
                    72,
                    "jsing: error: CDI spec " + bad + "/broken.yaml: not valid YAML: ");
            Files.delete(bad.resolve("broken.yaml"));
            Files.writeString(
                    bad.resolve("new.json"),
                    "{\"cdiVersion\":\"0.9.0\",\"kind\":\"a.b/c\",\"devices\":[{\"name\":\"d\",\"containerEdits\":{}}]}");
            Commands.ok("chmod", "a+r", bad.resolve("new.json").toString());
            expectError(
                    List.of("--cdi-dirs", bad.toString(), "--device", "a.b/c=d"),
                    72,
                    "jsing: error: CDI spec " + bad
                            + "/new.json: cdiVersion '0.9.0' is not supported (jsing reads 0.5.0" + " to 0.8.0)\n");
            Files.delete(bad.resolve("new.json"));
            Files.writeString(
                    bad.resolve("fails.json"),
                    "{\"cdiVersion\":\"0.6.0\",\"kind\":\"a.b/c\",\"devices\":[{\"name\":\"d\",\"containerEdits\":"
                            + "{\"hooks\":[{\"hookName\":\"createContainer\",\"path\":\"/bin/sh\","
                            + "\"args\":[\"sh\",\"-c\",\"exit 3\"]}]}}]}");
            Commands.ok("chmod", "a+r", bad.resolve("fails.json").toString());
            expectError(
                    List.of("--cdi-dirs", bad.toString(), "--device", "a.b/c=d"),
                    71,
                    "jsing: error: hook /bin/sh failed with exit status 3");
            Files.delete(bad.resolve("fails.json"));
            Files.writeString(
                    bad.resolve("slow.json"),
                    "{\"cdiVersion\":\"0.6.0\",\"kind\":\"a.b/c\",\"devices\":[{\"name\":\"d\",\"containerEdits\":"
                            + "{\"hooks\":[{\"hookName\":\"startContainer\",\"path\":\"/bin/sleep\","
                            + "\"args\":[\"sleep\",\"60\"],\"timeout\":1}]}}]}");
            Commands.ok("chmod", "a+r", bad.resolve("slow.json").toString());
            expectError(
                    List.of("--cdi-dirs", bad.toString(), "--device", "a.b/c=d"),
                    71,
                    "jsing: error: hook /bin/sleep did not finish within its timeout (1 s)");
            Files.delete(bad.resolve("slow.json"));
            // A "device node" that is a plain file: the starter binds only device nodes and directories of them.
            Files.writeString(
                    bad.resolve("notanode.json"),
                    "{\"cdiVersion\":\"0.6.0\",\"kind\":\"a.b/c\",\"devices\":[{\"name\":\"d\",\"containerEdits\":"
                            + "{\"deviceNodes\":[{\"path\":\"/dev/fake\",\"hostPath\":\"" + bad
                            + "/notanode.json\"}]}}]}");
            Commands.ok("chmod", "a+r", bad.resolve("notanode.json").toString());
            expectError(
                    List.of("--contain", "--cdi-dirs", bad.toString(), "--device", "a.b/c=d"),
                    76,
                    "jsing: error: --dev-bind source " + bad + "/notanode.json is not a device node or a directory");
        } finally {
            Commands.run("rm", "-rf", bad.toString());
        }
        expectError(
                List.of("--cdi-dirs", specs.toString(), "--device", "example.com/gpu=gpu7"),
                72,
                "jsing: error: --device example.com/gpu=gpu7: no device 'gpu7' in the CDI spec " + specs
                        + "/synthetic.yaml (devices: gpu0)\n");
        expectError(
                List.of("--cdi-dirs", specs.toString(), "--device", "nvidia.com/gpu=all"),
                72,
                "jsing: error: --device nvidia.com/gpu=all: no CDI spec of kind nvidia.com/gpu in " + specs + "\n");
        expectError(
                List.of("--device", "gpu0"),
                64,
                "jsing: error: --device 'gpu0' is not a CDI device name (VENDOR/CLASS=NAME)\n");
    }

    private static void expectError(List<String> options, int code, String stderrStart) {
        List<String> argv = new java.util.ArrayList<>(List.of("exec"));
        argv.addAll(options);
        argv.addAll(List.of(image.toString(), "echo", "payload-ran"));
        Result r = jsing(argv.toArray(String[]::new));
        assertEquals(code, r.exitCode(), r.describe());
        assertTrue(r.stderr().startsWith(stderrStart), r.describe());
        assertEquals(1, r.stderr().lines().count(), "one line: " + r.describe());
        assertFalse(r.stdout().contains("payload-ran"), r.describe());
    }
}
