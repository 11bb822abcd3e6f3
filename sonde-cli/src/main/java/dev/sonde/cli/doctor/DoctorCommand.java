package dev.sonde.cli.doctor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.tools.attach.VirtualMachine;
import dev.sonde.cli.ExitCodes;
import dev.sonde.cli.GlobalOptions;
import dev.sonde.cli.SondeCommand;
import dev.sonde.cli.launch.ServerOptions;
import dev.sonde.core.config.ConfigLoader;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.launch.BindChoice;
import dev.sonde.core.launch.PythonFinder;
import dev.sonde.jdi.JdiCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code sonde doctor}: is this machine ready for Sonde? */
@Command(name = "doctor",
        mixinStandardHelpOptions = true,
        description = {"Check what Sonde needs: Java 21+, JDI and the Attach API, binding a loopback port, a valid",
                "configuration; and optional peers (python3 with debugpy, for Python targets).",
                "Exits non-zero when a required part is missing, and says how to fix it."},
        footer = {"", "Examples:", "  sonde doctor", "  sonde doctor --json"})
public final class DoctorCommand implements Callable<Integer> {

    /** The result of one check. A failed required check makes doctor fail; a failed optional one only warns. */
    record Check(String name, boolean required, boolean passed, String detail, String fix) {
    }

    @ParentCommand
    SondeCommand root;

    @Mixin
    GlobalOptions global;

    @Option(names = "--json", description = "One JSON object per check per line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<Check> checks = new ArrayList<>();
        checks.add(java());
        checks.add(jdi());
        checks.add(attachApi());
        checks.add(loopback());
        checks.add(config());
        checks.add(listening());
        checks.add(python());
        print(checks, root.out());
        return checks.stream().anyMatch(c -> c.required() && !c.passed()) ? ExitCodes.FAILED : ExitCodes.OK;
    }

    private void print(List<Check> checks, PrintStream out) throws IOException {
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            for (Check check : checks) {
                ObjectNode node = mapper.createObjectNode().put("check", check.name()).put("required", check.required())
                        .put("ok", check.passed()).put("detail", check.detail());
                if (!check.passed()) {
                    node.put("fix", check.fix());
                }
                out.println(mapper.writeValueAsString(node));
            }
            return;
        }
        for (Check check : checks) {
            String mark = check.passed() ? "ok  " : check.required() ? "FAIL" : "warn";
            out.printf("[%s] %-22s %s%n", mark, check.name(), check.detail());
            if (!check.passed()) {
                out.printf("       %-22s %s%n", "", "fix: " + check.fix());
            }
        }
        long failed = checks.stream().filter(c -> c.required() && !c.passed()).count();
        out.println(failed == 0 ? "Sonde is ready." : failed + " required check" + (failed == 1 ? "" : "s") + " failed.");
    }

    private static Check java() {
        int feature = Runtime.version().feature();
        String detail = "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ") at " + System.getProperty("java.home");
        return new Check("java", true, feature >= 21, detail, "install a JDK 21 or newer (e.g. apt-get install openjdk-21-jdk) and set JAVA_HOME");
    }

    private static Check jdi() {
        JdiCheck jdi = JdiCheck.run();
        return new Check("jdi", true, jdi.passed(), jdi.detail(), jdi.fix());
    }

    private static Check attachApi() {
        try {
            int count = VirtualMachine.list().size();
            return new Check("attach", true, true, "Attach API works (" + count + " local JVM" + (count == 1 ? "" : "s") + " visible)", "");
        } catch (LinkageError | RuntimeException e) {
            return new Check("attach", true, false, "Attach API unavailable (" + e.getMessage() + ")",
                    "run Sonde on a full JDK that includes jdk.attach; `sonde ps` and `inspect` need it");
        }
    }

    private static Check loopback() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new Check("loopback port", true, true, "bound " + socket.getInetAddress().getHostAddress() + ":" + socket.getLocalPort(), "");
        } catch (IOException e) {
            return new Check("loopback port", true, false, "cannot bind a loopback port (" + e.getMessage() + ")",
                    "check that the loopback interface is up and that no sandbox forbids listening sockets");
        }
    }

    private Check config() {
        try {
            ConfigLoader.Loaded loaded = global.loadConfig();
            return new Check("config", true, true, loaded.file() == null ? "defaults (no sonde.yaml here)" : "valid: " + loaded.file(), "");
        } catch (SondeException e) {
            return new Check("config", true, false, e.getMessage(), "fix the file, or see `sonde config show --help`");
        }
    }

    /**
     * Settings that open a port beyond loopback, or an executable chosen by a config file found in the working directory
     * (which may have come with a cloned repository): allowed, but never without a word.
     */
    private Check listening() {
        ConfigLoader.Loaded loaded;
        try {
            loaded = global.loadConfig();
        } catch (SondeException e) {
            return new Check("listening", false, true, "not checked (the configuration is invalid)", "");
        }
        List<String> findings = new ArrayList<>();
        for (var section : List.of(Map.entry("server", "the debug port"), Map.entry("dashboard", "the dashboard"))) {
            BindChoice choice = BindChoice.of(loaded, section.getKey());
            try {
                choice.requireConsent(section.getValue());
                choice.warning(section.getValue(), null).ifPresent(w -> findings.add(w.substring("warning: ".length())));
            } catch (SondeException refused) {
                findings.add(refused.getMessage());
            }
        }
        ServerOptions.javaNote(loaded).ifPresent(n -> findings.add(n.substring("note: ".length())));
        if (findings.isEmpty()) {
            return new Check("listening", false, true, "debug ports and the dashboard bind loopback only", "");
        }
        return new Check("listening", false, false, String.join(" ", findings),
                "bind 127.0.0.1 (server.bind, dashboard.bind) unless the network is trusted, and check any config file you did not write");
    }

    /** The Python that `sonde debug --python` would use: python3 on the PATH if it has debugpy, else the system's. */
    private static Check python() {
        try {
            PythonFinder.Python python = PythonFinder.find(null);
            return new Check("python debugpy", false, true, "debugpy " + python.debugpyVersion() + " with " + python.executable()
                    + " (Python " + python.version() + ")", "");
        } catch (SondeException e) {
            return new Check("python debugpy", false, false, "no python3 with debugpy found (only needed for Python targets)",
                    "apt-get install python3-debugpy, or pip install debugpy (or choose a Python with --python-exe)");
        }
    }
}
