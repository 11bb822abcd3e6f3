package dev.sonde.dap.client.breakpoints;

import dev.sonde.core.model.Location;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Source files as a DAP server names them: by path. A breakpoint written {@code app.py:12} is looked for under the
 * source roots (the script's directory, the working directory); a file not found there is sent as written, and the
 * server judges it (a remote target has its own paths).
 */
public final class SourceFiles {

    private static final Pattern DEFINITION = Pattern.compile("\\s*(?:async\\s+def|def|class)\\s+([A-Za-z_]\\w*).*");

    private final List<Path> roots;

    public SourceFiles(List<Path> roots) {
        this.roots = roots.stream().map(r -> r.toAbsolutePath().normalize()).distinct().toList();
    }

    /** The path to give the server for {@code file}. */
    public String resolve(String file) {
        try {
            Path path = Path.of(file);
            if (path.isAbsolute()) {
                return path.normalize().toString();
            }
            for (Path root : roots) {
                Path candidate = root.resolve(path).normalize();
                if (Files.isRegularFile(candidate)) {
                    return candidate.toString();
                }
            }
        } catch (InvalidPathException notAPath) {
            // the server may know it by this name
        }
        return file;
    }

    /**
     * The Python function whose code {@code line} of a local {@code .py} file is, as a Python frame would name it
     * ({@code <module>} for top-level code); null for other files or a file not here. Read from the indentation:
     * the nearest {@code def} or {@code class} above that encloses the line.
     */
    public static String pythonFunctionAt(String path, int line) {
        if (path == null || !path.endsWith(".py")) {
            return null;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of(path));
        } catch (IOException | InvalidPathException | java.io.UncheckedIOException e) {
            return null;
        }
        if (line < 1 || line > lines.size()) {
            return null;
        }
        int level = Integer.MAX_VALUE;
        for (int i = line - 1; i < lines.size() && level == Integer.MAX_VALUE; i++) {
            if (isCode(lines.get(i))) {
                level = indentation(lines.get(i));
            }
        }
        for (int i = line - 2; i >= 0 && level > 0; i--) {
            String text = lines.get(i);
            if (!isCode(text) || indentation(text) >= level) {
                continue;
            }
            Matcher definition = DEFINITION.matcher(text);
            if (definition.matches()) {
                return definition.group(1);
            }
            level = indentation(text);
        }
        return "<module>";
    }

    private static boolean isCode(String text) {
        String stripped = text.strip();
        return !stripped.isEmpty() && !stripped.startsWith("#");
    }

    private static int indentation(String text) {
        int spaces = 0;
        while (spaces < text.length() && (text.charAt(spaces) == ' ' || text.charAt(spaces) == '\t')) {
            spaces++;
        }
        return spaces;
    }

    /** Whether {@code file} was found on this machine. */
    public boolean found(String resolved) {
        return Path.of(resolved).isAbsolute() && Files.isRegularFile(Path.of(resolved));
    }

    /** Whether two paths from the server (or resolved here) name the same file. */
    public static boolean same(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        if (a.equals(b)) {
            return true;
        }
        try {
            return Files.isSameFile(Path.of(a), Path.of(b));
        } catch (IOException | InvalidPathException e) {
            return false;
        }
    }

    /**
     * A place in a source file, the module named after the file ({@code shop} for {@code /app/shop.py}, the package
     * for an {@code __init__.py}), the file by its name.
     *
     * @param function the function running there, or null
     */
    public static Location location(String path, String function, int line) {
        if (path == null || path.isBlank()) {
            return new Location(function == null ? "?" : function, null, null, line);
        }
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        String fileName = path.substring(slash + 1);
        String module = fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
        if (module.equals("__init__") && slash > 0) {
            String directory = path.substring(0, slash);
            module = directory.substring(Math.max(directory.lastIndexOf('/'), directory.lastIndexOf('\\')) + 1);
        }
        return new Location(module, function, fileName, line);
    }
}
