package dev.jsing.runner.device;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A GPU file list ({@code nvliblist.conf}, {@code rocmliblist.conf}): one name a line, {@code #} comments. The site's
 * file in the configuration directory wins over the list jsing ships (Apptainer's names).
 */
final class LibList {
    private LibList() {}

    /** The list named {@code name}: the site's {@code siteDir/name} when it exists, else the shipped one. */
    static List<String> load(DeviceHost host, String siteDir, String name) {
        String site = siteDir + "/" + name;
        String text;
        if (host.exists(site)) {
            try {
                text = host.read(site);
            } catch (IOException e) {
                throw new JsingException(ExitCodes.BAD_CONFIG, site + ": cannot read: " + e.getMessage());
            }
        } else {
            try (InputStream in = LibList.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new JsingException(ExitCodes.INTERNAL, "the shipped " + name + " is missing");
                }
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new JsingException(ExitCodes.INTERNAL, "cannot read the shipped " + name + ": " + e.getMessage());
            }
        }
        return parse(text);
    }

    static List<String> parse(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String s = line.strip();
            if (!s.isEmpty() && !s.startsWith("#")) {
                out.add(s);
            }
        }
        return out;
    }
}
