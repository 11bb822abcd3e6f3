package dev.sonde.cli.dap;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.sonde.cli.Main;
import dev.sonde.fixtures.Counter;
import dev.sonde.fixtures.Echo;
import dev.sonde.fixtures.Markers;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sonde dap} as editors run it: on stdio with nothing else on standard output, or listening on a port. */
class DapCommandTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void onStdioTheProtocolHasStandardOutputToItselfAndEndsWithTheClient() throws Exception {
        Process sonde = new ProcessBuilder(DapTestSupport.sonde("dap")).start();
        try {
            DapStream dap = new DapStream(sonde.getInputStream(), sonde.getOutputStream());
            JsonObject initialized = dap.response(dap.request("initialize", "{\"adapterID\":\"sonde\"}"));
            assertThat(initialized.get("success").getAsBoolean()).isTrue();
            assertThat(dap.response(dap.request("launch", launch(Echo.class))).get("success").getAsBoolean()).isTrue();
            dap.until(DapStream.event("initialized"));
            dap.response(dap.request("configurationDone", null));
            JsonObject printed = dap.until(m -> DapStream.event("output").test(m)
                    && m.getAsJsonObject("body").get("output").getAsString().startsWith("args="));
            assertThat(printed.getAsJsonObject("body").get("category").getAsString()).isEqualTo("stdout");
            dap.until(DapStream.event("terminated"));
            assertThat(dap.response(dap.request("disconnect", null)).get("success").getAsBoolean()).isTrue();
            assertThat(sonde.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("sonde dap ends after disconnect").isTrue();
            assertThat(sonde.exitValue()).isZero();
        } finally {
            DapTestSupport.destroy(sonde);
        }
    }

