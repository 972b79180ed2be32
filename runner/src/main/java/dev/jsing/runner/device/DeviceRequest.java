package dev.jsing.runner.device;

import java.util.List;

/**
 * The device options of a launch, as given: {@code --nv}, {@code --nvccli}, {@code --rocm}, their {@code --no-}
 * forms, {@code --device} (CDI names, comma lists allowed) and {@code --cdi-dirs}.
 */
public record DeviceRequest(
        boolean nv,
        boolean nvccli,
        boolean rocm,
        boolean noNv,
        boolean noRocm,
        List<String> devices,
        List<String> cdiDirs) {
    /** CDI's default spec directories, lowest priority first (a later directory's spec wins). */
    public static final List<String> DEFAULT_CDI_DIRS = List.of("/etc/cdi", "/var/run/cdi");

    public static final DeviceRequest NONE = new DeviceRequest(false, false, false, false, false, List.of(), List.of());

    public DeviceRequest {
        devices = List.copyOf(devices);
        cdiDirs = List.copyOf(cdiDirs);
    }

    /** Whether NVIDIA support is asked for ({@code --nvccli} implies {@code --nv}) and not cancelled by {@code --no-nv}. */
    public boolean nvidia() {
        return (nv || nvccli) && !noNv;
    }

    public boolean amd() {
        return rocm && !noRocm;
    }

    /** Whether the launch needs device planning at all. */
    public boolean any() {
        return nvidia() || amd() || !devices.isEmpty();
    }

    /** The CDI device names, comma lists split. */
    public List<String> deviceNames() {
        List<String> out = new java.util.ArrayList<>();
        for (String d : devices) {
            for (String s : d.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }

    /** The CDI spec directories: {@code --cdi-dirs} (comma lists split), else {@link #DEFAULT_CDI_DIRS}. */
    public List<String> specDirs() {
        List<String> out = new java.util.ArrayList<>();
        for (String d : cdiDirs) {
            for (String s : d.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out.isEmpty() ? DEFAULT_CDI_DIRS : out;
    }

    public DeviceRequest withNv(boolean v) {
        return new DeviceRequest(v, nvccli, rocm, noNv, noRocm, devices, cdiDirs);
    }

    public DeviceRequest withNvccli(boolean v) {
        return new DeviceRequest(nv, v, rocm, noNv, noRocm, devices, cdiDirs);
    }

    public DeviceRequest withRocm(boolean v) {
        return new DeviceRequest(nv, nvccli, v, noNv, noRocm, devices, cdiDirs);
    }

    public DeviceRequest withNoNv(boolean v) {
        return new DeviceRequest(nv, nvccli, rocm, v, noRocm, devices, cdiDirs);
    }

    public DeviceRequest withNoRocm(boolean v) {
        return new DeviceRequest(nv, nvccli, rocm, noNv, v, devices, cdiDirs);
    }

    public DeviceRequest withDevice(String v) {
        List<String> l = new java.util.ArrayList<>(devices);
        l.add(v);
        return new DeviceRequest(nv, nvccli, rocm, noNv, noRocm, l, cdiDirs);
    }

    public DeviceRequest withCdiDir(String v) {
        List<String> l = new java.util.ArrayList<>(cdiDirs);
        l.add(v);
        return new DeviceRequest(nv, nvccli, rocm, noNv, noRocm, devices, l);
    }
}
