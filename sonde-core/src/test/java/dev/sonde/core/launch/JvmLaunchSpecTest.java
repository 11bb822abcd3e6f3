package dev.sonde.core.launch;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class JvmLaunchSpecTest {

    @Test
    void defaultsAreLoopbackAFreePortAndNoHold() {
        JvmLaunchSpec spec = JvmLaunchSpec.of(List.of("-cp", "classes", "com.acme.Main"));

        assertThat(spec.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(spec.port()).isZero();
        assertThat(spec.allowRemote()).isFalse();
        assertThat(spec.suspend()).isFalse();
        assertThat(spec.environment()).isEmpty();
        assertThat(spec.java()).isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    @Test
    void theCommandIsJavaTheAgentThenTheArguments() {
        JvmLaunchSpec spec = JvmLaunchSpec.of(List.of("-cp", "classes", "com.acme.Main", "x")).withSuspend(true).withBind("::1", 5005, false);

        List<String> command = spec.describeCommand();

        assertThat(command.get(0)).isEqualTo(spec.java().toString());
        assertThat(command.get(1)).isEqualTo("-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=::1:5005"
                + ",includevirtualthreads=y");
        assertThat(command.subList(2, command.size())).containsExactly("-cp", "classes", "com.acme.Main", "x");
        assertThat(JvmCommandLine.agentOption(spec.withBind("0.0.0.0", 1, true))).contains(",address=*:1,");
        assertThat(JvmCommandLine.featureVersion(spec.java())).isEqualTo(Runtime.version().feature());
        assertThat(JvmCommandLine.featureVersion(Path.of("/no/such/java"))).isZero();
    }

    @Test
    void badArgumentsAreRefused() {
        assertThat(catchThrowableOfType(SondeException.class, () -> JvmLaunchSpec.of(List.of())).getMessage())
                .isEqualTo("No java arguments given; put them after --, for example: -- -cp build/classes com.acme.Main");
        SondeException ownAgent = catchThrowableOfType(SondeException.class, () -> JvmLaunchSpec.of(
                List.of("-agentlib:jdwp=transport=dt_socket,server=y", "-cp", "x", "Main")));
        assertThat(ownAgent.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
        assertThat(ownAgent.getMessage()).isEqualTo("The java arguments already contain -agentlib:jdwp=transport=dt_socket,server=y;"
                + " remove it, Sonde adds its own debug agent.");
        assertThat(catchThrowableOfType(SondeException.class, () -> JvmLaunchSpec.of(List.of("-Xdebug", "Main"))).kind())
                .isEqualTo(ErrorKind.INVALID_INPUT);
        assertThat(catchThrowableOfType(SondeException.class, () -> JvmLaunchSpec.of(List.of("Main")).withJava(Path.of("/no/such/java")))
                .getMessage()).isEqualTo("Java executable /no/such/java does not exist or cannot be run; give the path to a java binary.");
    }

    @Test
    void withersKeepEverythingElse() {
        JvmLaunchSpec spec = JvmLaunchSpec.of(List.of("Main")).withEnvironment(Map.of("A", "1")).withInheritStdin(true)
                .withWorkingDirectory(Path.of("/tmp")).withSuspend(true);

        assertThat(spec.environment()).containsEntry("A", "1");
        assertThat(spec.inheritStdin()).isTrue();
        assertThat(spec.workingDirectory()).isEqualTo(Path.of("/tmp"));
        assertThat(spec.suspend()).isTrue();
        assertThat(spec.javaArgs()).containsExactly("Main");
    }
}
