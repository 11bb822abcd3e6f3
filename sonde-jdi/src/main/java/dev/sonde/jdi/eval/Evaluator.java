package dev.sonde.jdi.eval;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.Problem;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.Name;
import com.github.javaparser.ast.expr.SimpleName;
import com.sun.jdi.ClassType;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VirtualMachine;
import dev.sonde.core.error.SondeException;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
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
    /** Longer expressions are refused before parsing: a 10 MB one took 30 s and gigabytes to parse. */
    static final int MAX_LENGTH = 64 * 1024;
    /** Deeper nesting (brackets, or a long chain of operators) is refused: the parser and evaluator recurse per level. */
    static final int MAX_DEPTH = 100;

    private record TypeKey(VirtualMachine vm, String name) {
    }

    private final JavaParser parser = new JavaParser(new ParserConfiguration()
            .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_21));
    private final TargetCalls calls = new TargetCalls();
    private final Memo<TypeKey, ReferenceType> loadedTypes = new Memo<>();
    private final Memo<ReferenceType, Method> toStrings = new Memo<>();
    private final Memo<LambdaNode.ClassKey, ClassType> lambdaClasses = new Memo<>();

    /** Parses an expression for evaluation; a malformed one is an error saying where it goes wrong. */
    public CompiledExpression compile(String source) {
        if (source == null || source.isBlank()) {
            throw SondeException.invalidInput("Nothing to evaluate; give an expression such as order.items[0].");
        }
        if (source.length() > MAX_LENGTH) {
            throw SondeException.invalidInput(String.format(Locale.ROOT, "The expression is %,d KiB long; Sonde evaluates at most %d KiB,"
                    + " so shorten it.", source.length() / 1024, MAX_LENGTH / 1024));
        }
        requireDepth(bracketDepth(source));
        ParseResult<Expression> result;
        try {
            synchronized (parser) {
                result = parser.parseExpression(source);
            }
        } catch (StackOverflowError tooDeep) {
            throw tooDeep();
        }
        if (!result.isSuccessful() || result.getResult().isEmpty()) {
            String problem = result.getProblems().stream().findFirst().map(Evaluator::describe).map(Evaluator::oneLine)
                    .orElse("not an expression");
            throw SondeException.invalidInput("Cannot parse '" + shown(source) + "' as a Java expression (" + problem
                    + "); check it, for example order.items[0].");
        }
        Expression expression = result.getResult().get();
        requireDepth(treeDepth(expression));
        try {
            return Compiler.compile(this, source, expression);
        } catch (StackOverflowError tooDeep) {
            throw tooDeep();
        }
    }

    /** An expression as echoed in an error, on one line: line breaks written as \\n, a long one cut to its first characters. */
    private static String shown(String source) {
        String shown = oneLine(source);
        return shown.length() <= 200 ? shown : shown.substring(0, 200) + "… (" + source.length() + " characters)";
    }

    private static String oneLine(String text) {
        return text.replace("\r", "\\r").replace("\n", "\\n");
    }

    private static void requireDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw SondeException.invalidInput("The expression nests " + depth + " levels deep; Sonde evaluates at most " + MAX_DEPTH
                    + " levels, so split it into smaller expressions.");
        }
    }

    private static SondeException tooDeep() {
        return SondeException.invalidInput("The expression nests too deeply; Sonde evaluates at most " + MAX_DEPTH
                + " levels, so split it into smaller expressions.");
    }

    /** How deep brackets nest outside string and character literals; found before parsing, which recurses per level. */
    static int bracketDepth(String source) {
        int depth = 0;
        int deepest = 0;
        char quote = 0;
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                deepest = Math.max(deepest, ++depth);
            } else if (c == ')' || c == ']' || c == '}') {
                depth = Math.max(0, depth - 1);
            }
        }
        return deepest;
    }

    /** The depth of the syntax tree (a chain of n operators is n deep), walked without recursion. */
    static int treeDepth(Node root) {
        int deepest = 0;
        Deque<Node> nodes = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        nodes.push(root);
        depths.push(1);
        while (!nodes.isEmpty()) {
            Node node = nodes.pop();
            int depth = depths.pop();
            deepest = Math.max(deepest, depth);
            for (Node child : node.getChildNodes()) {
                if (!(child instanceof SimpleName || child instanceof Name)) {
                    nodes.push(child);
                    depths.push(depth + 1);
                }
            }
        }
        return deepest;
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

    /**
     * Completions for console input at {@code column} of {@code text} in the context of {@code frame}: names in scope,
     * or the members of the static type before a dot. Runs no code in the target.
     */
    public java.util.List<dev.sonde.core.model.Completion> completions(com.sun.jdi.StackFrame frame, String text, int column) {
        return Completions.at(this, frame, text, column);
    }

    /** The classes made in the target for lambdas, reused at each later evaluation. */
    Memo<LambdaNode.ClassKey, ClassType> lambdaClasses() {
        return lambdaClasses;
    }

    /**
     * Calls a method without arguments on an object in a suspended thread, for at most {@code timeout}, as an evaluation
     * would: events the call causes are not stops. For values shown on demand ({@code toString()}, an exception's stack).
     */
    public com.sun.jdi.Value invoke(com.sun.jdi.ThreadReference thread, com.sun.jdi.ObjectReference object, com.sun.jdi.Method method,
                                    java.time.Duration timeout) {
        return calls.run(thread, method.name() + "()", timeout,
                () -> object.invokeMethod(thread, method, java.util.List.of(), com.sun.jdi.ObjectReference.INVOKE_SINGLE_THREADED));
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
