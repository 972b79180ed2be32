package dev.jsing.runner.main;

import dev.jsing.runner.cli.JsingCommand;
import dev.jsing.runner.cli.action.ActionMain;
import dev.jsing.runner.cli.action.GlobalFlags;
import java.io.PrintWriter;

/**
 * Entry point of the {@code jsing} command. The container actions take their own lean path (no picocli; start-up time
 * is paid once per launch, per MPI rank); everything else goes through the picocli tree.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        GlobalFlags.applyConfig(args);
        int i = ActionMain.actionIndex(args);
        if (i >= 0) {
            System.exit(ActionMain.run(
                    args, i, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
        }
        System.exit(JsingCommand.run(args));
    }
}
