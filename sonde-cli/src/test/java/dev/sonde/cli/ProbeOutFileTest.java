package dev.sonde.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.fixtures.Markers;
import dev.sonde.fixtures.Probed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** `sonde probe PID --out FILE.jsonl`: every event also appended to a file only its owner can read, the console going on. */
class ProbeOutFileTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LABEL = "Probed.java:" + Markers.line(Probed.class, "order-label");
    @RegisterExtension
    static final ProbeTarget target = new ProbeTarget(Probed.class);

    @TempDir
    Path dir;

    private static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    /** Polls the file until {@code done} holds for its lines, for at most 20 s. */
    private static List<JsonNode> awaitLines(Path file, Predicate<List<JsonNode>> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<JsonNode> lines = lines(file);
        while (!done.test(lines) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            lines = lines(file);
        }
        return lines;
    }

    private static long count(List<JsonNode> lines, String event) {
        return lines.stream().filter(l -> l.path("event").asText().equals(event)).count();
    }

    /** A console run of `sonde probe` fed {@code command}, left with detach once the file's lines satisfy {@code done}. */
    private static Cli.Run consoleRun(Path file, String command, Predicate<List<JsonNode>> done, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("probe", target.pid(), "--out", file.toString()));
        args.addAll(List.of(flags));
        PipedOutputStream console = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(console);
        CompletableFuture<Cli.Run> running = CompletableFuture.supplyAsync(() -> Cli.run(in, args.toArray(String[]::new)));
        console.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        console.flush();
        awaitLines(file, done);
        console.write("detach\n".getBytes(StandardCharsets.UTF_8));
        console.close();
        return running.get(30, TimeUnit.SECONDS);
    }

    @Test
    void everyEventIsAppendedAsAJsonLineToAFileOnlyItsOwnerCanReadWhileTheConsoleGoesOn() throws Exception {
        Path file = dir.resolve("probes.jsonl");
        Cli.Run run = consoleRun(file, "snap " + LABEL + " max 3 watch total", lines -> count(lines, "removed") == 1);
        assertThat(run.exit()).as(run.toString()).isZero();
        List<JsonNode> written = lines(file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(written).allSatisfy(line -> assertThat(line.path("type").asText()).isEqualTo("event"));
        List<JsonNode> snapshots = written.stream().filter(l -> l.path("event").asText().equals("snapshot")).toList();
        assertThat(snapshots).as(run.toString()).hasSize(3).allSatisfy(snap -> {
            assertThat(snap.path("source").asText()).isEqualTo("agent");
            assertThat(snap.path("frames").get(0).path("method").asText()).isEqualTo("order");
            assertThat(snap.path("watches").get(0).path("expression").asText()).isEqualTo("total");
        });
        int probe = snapshots.get(0).path("probe").asInt();
        // the console printed the same snapshots, as text
        assertThat(run.out()).contains("[probe " + probe + "] snapshot #1", "[probe " + probe + "] snapshot #3");
        assertThat(run.out()).doesNotContain("{\"type\"");

        // a second run appends; with --json its console lines are the file's
        Cli.Run second = consoleRun(file, "snap " + LABEL + " max 1", lines -> count(lines, "removed") == 2, "--json");
        assertThat(second.exit()).as(second.toString()).isZero();
        List<JsonNode> appended = lines(file);
        assertThat(appended.subList(0, written.size())).isEqualTo(written);
        assertThat(second.events("snapshot")).as(second.toString()).hasSize(1);
        assertThat(appended.subList(written.size(), appended.size())).isEqualTo(second.json().stream()
                .filter(n -> n.path("type").asText().equals("event")).toList());
    }

    @Test
    void aPathThatCannotBeWrittenIsOneSentenceAndNoAgentLoads() throws IOException {
        Cli.Run missing = Cli.run("probe", target.pid(), "--out", dir.resolve("no/such/dir/probes.jsonl").toString(), "--exec", "probes");
        assertThat(missing.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err().strip()).isEqualTo("error: --out " + dir.resolve("no/such/dir/probes.jsonl")
                + " is in a directory that does not exist; create it or give another path.");
        assertThat(missing.out()).isEmpty();

        Cli.Run directory = Cli.run("probe", target.pid(), "--json", "--out", dir.toString(), "--exec", "probes");
        assertThat(directory.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(directory.result("out", 0).path("error").asText())
                .isEqualTo("--out " + dir + " is a directory; give a file, as in --out probes.jsonl.");
    }
}