    @Test
    void aClientThatGoesAwayOnStdioTakesTheProgramAlong() throws Exception {
        Process sonde = new ProcessBuilder(DapTestSupport.sonde("dap")).start();
        try {
            DapStream dap = new DapStream(sonde.getInputStream(), sonde.getOutputStream());
            dap.response(dap.request("initialize", "{\"adapterID\":\"sonde\"}"));
            assertThat(dap.response(dap.request("launch", launch(Counter.class))).get("success").getAsBoolean()).isTrue();
            dap.response(dap.request("configurationDone", null));
            // Held by the handles found now: once sonde is gone, an orphan is no longer our descendant.
            List<ProcessHandle> program = awaitRunning(Counter.class);
            assertThat(program).as("the launched program").isNotEmpty();
            sonde.getOutputStream().close();
            assertThat(sonde.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("sonde dap ends when its client leaves").isTrue();
            assertThat(sonde.exitValue()).isZero();
            for (ProcessHandle process : program) {
                process.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            DapTestSupport.destroy(sonde);
        }
    }

    @Test
    void listenServesClientsOnThePortItPrints() throws Exception {
        Process sonde = new ProcessBuilder(DapTestSupport.sonde("dap", "--listen", "0")).start();
        try {
            String first = new BufferedReader(new InputStreamReader(sonde.getInputStream(), StandardCharsets.UTF_8)).readLine();
            Matcher port = Pattern.compile("^Listening for DAP clients on 127\\.0\\.0\\.1:(\\d+) ").matcher(first);
            assertThat(port.find()).as(first).isTrue();
            for (int client = 0; client < 2; client++) {
                try (Socket socket = new Socket("127.0.0.1", Integer.parseInt(port.group(1)))) {
                    DapStream dap = new DapStream(socket.getInputStream(), socket.getOutputStream());
                    JsonObject capabilities = dap.response(dap.request("initialize", "{\"adapterID\":\"sonde\"}"));
                    assertThat(capabilities.getAsJsonObject("body").get("supportsConfigurationDoneRequest").getAsBoolean()).isTrue();
                }
            }
        } finally {
            sonde.destroy();
            assertThat(sonde.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("sonde dap --listen stops on SIGTERM").isTrue();
        }
    }

    @Test
    void listenPrintsATokenThatLaunchMustCarryAndClosesAnHttpPostUnread(@org.junit.jupiter.api.io.TempDir java.nio.file.Path directory)
            throws Exception {
        java.nio.file.Path errFile = directory.resolve("err.txt");
        Process sonde = new ProcessBuilder(DapTestSupport.sonde("dap", "--listen", "0")).redirectError(errFile.toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(sonde.getInputStream(), StandardCharsets.UTF_8));
            Matcher port = Pattern.compile("^Listening for DAP clients on 127\\.0\\.0\\.1:(\\d+) ").matcher(out.readLine());
            assertThat(port.find()).isTrue();
            String tokenLine = out.readLine();
            Matcher token = Pattern.compile("^Launch and attach configurations must carry \"sondeToken\": \"([0-9a-f]{32})\"\\.$")
                    .matcher(tokenLine);
            assertThat(token.find()).as(tokenLine).isTrue();
            int listening = Integer.parseInt(port.group(1));

            String launch = launch(Counter.class);
            try (Socket socket = new Socket("127.0.0.1", listening)) {
                socket.setSoTimeout((int) WAIT.toMillis());
                socket.getOutputStream().write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: "
                        + launch.length() + "\r\n\r\n" + launch).getBytes(StandardCharsets.UTF_8));
                assertThat(socket.getInputStream().readAllBytes()).as("the adapter closes an HTTP request unanswered").isEmpty();
            }
            try (Socket socket = new Socket("127.0.0.1", listening)) {
                DapStream dap = new DapStream(socket.getInputStream(), socket.getOutputStream());
                dap.response(dap.request("initialize", "{\"adapterID\":\"sonde\"}"));
                JsonObject refused = dap.response(dap.request("launch", launch));
                assertThat(refused.get("success").getAsBoolean()).isFalse();
                assertThat(refused.get("message").getAsString()).contains("add \"sondeToken\": \"<that token>\"");
                assertThat(running(Counter.class)).isEmpty();
                JsonObject withToken = com.google.gson.JsonParser.parseString(launch).getAsJsonObject();
                withToken.addProperty("sondeToken", token.group(1));
                assertThat(dap.response(dap.request("launch", withToken.toString())).get("success").getAsBoolean()).isTrue();
                assertThat(running(Counter.class)).hasSize(1);
                assertThat(dap.response(dap.request("disconnect", null)).get("success").getAsBoolean()).isTrue();
            }
        } finally {
            sonde.destroy();
            assertThat(sonde.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }
        String err = java.nio.file.Files.readString(errFile);
        assertThat(err).contains("sonde dap: closing connection 1: A message does not start with a Content-Length header but with 'P';");
    }

    @Test
    void socketServesOnAUnixSocketOnlyThisUserCanOpen(@org.junit.jupiter.api.io.TempDir java.nio.file.Path directory) throws Exception {
        java.nio.file.Path path = directory.resolve("dap.sock");
        Process sonde = new ProcessBuilder(DapTestSupport.sonde("dap", "--socket", path.toString())).start();
        try {
            String first = new BufferedReader(new InputStreamReader(sonde.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(first).startsWith("Listening for DAP clients on the Unix socket " + path.toAbsolutePath() + " (only this user");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(path)))
                    .isEqualTo("rw-------");
            try (java.nio.channels.SocketChannel channel = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(path))) {
                DapStream dap = new DapStream(java.nio.channels.Channels.newInputStream(channel), java.nio.channels.Channels.newOutputStream(channel));
                JsonObject capabilities = dap.response(dap.request("initialize", "{\"adapterID\":\"sonde\"}"));
                assertThat(capabilities.get("success").getAsBoolean()).isTrue();
            }
        } finally {
            sonde.destroy();
            assertThat(sonde.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }
        assertThat(path).doesNotExist();
    }

    @Test
    void aListenAddressBeyondLoopbackNeedsAllowRemote() {
        Run refused = run("dap", "--listen", "0.0.0.0:0");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).startsWith("error: Refusing to bind").contains("--allow-remote");
        Run unreadable = run("dap", "--listen", "everywhere");
        assertThat(unreadable.exit()).isEqualTo(2);
        assertThat(unreadable.err().strip()).isEqualTo(
                "error: Cannot read --listen 'everywhere'; write PORT or HOST:PORT, with a port from 0 (any free one) to 65535.");
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = Main.run(args, new ByteArrayInputStream(new byte[0]), outStream, errStream);
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String launch(Class<?> mainClass) {
        JsonObject arguments = new JsonObject();
        arguments.addProperty("mainClass", mainClass.getName());
        JsonArray classPaths = new JsonArray();
        classPaths.add(Markers.classPath().toString());
        arguments.add("classPaths", classPaths);
        arguments.addProperty("vmArgs", "-Xshare:auto -XX:TieredStopAtLevel=1");
        arguments.addProperty("args", "a b");
        return arguments.toString();
    }

    /** The launched JVM's command line is readable a moment after it forks, later still on a busy machine. */
    private static List<ProcessHandle> awaitRunning(Class<?> mainClass) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<ProcessHandle> found = running(mainClass);
        while (found.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            found = running(mainClass);
        }
        return found;
    }

    private static List<ProcessHandle> running(Class<?> mainClass) {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(mainClass.getName())).orElse(false)).toList();
    }
}
