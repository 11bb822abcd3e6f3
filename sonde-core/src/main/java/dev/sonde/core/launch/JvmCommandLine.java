package dev.sonde.core.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.io.Reader;

/** Builds the {@code java -agentlib:jdwp=...} command line for a {@link JvmLaunchSpec}. */
final class JvmCommandLine {

    private JvmCommandLine() {
    }

    static List<String> build(JvmLaunchSpec spec) {
        List<String> command = new ArrayList<>();
        command.add(spec.java().toString());
        command.add(agentOption(spec));
        command.addAll(spec.javaArgs());
        return command;
    }

    static String agentOption(JvmLaunchSpec spec) {
        String host = spec.bindAddress().equals("0.0.0.0") ? "*" : spec.bindAddress();
        StringBuilder option = new StringBuilder("-agentlib:jdwp=transport=dt_socket,server=y")
                .append(",suspend=").append(spec.suspend() ? 'y' : 'n')
                .append(",address=").append(host).append(':').append(spec.port());
        // Virtual threads stay invisible to debuggers unless asked for; the option exists from JDK 19 on.
        if (featureVersion(spec.java()) >= 19) {
            option.append(",includevirtualthreads=y");
        }
        return option.toString();
    }

    /** The feature version of the JDK a java executable belongs to, from its {@code release} file; 0 if unknown. */
    static int featureVersion(Path java) {
        Path real;
        try {
            real = java.toRealPath();
        } catch (IOException e) {
            return 0;
        }
        Path javaHome = real.getParent() == null ? null : real.getParent().getParent();
        if (javaHome == null) {
            return 0;
        }
        Path currentHome = Path.of(System.getProperty("java.home"));
        try {
            if (Files.isSameFile(javaHome, currentHome)) {
                return Runtime.version().feature();
            }
        } catch (IOException ignored) {
            // fall through to the release file
        }
        Path release = javaHome.resolve("release");
        if (!Files.isRegularFile(release)) {
            return 0;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(release)) {
            properties.load(reader);
        } catch (IOException e) {
            return 0;
        }
        String version = properties.getProperty("JAVA_VERSION", "").replace("\"", "");
        try {
            String first = version.split("[.+-]")[0];
            int feature = Integer.parseInt(first);
            return feature == 1 ? Integer.parseInt(version.split("\\.")[1]) : feature;
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
