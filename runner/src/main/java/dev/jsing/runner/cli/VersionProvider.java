package dev.jsing.runner.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version from the jar manifest, or "dev" when run from classes. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = JsingCommand.class.getPackage().getImplementationVersion();
        return new String[] {"jsing " + (v == null ? "dev" : v)};
    }
}
