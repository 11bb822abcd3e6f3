package dev.sonde.cli;

import dev.sonde.fixtures.JavalinShop;
import dev.sonde.fixtures.Markers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11's trial: a Javalin 7 handler on a virtual thread calls {@code supplyAsync}; at a stop in the supplied
 * function, {@code where} shows the handler's frames in the async part, not only ForkJoinPool's.
 */
class JavalinAsyncStacksTest {

    private static String at(String mark) {
        return "JavalinShop.java:" + Markers.line(JavalinShop.class, mark);
    }

    @Test
    @Timeout(180)
    void whereInTheSuppliedFunctionShowsTheRequestHandler(@TempDir Path directory) throws Exception {
        Path portFile = directory.resolve("port");
        // The request is sent once the service has written its port, while the console waits for the stop.
        CompletableFuture<HttpResponse<String>> request = CompletableFuture.supplyAsync(() -> send(portFile));
        String classPath = Markers.classPath() + File.pathSeparator + libraries();
        Cli.Run run = Cli.run(Cli.input("break " + at("total"), "cont", "wait 120s", "where", "quit"),
                "debug", "--", "-XX:TieredStopAtLevel=1", "-cp", classPath, JavalinShop.class.getName(), portFile.toString());
        request.cancel(true);

        assertThat(run.exit()).as(run.toString()).isZero();
        String out = run.out();
        int async = out.indexOf("— scheduled by supplyAsync on virtual#");
        assertThat(async).as(run.toString()).isPositive();
        assertThat(out.substring(0, async)).as("the thread's own stack is the pool's").contains("JavalinShop.total (" + at("total") + ")")
                .doesNotContain("JavalinShop.handleTotal");
        assertThat(out.substring(async)).as(run.toString()).contains("JavalinShop.handleTotal (" + at("handler-supplies") + ")");
    }

    /**
     * The library jars of this test's class path, Javalin and Jetty among them (sonde-dashboard depends on them), without
     * Sonde's own modules: the agent's classes there, unshaded, would shadow the agent jar's in the target.
     */
    private static String libraries() {
        String libraries = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.endsWith(".jar") && !Path.of(entry).getFileName().toString().startsWith("sonde-"))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(libraries).as("Javalin on the test's class path").contains("javalin-");
        return libraries;
    }

    /** GET /total/3 once the port file is there; the answer comes only after the stop is resumed, if ever. */
    private static HttpResponse<String> send(Path portFile) {
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!Files.exists(portFile)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the service wrote no port file");
                }
                Thread.sleep(20);
            }
            int port = Integer.parseInt(Files.readString(portFile).trim());
            try (HttpClient client = HttpClient.newHttpClient()) {
                return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/total/3")).build(),
                        HttpResponse.BodyHandlers.ofString());
            }
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }
}
