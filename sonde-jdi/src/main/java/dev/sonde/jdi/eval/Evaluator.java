package dev.sonde.jdi.eval;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.Problem;
import com.github.javaparser.ast.expr.Expression;
import com.sun.jdi.ClassType;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VirtualMachine;
import dev.sonde.core.error.SondeException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates Java expressions against suspended frames of one target VM. An expression is parsed once with JavaParser
 * ({@link #compile}) and then evaluated as often as needed; what resolves per code location is resolved once there.
 * Thread-safe.
 */
public final class Evaluator {

    private static final Pattern UNEXPECTED = Pattern.compile("Encountered unexpected token:\\s*(<EOF>|\"((?:[^\"\\\\]|\\\\.)*)\")");
    private static final Pattern COLUMN = Pattern.compile("column (\\d+)");

    private record TypeKey(VirtualMachine vm, String name) {
    }

    private final JavaParser parser = new JavaParser(new ParserConfiguration()
            .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_21));
    private final TargetCalls calls = new TargetCalls();
    private final Memo<TypeKey, ReferenceType> loadedTypes = new Memo<>();
    private final Memo<ReferenceType, Method> toStrings = new Memo<>();

    /** Parses an expression for evaluation; a malformed one is an error saying where it goes wrong. */
    public CompiledExpression compile(String source) {
        if (source == null || source.isBlank()) {
            throw SondeException.invalidInput("Nothing to evaluate; give an expression such as order.items[0].");
        }
        ParseResult<Expression> result;
        synchronized (parser) {
            result = parser.parseExpression(source);
        }
        if (!result.isSuccessful() || result.getResult().isEmpty()) {
            String problem = result.getProblems().stream().findFirst().map(Evaluator::describe).orElse("not an expression");
            throw SondeException.invalidInput("Cannot parse '" + source + "' as a Java expression (" + problem
                    + "); check it, for example order.items[0].");
        }
        return Compiler.compile(this, source, result.getResult().get());
    }

    /**
     * Whether {@code thread} is running code for an evaluation right now. Events that code triggers (a breakpoint in a
     * method the expression calls) are not stops: the event loop resumes them and the evaluation goes on.
     */
    public boolean isEvaluating(ThreadReference thread) {
        return calls.isBusy(thread);
    }

    /**
     * Tells the evaluator that the target is dying or gone (a VMDeath or VMDisconnect event): from now on a call that
     * takes too long is not interrupted, since interrupting a thread of a VM that shuts down crashes its JDWP agent.
     */
    public void targetDying() {
        calls.vmDying();
    }

    TargetCalls calls() {
        return calls;
    }

    /** A loaded class by its exact name ({@code java.lang.Integer}, {@code int[]}), or null. */
    ReferenceType loadedType(VirtualMachine vm, String name) {
        TypeKey key = new TypeKey(vm, name);
        ReferenceType type = loadedTypes.get(key);
        if (type == null) {
            type = Types.byName(vm, name).orElse(null);
            if (type != null) {
                loadedTypes.put(key, type);
            }
        }
        return type;
    }

    /** The {@code toString()} an object of {@code type} runs. */
    Method toStringOf(VirtualMachine vm, ReferenceType type) {
        Method known = toStrings.get(type);
        if (known != null) {
            return known;
        }
        ClassType owner = type instanceof ClassType classType ? classType : (ClassType) loadedType(vm, "java.lang.Object");
        return toStrings.put(type, owner.concreteMethodByName("toString", "()Ljava/lang/String;"));
    }

    /** A parse problem in a few words, without the parser's list of expected tokens. */
    private static String describe(Problem problem) {
        String message = problem.getMessage();
        Matcher column = COLUMN.matcher(message);
        String where = column.find() ? " at column " + column.group(1) : "";
        Matcher unexpected = UNEXPECTED.matcher(message);
        if (unexpected.find()) {
            return unexpected.group(1).equals("<EOF>") ? "it ends too early" : "unexpected '" + unexpected.group(2) + "'" + where;
        }
        if (message.startsWith("Lexical error")) {
            return "an unfinished literal or a stray character" + where;
        }
        String first = message.lines().findFirst().orElse(message).strip();
        first = first.endsWith(".") ? first.substring(0, first.length() - 1) : first;
        return first.isEmpty() ? "not an expression" : Character.toLowerCase(first.charAt(0)) + first.substring(1);
    }
}
