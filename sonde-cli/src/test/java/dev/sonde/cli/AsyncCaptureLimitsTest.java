package dev.sonde.cli;

import dev.sonde.core.agent.AsyncStacksLaunch;
import dev.sonde.fixtures.AsyncStorm;
import dev.sonde.fixtures.Markers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent's async capture stays bounded: chains are cut at the kept depth, a storm is sampled, captures die with their tasks. */
class AsyncCaptureLimitsTest {

    @Test
    @Timeout(120)
    void chainsAreCutAStormIsSampledAndCapturesDieWithTheirTasks() throws Exception {
        List<String> command = new ArrayList<>(List.of(Cli.java().toString()));
        command.addAll(AsyncStacksLaunch.jvmArgs(false));
        command.set(command.size() - 1, command.get(command.size() - 1) + ",async-depth=5,async-rate=1000,async-sample=16");
        command.addAll(List.of("-cp", Markers.classPath().toString(), AsyncStorm.class.getName(), "200000"));
        Process target = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(target.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(target.waitFor()).as(output).isZero();

        assertThat(number(output, "depth")).as(output).isEqualTo(5);
        long captured = number(output, "captured");
        long sampledOut = number(output, "sampledOut");
        assertThat(sampledOut).as("a storm of 400000 hand-offs is mostly sampled out: " + output).isGreaterThan(captured);
        assertThat(captured).as(output).isPositive();
        assertThat(number(output, "table")).as("captures die with their tasks: " + output).isLessThanOrEqualTo(100);
        // the captures' method names are learnt once per method, not per capture, and every frame kept is named
        assertThat(number(output, "walks")).as(output).isPositive().isLessThan(50);
        assertThat(number(output, "fruitless")).as(output).isZero();
        Matcher frames = Pattern.compile("frames=(.*)").matcher(output);
        assertThat(frames.find()).as(output).isTrue();
        assertThat(frames.group(1).split(" ")).as(output).isNotEmpty()
                .allSatisfy(frame -> assertThat(frame).matches("[\\w.$]+\\.[\\w$<>]+@\\d+"))
                .anySatisfy(frame -> assertThat(frame).startsWith(AsyncStorm.class.getName() + ".lambda$reschedule$"));
    }

    private static long number(String output, String name) {
        Matcher matcher = Pattern.compile(name + "=(\\d+)").matcher(output);
        assertThat(matcher.find()).as(name + " in " + output).isTrue();
        return Long.parseLong(matcher.group(1));
    }
}
