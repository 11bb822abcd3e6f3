package dev.sonde.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.fixtures.Markers;
import dev.sonde.fixtures.Sleeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** ps, doctor, config show, help. */
class ToolsTest {

    @Test
    void psListsADebuggeeWithItsJdwpAddress() {
        try (ServerManager servers = new ServerManager()) {
            DebugServer server = servers.start(JvmLaunchSpec.of(List.of("-cp", Markers.classPath().toString(), Sleeper.class.getName())),
                    (category, text) -> { });
            Cli.Run run = Cli.run("ps", "--json");
            assertThat(run.exit()).as(run.toString()).isZero();
            JsonNode listed = run.json().stream().filter(n -> n.path("pid").asLong() == server.pid()).findFirst()
                    .orElseThrow(() -> new AssertionError("pid " + server.pid() + " not in\n" + run.out()));
            assertThat(listed.path("mainClass").asText()).isEqualTo(Sleeper.class.getName());
            assertThat(listed.path("jdwp").asText()).isEqualTo(server.address().toString());

            Cli.Run text = Cli.run("ps");
            assertThat(text.out()).contains("PID", "MAIN CLASS", "JDWP").contains(Long.toString(server.pid()));
        }
    }

    @Test
    void doctorPassesHereAndFailsOnABrokenConfig(@TempDir Path dir) throws IOException {
        Cli.Run ok = Cli.run("doctor");
        assertThat(ok.exit()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("[ok  ] java", "[ok  ] jdi", "[ok  ] attach", "[ok  ] loopback port", "[ok  ] config", "Sonde is ready.");

        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "attach:\n  timeout: forever\n");
        Cli.Run failed = Cli.run("doctor", "--config", broken.toString());
        assertThat(failed.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(failed.out()).contains("[FAIL] config").contains(broken + ", line 2, key 'attach.timeout'");
    }

    @Test
    void configShowNamesTheSourceOfEachSetting(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("sonde.yaml"), "values:\n  maxElements: 3\n");
        ProcessBuilder process = new ProcessBuilder(Cli.java().toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "config", "show")
                .directory(dir.toFile()).redirectErrorStream(true);
        process.environment().put("SONDE_ATTACH_TIMEOUT", "42s");
        Process running = process.start();
        String out = new String(running.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(running.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(running.exitValue()).as(out).isZero();
        assertThat(out).contains("# from " + dir.resolve("sonde.yaml"))
                .contains("timeout: 42s   # env SONDE_ATTACH_TIMEOUT")
                .contains("maxElements: 3   # " + dir.resolve("sonde.yaml"))
                .contains("maxStringLength: 500   # default");
    }

    @Test
    void configShowJsonAndBrokenFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("custom.json");
        Files.writeString(file, "{\"server\": {\"port\": 5005}}");
        Cli.Run run = Cli.run("config", "show", "--json", "--config", file.toString());
        assertThat(run.exit()).as(run.toString()).isZero();
        JsonNode shown = run.json().get(0);
        assertThat(shown.path("settings").path("server").path("port").asInt()).isEqualTo(5005);
        assertThat(shown.path("sources").path("server.port").asText()).isEqualTo(file.toString());

        Files.writeString(file, "{\"server\": {\"prot\": 5005}}");
        Cli.Run broken = Cli.run("config", "show", "--config", file.toString());
        assertThat(broken.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(broken.err()).startsWith("error: " + file + ", line 1: unknown key 'server.prot'; known keys under server: ");
    }

    @Test
    void helpTeaches() {
        Cli.Run root = Cli.run("--help");
        assertThat(root.exit()).isZero();
        assertThat(root.out()).contains("demo", "debug", "attach", "launch", "snapshot", "ps", "inspect", "doctor", "config", "Exit codes:");
        for (String command : List.of("demo", "debug", "attach", "launch", "snapshot", "ps", "inspect", "doctor")) {
            Cli.Run help = Cli.run(command, "--help");
            assertThat(help.exit()).isZero();
            assertThat(help.out()).as(command).contains("Example");
        }
        Cli.Run unknown = Cli.run("frobnicate");
        assertThat(unknown.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("Unmatched argument").contains("--help");
        Cli.Run helpProbe = Cli.run("help", "probe");
        assertThat(helpProbe.exit()).isZero();
        assertThat(helpProbe.out()).contains("sonde probe", "Example");
    }

    @Test
    void eachCommandIsRegisteredUnderItsOwnName() {
        // a command line naming one command builds only that one, found by the name in SondeCommand.COMMANDS
        SondeCommand.COMMANDS.forEach((name, type) -> assertThat(new picocli.CommandLine(type).getCommandName()).isEqualTo(name));
        assertThat(SondeCommand.commandLine(new SondeCommand(System.out, System.err), new String[] {"probe", "1"}).getSubcommands())
                .containsOnlyKeys("probe");
        assertThat(SondeCommand.commandLine(new SondeCommand(System.out, System.err), new String[] {"--help"}).getSubcommands())
                .containsKeys("help", "probe", "demo").hasSize(SondeCommand.COMMANDS.size() + 1);
    }

    @Test
    void demoRunsEndToEnd() {
        Cli.Run run = Cli.run("demo");
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("(sonde) tbreak Pricing.java:")
                .containsPattern("Breakpoint 1 hit in thread \\d+ \\(virtual\\): Pricing.price \\(Pricing.java:\\d+\\)")
                .contains("→ #0  Pricing.price")
                .containsPattern("— scheduled by thenApplyAsync on \"main\", \\d+ ms earlier —\\s+OrderService\\.lambda\\$submit\\$\\d+ \\(OrderService\\.java:\\d+\\)")
                .contains("subtotal = ")
                .contains("discount = ")
                .contains("virtual")
                .containsPattern("\\[log\\] order \\d+ for \\w+: discount \\d+\\.\\d+")
                .contains("Detached; the target keeps running.")
                .contains("Done in");
        assertThat(run.out()).as("the sonde inspect step")
                .containsPattern("\\$ sonde inspect \\d+")
                .containsPattern("payment\\.charge\\s+\\d+\\s+\\d+\\.\\d%")
                .containsPattern("scope violation: Scope 'request' entered on main#\\d+ was exited on virtual#\\d+, a different thread\\.")
                .containsPattern("leak: session #\\d+ \\S+ registered on virtual#\\d+")
                .containsPattern("recovery 'payments': \\d+ calls, \\d+ attempts, [1-9]\\d* recovered by retrying, 0 gave up")
                .containsPattern("scope violation rate\\s+\\S+\\s+goal below 0\\.1%");
    }
}
