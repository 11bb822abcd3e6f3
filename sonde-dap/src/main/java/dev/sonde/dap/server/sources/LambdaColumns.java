package dev.sonde.dap.server.sources;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.Position;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.expr.LambdaExpr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where lambda bodies start in a Java source file, by line: class files keep lines, not columns, so the columns come
 * from the source when the adapter can read it. Each file is parsed once per version.
 */
public final class LambdaColumns {

    private record Parsed(FileTime modified, Map<Integer, List<Integer>> columns) {
    }

    private final JavaParser parser = new JavaParser(new ParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_21));
    private final Map<Path, Parsed> files = new ConcurrentHashMap<>();

    /** The 1-based columns where lambda bodies start on {@code line}, in source order; none when the file cannot be read. */
    public List<Integer> on(Path file, int line) {
        return all(file).getOrDefault(line, List.of());
    }

    /**
     * Which lambda body a column breakpoint means: the 1-based ordinal among those starting on the line of the one that
     * starts at {@code column}, or 0 when none does (then the breakpoint is for the line).
     */
    public int lambdaAt(Path file, int line, int column) {
        List<Integer> columns = on(file, line);
        return columns.indexOf(column) + 1;
    }

    private Map<Integer, List<Integer>> all(Path file) {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            Parsed known = files.get(file);
            if (known != null && known.modified().equals(modified)) {
                return known.columns();
            }
            Parsed parsed = new Parsed(modified, parse(file));
            files.put(file, parsed);
            return parsed.columns();
        } catch (IOException | RuntimeException unreadable) {
            return Map.of();
        }
    }

    private Map<Integer, List<Integer>> parse(Path file) throws IOException {
        ParseResult<CompilationUnit> result;
        synchronized (parser) {
            result = parser.parse(file);
        }
        Map<Integer, List<Integer>> columns = new TreeMap<>();
        result.getResult().ifPresent(unit -> {
            for (LambdaExpr lambda : unit.findAll(LambdaExpr.class)) {
                lambda.getBody().getBegin().ifPresent((Position begin) ->
                        columns.computeIfAbsent(begin.line, l -> new ArrayList<>()).add(begin.column));
            }
        });
        columns.values().forEach(list -> list.sort(Integer::compare));
        return columns;
    }
}
