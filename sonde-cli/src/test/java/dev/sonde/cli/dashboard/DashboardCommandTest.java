package dev.sonde.cli.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.cli.Cli;
import dev.sonde.cli.ExitCodes;
import dev.sonde.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sonde dashboard} as a user runs it: its printed URL, its settings file reloaded while it runs, and bad input. */
class DashboardCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void printsItsUrlReloadsItsSettingsAndSurvivesABrokenEdit() throws Exception {
        Path config = dir.resolve("sonde.yaml");
        Path tokenFile = dir.resolve("tokens/scrape");
        Files.writeString(config, "dashboard:\n  interval: 300ms\n  scrapeTokenFile: " + tokenFile + "\n");
        Process dashboard = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "dashboard", "--config", config.toString(), "--no-local").start();
        List<String> out = lines(dashboard.getInputStream());
        List<String> err = lines(dashboard.getErrorStream());
        try {
            String url = await(out, line -> line.startsWith("Sonde dashboard: http://127.0.0.1:")).substring("Sonde dashboard: ".length());
            assertThat(await(out, line -> line.startsWith("Prometheus: "))).endsWith("with the bearer token in " + tokenFile);
            assertThat(Files.getPosixFilePermissions(tokenFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            String base = url.substring(0, url.indexOf("/?token="));
            String token = url.substring(url.indexOf("token=") + 6);
            assertThat(overview(base, token).path("dashboard").path("intervalMillis").asLong()).isEqualTo(300);
            HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                    .header("Authorization", "Bearer " + Files.readString(tokenFile).strip()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.statusCode()).isEqualTo(200);

            Files.writeString(config, "dashboard:\n  interval: [not, a, duration]\n");
            String complaint = await(err, line -> line.startsWith("The changed settings were not applied"));
            assertThat(complaint).contains("interval").doesNotContain("Exception");
            assertThat(overview(base, token).path("dashboard").path("intervalMillis").asLong()).as("still serving, as before").isEqualTo(300);

            Files.writeString(config, "dashboard:\n  interval: 700ms\n  amberAt: 0.5\n");
            assertThat(await(out, line -> line.startsWith("Settings reloaded: every 700ms"))).contains("amber at 50%");
            assertThat(overview(base, token).path("dashboard").path("intervalMillis").asLong()).isEqualTo(700);
        } finally {
            dashboard.destroy();
            assertThat(dashboard.waitFor(30, TimeUnit.SECONDS)).as("Ctrl-C (SIGTERM) ends it").isTrue();
        }
    }

    @Test
    void badInputIsOneSentence() throws IOException {
        Cli.Run remote = Cli.run("dashboard", "--bind", "0.0.0.0", "--no-local");
        assertThat(remote.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(remote.err()).startsWith("error: Refusing to bind the dashboard to 0.0.0.0").contains("--allow-remote");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli.Run busy = Cli.run("dashboard", "--port", Integer.toString(taken.getLocalPort()), "--no-local");
            assertThat(busy.exit()).isEqualTo(ExitCodes.USAGE);
            assertThat(busy.err()).contains(":" + taken.getLocalPort()).contains("choose another --port").hasLineCount(1);
        }
        Cli.Run tooOften = Cli.run("dashboard", "--interval", "10ms", "--no-local");
        assertThat(tooOften.err()).startsWith("error: The poll interval 10 ms is too short").hasLineCount(1);
        Cli.Run badToken = Cli.run("dashboard", "--no-local", "--config", writeConfig("dashboard:\n  scrapeTokenFile: " + writeFile("short", "abc") + "\n"));
        assertThat(badToken.err()).contains("holds no usable token").hasLineCount(1);
    }

    private String writeConfig(String text) throws IOException {
        return writeFile("bad.yaml", text);
    }

    private String writeFile(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file.toString();
    }


    private static JsonNode overview(String base, String token) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/overview"))
                .header("X-Sonde-Token", token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<String> lines(InputStream stream) {
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                }
            } catch (IOException ended) {
                // the process ended
            }
        });
        return lines;
    }

    private static String await(List<String> lines, Predicate<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : lines) {
                if (wanted.test(line)) {
                    return line;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("never printed the line wanted within " + WAIT.toSeconds() + " s; printed: " + lines);
    }
}
