package dev.jsing.runner.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jsing.runner.error.JsingException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The CDI spec reader: versions, JSON and YAML, every edit, and the one-line errors naming the file. */
class CdiSpecTest {
    static final String JSON = """
            {"cdiVersion": "%s", "kind": "vendor.com/gpu", "annotations": {"x": "y"},
             "containerEdits": {"env": ["S=1"]},
             "devices": [{"name": "g0", "annotations": {"a": "b"}, "containerEdits": {
               "env": ["D=2"],
               "deviceNodes": [{"path": "/dev/g0", "hostPath": "/dev/nvidia0", "major": 195, "minor": 0}, {"path": "/dev/g1"}],
               "mounts": [{"hostPath": "/h", "containerPath": "/c", "options": ["ro", "bind"]}, {"hostPath": "/w", "containerPath": "/w"}],
               "hooks": [{"hookName": "createContainer", "path": "/bin/h", "args": ["h", "x"], "env": ["E=1"], "timeout": 7},
                         {"hookName": "startContainer", "path": "/bin/s"}]}}]}
            """;

    /** Pins each supported version read, with every edit kind. */
    @ParameterizedTest
    @ValueSource(strings = {"0.5.0", "0.6.0", "0.7.0", "0.8.0"})
    void readsEveryEdit(String version) {
        CdiSpec s = CdiSpec.parse("/etc/cdi/v.json", JSON.formatted(version));
        assertEquals("vendor.com/gpu", s.kind());
        assertEquals(List.of("S=1"), s.edits().env());
        CdiSpec.Edits e = s.devices().get(0).edits();
        assertEquals("g0", s.devices().get(0).name());
        assertEquals(List.of("D=2"), e.env());
        assertEquals(
                List.of(new CdiSpec.Node("/dev/g0", "/dev/nvidia0"), new CdiSpec.Node("/dev/g1", "/dev/g1")),
                e.nodes());
        assertEquals(
                List.of(new DeviceSetup.Bind("/h", "/c", true), new DeviceSetup.Bind("/w", "/w", false)), e.mounts());
        assertEquals(
                List.of(
                        new DeviceSetup.Hook("create", "/bin/h", List.of("h", "x"), List.of("E=1"), 7, false),
                        new DeviceSetup.Hook("start", "/bin/s", List.of("/bin/s"), List.of(), 0, false)),
                e.hooks());
    }

    /** Pins YAML read as JSON is (the same spec, the same model). */
    @Test
    void yamlEqualsJson() {
        String yaml = """
                cdiVersion: 0.6.0
                kind: vendor.com/gpu
                containerEdits: {env: [S=1]}
                devices:
                  - name: g0
                    containerEdits:
                      env: [D=2]
                      deviceNodes: [{path: /dev/g0, hostPath: /dev/nvidia0}, {path: /dev/g1}]
                      mounts: [{hostPath: /h, containerPath: /c, options: [ro, bind]}, {hostPath: /w, containerPath: /w}]
                      hooks:
                        - {hookName: createContainer, path: /bin/h, args: [h, x], env: [E=1], timeout: 7}
                        - {hookName: startContainer, path: /bin/s}
                """;
        CdiSpec y = CdiSpec.parse("/etc/cdi/v.yaml", yaml);
        CdiSpec j = CdiSpec.parse("/etc/cdi/v.yaml", JSON.formatted("0.6.0"));
        assertEquals(j.edits(), y.edits());
        assertEquals(j.devices(), y.devices());
    }

    /** Pins the error line for each kind of malformed spec: the file, then what is wrong. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"kind\": \"a.b/c\", \"devices\": []}|cdiVersion is missing (jsing reads 0.5.0 to 0.8.0)",
                "{\"cdiVersion\": \"0.4.0\"}|cdiVersion '0.4.0' is not supported (jsing reads 0.5.0 to 0.8.0)",
                "{\"cdiVersion\": \"0.6.0\", \"kind\": \"nokind\"}|kind 'nokind' is not VENDOR/CLASS",
                "{\"cdiVersion\": \"0.6.0\", \"kind\": \"a.b/c\", \"devices\": []}|devices must be a non-empty list",
                "{\"cdiVersion\": \"0.6.0\", \"kind\": \"a.b/c\", \"devices\": [{\"name\": \"d\"}]}|device 'd' has no"
                        + " containerEdits",
                "{\"cdiVersion\": \"0.6.0\", \"kind\": \"a.b/c\", \"devices\": [{\"name\": \"d\", \"containerEdits\":"
                        + " {\"env\": [\"NOVALUE\"]}}]}|device 'd': env entry 'NOVALUE' is not NAME=VALUE",
                "{\"cdiVersion\": \"0.6.0\", \"kind\": \"a.b/c\", \"devices\": [{\"name\": \"d\", \"containerEdits\":"
                        + " {\"mounts\": [{\"hostPath\": \"/a\", \"containerPath\": \"/b\", \"type\": \"tmpfs\"}]}}]}|"
                        + "device 'd': mount type 'tmpfs' is not supported (only bind mounts)",
                "{\"cdiVersion\": \"0.6.0\", \"kind\": \"a.b/c\", \"devices\": [{\"name\": \"d\", \"containerEdits\":"
                        + " {\"hooks\": [{\"hookName\": \"poststop\", \"path\": \"/x\"}]}}]}|device 'd': hook poststop is"
                        + " not supported (no jsing process remains once the payload runs)",
                "[1, 2|not valid JSON: bad JSON at offset 5: unterminated array",
            })
    void malformedSpecsAreOneLineNamingTheFile(String text, String message) {
        JsingException e = assertThrows(JsingException.class, () -> CdiSpec.parse("/etc/cdi/x.json", text));
        assertEquals(72, e.exitCode());
        assertEquals("CDI spec /etc/cdi/x.json: " + message, e.getMessage());
    }
}
