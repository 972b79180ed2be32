package dev.jsing.runner.launch;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.runner.image.ContainerImage;
import dev.jsing.runner.image.ImageFiles;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --app NAME}: the image must hold the SCIF app ({@code /scif/apps/NAME/scif}), and for {@code run} its
 * {@code runscript}, for {@code test} its {@code test}; otherwise one line and exit 66, before anything is mounted.
 * One listing of {@code /scif/apps}, three levels deep, answers all of it (a full launch only: a replay is keyed on
 * the image's stamp). Inside, the image's own {@code 95-apps.sh} sources the app's environment from {@code
 * APPTAINER_APPNAME}/{@code SINGULARITY_APPNAME}, as under Apptainer.
 */
final class ScifApp {
    private ScifApp() {}

    static void require(ContainerImage image, String unsquashfs, String app, String action) {
        List<String> listing = ImageFiles.list(image, "/scif/apps", 3, unsquashfs);
        List<String> apps = new ArrayList<>();
        for (String p : listing) {
            String[] parts = p.split("/");
            if (parts.length == 2 && parts[1].equals("scif")) {
                apps.add(parts[0]);
            }
        }
        if (!apps.contains(app)) {
            throw new JsingException(
                    ExitCodes.NOT_FOUND,
                    "--app " + app + ": no such app in " + image.path()
                            + (apps.isEmpty()
                                    ? " (it has no SCIF apps)"
                                    : " (its apps: " + String.join(", ", apps) + ")"));
        }
        String file = action.equals("run") ? "runscript" : action.equals("test") ? "test" : null;
        if (file != null && !listing.contains(app + "/scif/" + file)) {
            throw new JsingException(
                    ExitCodes.NOT_FOUND, "--app " + app + ": the app has no " + file + " (" + action + ")");
        }
    }
}
