package dev.aimle.app.cli;

import dev.aimle.app.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * One in-process run of the CLI with captured output.
 *
 * @param code the exit code
 * @param out what went to stdout
 * @param err what went to stderr
 * @param args the arguments, for failure messages
 */
public record CliRun(int code, String out, String err, String args) {

    /** Runs {@code aimle args} with the given environment variables and installation directory. */
    public static CliRun run(Map<String, String> env, Path home, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new CliEnvironment(env, home), new PrintWriter(out), new PrintWriter(err));
        return new CliRun(code, out.toString(), err.toString(), String.join(" ", Arrays.asList(args)));
    }

    /** Everything, for assertion messages. */
    public String describe() {
        return "aimle " + args + " -> exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
