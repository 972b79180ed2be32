package dev.jsing.runner.image;

/** This machine's architecture as a SIF arch code (sylabs/sif arch.go). */
final class HostArch {
  private static final String[] NAMES = {
    "unknown", "386", "amd64", "arm", "arm64", "ppc64", "ppc64le", "mips", "mipsle", "mips64", "mips64le", "s390x",
    "riscv64", "loong64"
  };

  private HostArch() {}

  /** The SIF code of the running JVM's architecture, or null when unknown. */
  static String sifCode() {
    String a = System.getProperty("os.arch", "");
    switch (a) {
      case "amd64":
      case "x86_64":
        return "02";
      case "x86":
      case "i386":
        return "01";
      case "aarch64":
        return "04";
      case "arm":
        return "03";
      case "ppc64":
        return "05";
      case "ppc64le":
        return "06";
      case "s390x":
        return "11";
      case "riscv64":
        return "12";
      default:
        return null;
    }
  }

  /** A code's Go architecture name. */
  static String name(String code) {
    try {
      int i = Integer.parseInt(code);
      return i >= 0 && i < NAMES.length ? NAMES[i] : "code " + code;
    } catch (NumberFormatException e) {
      return "code '" + code + "'";
    }
  }
}
