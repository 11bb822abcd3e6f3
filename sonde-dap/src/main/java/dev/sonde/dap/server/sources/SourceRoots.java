package dev.sonde.dap.server.sources;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps the client's source files to the paths Sonde knows classes by ({@code com/acme/Orders.java}) and back.
 * Source roots come from the launch or attach request's {@code sourcePaths}; a file outside them is placed by
 * its {@code package} declaration, and a file the client set breakpoints in is found again under its own path.
 */
public final class SourceRoots {

    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\p{javaJavaIdentifierPart}.]+)\\s*;");
    private static final int PACKAGE_SEARCH_LINES = 200;

    private final List<Path> roots;
    /** Client files by the path relative to a source root, as breakpoints named them. */
    private final Map<String, Path> named = new ConcurrentHashMap<>();
    private final Map<String, Optional<Path>> found = new ConcurrentHashMap<>();

    public SourceRoots(List<Path> roots) {
        this.roots = roots.stream().map(root -> root.toAbsolutePath().normalize()).toList();
    }

    public List<Path> roots() {
        return roots;
    }

    /**
     * The file part of a breakpoint spec for a client's source file: its path under a source root, else the path
     * its package declaration gives, else its bare name.
     */
    public String specFile(String clientPath) {
        Path path = Path.of(clientPath).toAbsolutePath().normalize();
        String relative = underRoot(path).or(() -> byPackage(path)).orElse(path.getFileName().toString());
        named.put(relative, path);
        return relative;
    }

    /** The client's file for a source path relative to a root ({@code com/acme/Orders.java}), when there is one. */
    public Optional<Path> find(String sourcePath) {
        if (sourcePath == null) {
            return Optional.empty();
        }
        Path known = named.get(sourcePath);
        if (known != null) {
            return Optional.of(known);
        }
        return found.computeIfAbsent(sourcePath, relative -> roots.stream()
                .map(root -> root.resolve(relative))
                .filter(Files::isRegularFile)
                .findFirst());
    }

    private Optional<String> underRoot(Path path) {
        return roots.stream()
                .filter(path::startsWith)
                .filter(root -> !root.equals(path))
                .findFirst()
                .map(root -> slashes(root.relativize(path)));
    }

    private static Optional<String> byPackage(Path path) {
        String name = path.getFileName().toString();
        if (!name.endsWith(".java") || !Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            String line;
            for (int i = 0; i < PACKAGE_SEARCH_LINES && (line = reader.readLine()) != null; i++) {
                Matcher declaration = PACKAGE.matcher(line);
                if (declaration.find()) {
                    return Optional.of(declaration.group(1).replace('.', '/') + "/" + name);
                }
            }
            return Optional.of(name);
        } catch (IOException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }

    private static String slashes(Path relative) {
        return relative.toString().replace('\\', '/');
    }
}
