package dev.sonde.agent.expr;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.Position;
import com.github.javaparser.Problem;
import com.github.javaparser.Range;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.expr.ArrayAccessExpr;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.BooleanLiteralExpr;
import com.github.javaparser.ast.expr.CastExpr;
import com.github.javaparser.ast.expr.CharLiteralExpr;
import com.github.javaparser.ast.expr.ClassExpr;
import com.github.javaparser.ast.expr.ConditionalExpr;
import com.github.javaparser.ast.expr.DoubleLiteralExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.InstanceOfExpr;
import com.github.javaparser.ast.expr.IntegerLiteralExpr;
import com.github.javaparser.ast.expr.LongLiteralExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.NullLiteralExpr;
import com.github.javaparser.ast.expr.SimpleName;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import com.github.javaparser.ast.expr.TextBlockLiteralExpr;
import com.github.javaparser.ast.expr.ThisExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.github.javaparser.ast.type.ArrayType;
import com.github.javaparser.ast.type.PrimitiveType;
import dev.sonde.agent.probes.ProbeRefused;
import dev.sonde.agent.probes.Template;
import dev.sonde.agent.spy.SondeSpy;
import org.objectweb.asm.Label;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.InstructionAdapter;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Resolves a Java expression against the probed class as it is loaded (reflection, the class's own loader), once,
 * and turns it into bytecode for the probed method itself. Anything it cannot do safely is refused with one sentence.
 */
final class ExprCompiler {

    private static final String SPY = Type.getInternalName(SondeSpy.class);
    private static final int MAX_LENGTH = 4096;
    private static final Pattern DOTTED_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");
    /** Java's keywords and literals, which a name is not; the parser reads any source holding one. */
    private static final Set<String> RESERVED = Set.of("abstract", "assert", "boolean", "break", "byte", "case", "catch", "char",
            "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for",
            "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private",
            "protected", "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this", "throw",
            "throws", "transient", "try", "void", "volatile", "while", "true", "false", "null", "_", "var", "yield", "record",
            "sealed", "permits");

    private final String source;
    private final Template.Scope scope;
    private final Class<?> self;
    private final boolean allowInvoke;
    /** The parts of each concatenation compiled so far, so that a + b + c appends three parts to one builder. */
    private final java.util.Map<Code, List<Code>> concatenations = new java.util.IdentityHashMap<>();
    /** The spy constants (method handles) this expression's code refers to. */
    private final List<Integer> constants = new ArrayList<>();

    ExprCompiler(String source, Template.Scope scope, boolean allowInvoke) {
        this.source = source;
        this.scope = scope;
        this.self = scope.type();
        this.allowInvoke = allowInvoke;
    }

    /** The spy constants the compiled code refers to, to release when the probe is removed. */
    List<Integer> constants() {
        return constants;
    }

    /** Parses and resolves the whole source as one expression. */
    Code compile() {
        return compile(parse(source));
    }

    static Expression parse(String source) {
        if (source == null || source.isBlank()) {
            throw new ProbeRefused("The expression is empty; write one such as qty > 10.");
        }
        if (source.length() > MAX_LENGTH) {
            throw new ProbeRefused("The expression is " + source.length() + " characters long; the agent takes at most " + MAX_LENGTH + ", so shorten it.");
        }
        Expression name = dottedName(source);
        if (name != null) {
            return name;
        }
        ParseResult<Expression> result;
        try {
            synchronized (Parser.INSTANCE) {
                result = Parser.INSTANCE.parseExpression(source);
            }
        } catch (StackOverflowError e) {
            throw new ProbeRefused("'" + source + "' nests too deeply; split it into smaller expressions.");
        }
        if (!result.isSuccessful() || result.getResult().isEmpty()) {
            Optional<Problem> problem = result.getProblems().stream().findFirst();
            String column = problem.flatMap(Problem::getLocation).flatMap(l -> l.getBegin().getRange())
                    .map(r -> " at column " + r.begin.column).orElse(" at column " + (source.strip().length() + 1));
            String what = problem.map(p -> p.getMessage().lines().findFirst().orElse("").strip()).orElse("not an expression");
            what = what.replaceAll("\\.$", "");
            throw new ProbeRefused("'" + source.strip() + "' is not a Java expression" + column + " (" + what + "); check the syntax, e.g. qty > 10 && name != null.");
        }
        return result.getResult().get();
    }

    /** The parser, made when first needed: names alone never need it ({@link #dottedName}). */
    private static final class Parser {
        static final JavaParser INSTANCE = new JavaParser(new ParserConfiguration()
                .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17));
    }

    /**
     * A name or a dotted chain of names ({@code id}, {@code order.total}) built as the parser builds it, ranges included,
     * without the parser: the usual logpoint hole, and loading and linking the parser costs the first probe in a JVM a
     * second or more. Null for anything else (keywords and literals too), which the parser reads.
     */
    static Expression dottedName(String source) {
        if (!DOTTED_NAME.matcher(source).matches()) {
            return null;
        }
        String[] names = source.split("\\.");
        for (String name : names) {
            if (RESERVED.contains(name)) {
                return null;
            }
        }
        Expression expression = null;
        int column = 1;
        for (String name : names) {
            int end = column + name.length() - 1;
            SimpleName simple = new SimpleName(name);
            simple.setRange(new Range(new Position(1, column), new Position(1, end)));
            expression = expression == null ? new NameExpr(simple) : new FieldAccessExpr(expression, null, simple);
            expression.setRange(new Range(new Position(1, 1), new Position(1, end)));
            column = end + 2;
        }
        return expression;
    }

    // ---------------------------------------------------------------- dispatch

    Code compile(Expression e) {
        if (e instanceof EnclosedExpr enclosed) {
            return compile(enclosed.getInner());
        }
        if (e instanceof IntegerLiteralExpr i) {
            Number n = i.asNumber();
            return constant(int.class, n.intValue());
        }
        if (e instanceof LongLiteralExpr l) {
            return constant(long.class, l.asNumber().longValue());
        }
        if (e instanceof DoubleLiteralExpr d) {
            String text = d.getValue().replace("_", "");
            return text.endsWith("f") || text.endsWith("F") ? constant(float.class, Float.parseFloat(text)) : constant(double.class, Double.parseDouble(text));
        }
        if (e instanceof CharLiteralExpr c) {
            return constant(char.class, (int) c.asChar());
        }
        if (e instanceof BooleanLiteralExpr b) {
            return constant(boolean.class, b.getValue() ? 1 : 0);
        }
        if (e instanceof StringLiteralExpr s) {
            String value = s.asString();
            return new Code(String.class, m -> m.aconst(value));
        }
        if (e instanceof TextBlockLiteralExpr t) {
            String value = t.asString();
            return new Code(String.class, m -> m.aconst(value));
        }
        if (e instanceof NullLiteralExpr) {
            return new Code(Types.Null.class, m -> m.aconst(null));
        }
        if (e instanceof ThisExpr t) {
            if (t.getTypeName().isPresent()) {
                throw unsupported(e, "a qualified this");
            }
            return self(e);
        }
        if (e instanceof NameExpr name) {
            return name(name);
        }
        if (e instanceof FieldAccessExpr access) {
            return fieldAccess(access);
        }
        if (e instanceof ArrayAccessExpr access) {
            return arrayAccess(access);
        }
        if (e instanceof MethodCallExpr call) {
            return call(call);
        }
        if (e instanceof UnaryExpr unary) {
            return unary(unary);
        }
        if (e instanceof BinaryExpr binary) {
            return binary(binary);
        }
        if (e instanceof ConditionalExpr conditional) {
            return conditional(conditional);
        }
        if (e instanceof InstanceOfExpr test) {
            return instanceOf(test);
        }
        if (e instanceof CastExpr cast) {
            return cast(cast);
        }
        if (e instanceof ClassExpr literal) {
            Class<?> type = type(literal.getType());
            if (type.isPrimitive()) {
                String box = Type.getInternalName(Types.box(type));
                return new Code(Class.class, m -> m.getstatic(box, "TYPE", "Ljava/lang/Class;"));
            }
            requireAccessible(type, e);
            return new Code(Class.class, m -> m.aconst(Type.getType(type)));
        }
        if (e instanceof AssignExpr) {
            throw new ProbeRefused("'" + e + "' assigns a value; a probe's expression only reads the program, so compare with == instead.");
        }
        if (e instanceof ObjectCreationExpr) {
            throw unsupported(e, "object creation (new)");
        }
        throw unsupported(e, "a " + e.getClass().getSimpleName().replace("Expr", "").toLowerCase() + " expression");
    }

    private ProbeRefused unsupported(Node e, String what) {
        return new ProbeRefused("'" + e + "'" + at(e) + " uses " + what + ", which the agent does not evaluate; use names, fields,"
                + " array elements, literals, operators and method calls.");
    }

    private String at(Node e) {
        return e.toString().strip().equals(source.strip()) ? "" : e.getBegin().map(p -> " (column " + p.column + ")").orElse("");
    }

    private static Code constant(Class<?> type, Object value) {
        return new Code(type, m -> {
            if (type == long.class) {
                m.lconst((Long) value);
            } else if (type == float.class) {
                m.fconst((Float) value);
            } else if (type == double.class) {
                m.dconst((Double) value);
            } else {
                m.iconst((Integer) value);
            }
        });
    }

    // ---------------------------------------------------------------- names, fields, arrays

    private Code self(Node e) {
        if (scope.isStatic()) {
            throw new ProbeRefused("'" + e + "' uses 'this', but the line is in a static method; name a local or a static field.");
        }
        return new Code(self, m -> m.load(0, Type.getType(Object.class)));
    }

    private Code name(NameExpr e) {
        String name = e.getNameAsString();
        Optional<Template.Local> local = scope.local(name);
        if (local.isPresent()) {
            Template.Local l = local.get();
            Type type = Type.getType(l.descriptor());
            Class<?> javaType = load(type, e);
            return new Code(javaType, m -> m.load(l.index(), type));
        }
        Optional<Field> field = field(self, name);
        if (field.isPresent()) {
            Field f = field.get();
            if (Modifier.isStatic(f.getModifiers())) {
                return read(null, f, self, e);
            }
            if (scope.isStatic()) {
                throw new ProbeRefused("'" + name + "' is an instance field, but the line is in a static method; name a local or a static field.");
            }
            return read(self(e), f, self, e);
        }
        List<String> locals = scope.localNames();
        String inScope = locals.isEmpty() ? "" : " (" + String.join(", ", locals) + (scope.isStatic() ? "" : ", this") + ")";
        throw new ProbeRefused("'" + name + "'" + at(e) + " is neither a local variable in scope at this line" + inScope + " nor a field of "
                + self.getName() + "; check the name (a variable declared on this very line is not assigned yet).");
    }

    private boolean isValueName(String name) {
        return name.equals("this") || scope.local(name).isPresent() || field(self, name).isPresent();
    }

    private Code fieldAccess(FieldAccessExpr e) {
        String name = e.getNameAsString();
        Optional<Class<?>> owner = typeScope(e.getScope());
        if (owner.isPresent()) {
            Class<?> type = owner.get();
            if (name.equals("length") && type.isArray()) {
                throw new ProbeRefused("'" + e + "' names a type, not a value; take .length of an array value.");
            }
            Field f = field(type, name).filter(x -> Modifier.isStatic(x.getModifiers())).orElseThrow(() -> new ProbeRefused(
                    Types.name(type) + " has no static field '" + name + "', so '" + e + "' cannot be read; check the name."));
            return read(null, f, type, e);
        }
        Code target = compile(e.getScope());
        Class<?> type = target.type();
        if (type.isArray() && name.equals("length")) {
            return new Code(int.class, m -> {
                target.emit(m);
                m.arraylength();
            });
        }
        if (type.isPrimitive() || type == Types.Null.class) {
            throw new ProbeRefused("'" + e.getScope() + "' is " + Types.a(type) + ", which has no fields, so '" + e + "' cannot be read.");
        }
        Field f = field(type, name).orElseThrow(() -> new ProbeRefused(Types.name(type) + " has no field '" + name + "', so '" + e
                + "' cannot be read; name a field the declared type has (cast to a subtype if needed)."));
        return read(Modifier.isStatic(f.getModifiers()) ? null : target, f, type, e);
    }

    /** The type an expression names when it is a class name, not a value: {@code Math}, {@code java.util.List}. */
    private Optional<Class<?>> typeScope(Expression e) {
        String dotted;
        if (e instanceof NameExpr n) {
            if (isValueName(n.getNameAsString())) {
                return Optional.empty();
            }
            dotted = n.getNameAsString();
        } else if (e instanceof FieldAccessExpr f) {
            Expression leftmost = f;
            while (leftmost instanceof FieldAccessExpr a) {
                leftmost = a.getScope();
            }
            if (!(leftmost instanceof NameExpr n) || isValueName(n.getNameAsString())) {
                return Optional.empty();
            }
            dotted = f.toString();
            if (!dotted.matches("[\\w$.]+")) {
                return Optional.empty();
            }
        } else {
            return Optional.empty();
        }
        return typeNamed(dotted);
    }

    private Optional<Class<?>> typeNamed(String dotted) {
        ClassLoader loader = scope.loader();
        List<String> candidates = new ArrayList<>();
        candidates.add(self.getName() + "$" + dotted.replace('.', '$'));
        for (Class<?> outer = self.getEnclosingClass(); outer != null; outer = outer.getEnclosingClass()) {
            candidates.add(outer.getName() + "$" + dotted.replace('.', '$'));
        }
        if (!self.getPackageName().isEmpty()) {
            candidates.add(self.getPackageName() + "." + dotted);
        }
        candidates.add("java.lang." + dotted);
        candidates.add(dotted);
        candidates.add("java.util." + dotted);
        // a nested class written with dots: a.b.Outer.Inner
        String nested = dotted;
        for (int dot = nested.lastIndexOf('.'); dot > 0; dot = nested.lastIndexOf('.', dot - 1)) {
            candidates.add(nested.substring(0, dot) + "$" + nested.substring(dot + 1).replace('.', '$'));
        }
        for (String candidate : candidates) {
            try {
                return Optional.of(Class.forName(candidate, false, loader));
            } catch (ClassNotFoundException | LinkageError ignored) {
                // the next candidate
            }
        }
        return Optional.empty();
    }

    private Class<?> type(com.github.javaparser.ast.type.Type t) {
        if (t instanceof PrimitiveType p) {
            return Types.primitiveNamed(p.asString());
        }
        if (t instanceof ArrayType a) {
            return type(a.getComponentType()).arrayType();
        }
        String name = t.asString().replaceAll("<.*>", "");
        return typeNamed(name).orElseThrow(() -> new ProbeRefused("There is no class " + name + " visible to " + self.getName()
                + "; give its full name, e.g. java.util.List."));
    }

    private static Optional<Field> field(Class<?> type, String name) {
        Deque<Class<?>> todo = new ArrayDeque<>();
        todo.add(type);
        while (!todo.isEmpty()) {
            Class<?> c = todo.poll();
            for (Field field : c.getDeclaredFields()) {
                if (field.getName().equals(name)) {
                    return Optional.of(field);
                }
            }
            if (c.getSuperclass() != null) {
                todo.add(c.getSuperclass());
            }
            todo.addAll(List.of(c.getInterfaces()));
        }
        return Optional.empty();
    }

    /** Reads {@code field} of the value {@code target} left on the stack (null: a static field); {@code via} is the type named. */
    private Code read(Code target, Field field, Class<?> via, Node e) {
        Class<?> type = field.getType();
        Class<?> owner = Types.accessible(field, via, self) ? via : field.getDeclaringClass();
        boolean isStatic = Modifier.isStatic(field.getModifiers());
        if (Types.accessible(field, owner, self)) {
            String ownerName = Type.getInternalName(owner);
            String descriptor = Type.getDescriptor(type);
            return new Code(type, m -> {
                if (isStatic) {
                    m.getstatic(ownerName, field.getName(), descriptor);
                } else {
                    target.emit(m);
                    m.getfield(ownerName, field.getName(), descriptor);
                }
            });
        }
        MethodHandle getter;
        try {
            field.setAccessible(true);
            getter = MethodHandles.lookup().unreflectGetter(field);
        } catch (InaccessibleObjectException | SecurityException | IllegalAccessException ex) {
            throw new ProbeRefused("The field " + field.getDeclaringClass().getName() + "." + field.getName()
                    + " is in a module that does not open it to the agent; read a value that holds it instead.");
        }
        return throughHandle(getter, isStatic ? List.of() : List.of(target), type);
    }

    /** Calls {@code handle} (kept by the spy) on {@code arguments}, each already of the handle's parameter type. */
    private Code throughHandle(MethodHandle handle, List<Code> arguments, Class<?> result) {
        MethodType erased = handle.type().erase();
        MethodHandle exact = handle.asType(erased);
        int index = SondeSpy.define(exact);
        constants.add(index);
        String descriptor = erased.toMethodDescriptorString();
        Class<?> seen = Types.visible(result, self);
        return new Code(result, m -> {
            m.iconst(index);
            m.invokestatic(SPY, "handle", "(I)Ljava/lang/invoke/MethodHandle;", false);
            for (Code argument : arguments) {
                argument.emit(m);
            }
            m.invokevirtual("java/lang/invoke/MethodHandle", "invokeExact", descriptor, false);
            if (!result.isPrimitive() && seen != Object.class) {
                m.checkcast(Type.getType(seen));
            }
        });
    }

    private Code arrayAccess(ArrayAccessExpr e) {
        Code array = compile(e.getName());
        if (!array.type().isArray()) {
            throw new ProbeRefused("'" + e.getName() + "' is " + Types.a(array.type()) + ", not an array, so '" + e + "' cannot be read.");
        }
        Code index = compile(e.getIndex());
        if (!Types.isIntegral(index.type()) || Types.promoted(index.type()) != int.class) {
            throw new ProbeRefused("'" + e.getIndex() + "' is " + Types.a(index.type()) + "; an array index must be an int.");
        }
        Class<?> element = array.type().getComponentType();
        return new Code(element, m -> {
            array.emit(m);
            convert(m, index, int.class);
            m.aload(Type.getType(element));
        });
    }

    private Class<?> load(Type type, Node e) {
        if (type.getSort() < Type.ARRAY) {
            return switch (type.getSort()) {
                case Type.BOOLEAN -> boolean.class;
                case Type.CHAR -> char.class;
                case Type.BYTE -> byte.class;
                case Type.SHORT -> short.class;
                case Type.INT -> int.class;
                case Type.FLOAT -> float.class;
                case Type.LONG -> long.class;
                default -> double.class;
            };
        }
        if (type.getSort() == Type.ARRAY) {
            Class<?> element = load(type.getElementType(), e);
            for (int i = 0; i < type.getDimensions(); i++) {
                element = element.arrayType();
            }
            return element;
        }
        try {
            return Class.forName(type.getClassName(), false, scope.loader());
        } catch (ClassNotFoundException | LinkageError ex) {
            throw new ProbeRefused("The type " + type.getClassName() + " of '" + e + "' cannot be loaded by " + self.getName() + "'s class loader.");
        }
    }

    private void requireAccessible(Class<?> type, Node e) {
        if (!Types.accessible(type, self)) {
            throw new ProbeRefused("'" + e + "' needs the type " + type.getName() + ", which " + self.getName()
                    + " cannot name (it is not public, or not visible to its class loader).");
        }
    }

    // ---------------------------------------------------------------- conversions

    /** Emits {@code code} converted to {@code target}: widening, narrowing (casts), boxing and unboxing. */
    static void convert(InstructionAdapter m, Code code, Class<?> target) {
        code.emit(m);
        convert(m, code.type(), target);
    }

    static void convert(InstructionAdapter m, Class<?> from, Class<?> target) {
        if (from == target) {
            return;
        }
        if (target.isPrimitive()) {
            if (!from.isPrimitive()) {
                Class<?> box = Types.isBox(from) ? from : Types.box(target);
                if (!Types.isBox(from)) {
                    m.checkcast(Type.getType(box));
                }
                Class<?> primitive = Types.unboxed(box);
                m.invokevirtual(Type.getInternalName(box), primitive.getName() + "Value", "()" + Type.getDescriptor(primitive), false);
                from = primitive;
            }
            if (from != target) {
                m.cast(Type.getType(from), Type.getType(target));
            }
            return;
        }
        if (from.isPrimitive()) {
            box(m, from);
        }
    }

    static void box(InstructionAdapter m, Class<?> primitive) {
        Class<?> box = Types.box(primitive);
        m.invokestatic(Type.getInternalName(box), "valueOf", "(" + Type.getDescriptor(primitive) + ")" + Type.getDescriptor(box), false);
    }

    /** The value as an int 0/1 (unboxing a Boolean), refusing anything that is not a boolean. */
    private Code bool(Expression e, String role) {
        Code code = compile(e);
        if (!Types.isBoolean(code.type())) {
            throw new ProbeRefused("'" + e + "' is " + Types.a(code.type()) + "; " + role + " needs a boolean (true or false).");
        }
        return new Code(boolean.class, m -> convert(m, code, boolean.class));
    }

    /** Pushes 1 when the jump emitted by {@code test} to its label is not taken... inverted: when taken. */
    private static void booleanOf(InstructionAdapter m, Consumer<Label> jumpIfTrue) {
        Label yes = new Label();
        Label end = new Label();
        jumpIfTrue.accept(yes);
        m.iconst(0);
        m.goTo(end);
        m.mark(yes);
        m.iconst(1);
        m.mark(end);
    }

    // ---------------------------------------------------------------- operators

    private Code unary(UnaryExpr e) {
        switch (e.getOperator()) {
            case LOGICAL_COMPLEMENT -> {
                Code operand = bool(e.getExpression(), "'!'");
                return new Code(boolean.class, m -> {
                    operand.emit(m);
                    m.iconst(1);
                    m.xor(Type.INT_TYPE);
                });
            }
            case MINUS, PLUS, BITWISE_COMPLEMENT -> {
                Code operand = compile(e.getExpression());
                boolean complement = e.getOperator() == UnaryExpr.Operator.BITWISE_COMPLEMENT;
                if (complement ? !Types.isIntegral(operand.type()) : !Types.isNumeric(operand.type())) {
                    throw new ProbeRefused("'" + e.getExpression() + "' is " + Types.a(operand.type()) + "; '" + e.getOperator().asString()
                            + "' needs " + (complement ? "an integer" : "a number") + ".");
                }
                Class<?> type = Types.promoted(operand.type());
                Type asm = Type.getType(type);
                return new Code(type, m -> {
                    convert(m, operand, type);
                    if (e.getOperator() == UnaryExpr.Operator.MINUS) {
                        m.neg(asm);
                    } else if (complement) {
                        if (type == long.class) {
                            m.lconst(-1);
                        } else {
                            m.iconst(-1);
                        }
                        m.xor(asm);
                    }
                });
            }
            default -> throw new ProbeRefused("'" + e + "' changes a variable; a probe's expression only reads the program, so write "
                    + e.getExpression() + " + 1 instead.");
        }
    }

    /** The instruction of each arithmetic, bitwise and shift operator, for operands of the given (promoted) type. */
    private static final Map<BinaryExpr.Operator, BiConsumer<InstructionAdapter, Type>> INSTRUCTIONS = new EnumMap<>(Map.ofEntries(
            Map.entry(BinaryExpr.Operator.PLUS, InstructionAdapter::add),
            Map.entry(BinaryExpr.Operator.MINUS, InstructionAdapter::sub),
            Map.entry(BinaryExpr.Operator.MULTIPLY, InstructionAdapter::mul),
            Map.entry(BinaryExpr.Operator.DIVIDE, InstructionAdapter::div),
            Map.entry(BinaryExpr.Operator.REMAINDER, InstructionAdapter::rem),
            Map.entry(BinaryExpr.Operator.BINARY_AND, InstructionAdapter::and),
            Map.entry(BinaryExpr.Operator.BINARY_OR, InstructionAdapter::or),
            Map.entry(BinaryExpr.Operator.XOR, InstructionAdapter::xor),
            Map.entry(BinaryExpr.Operator.LEFT_SHIFT, InstructionAdapter::shl),
            Map.entry(BinaryExpr.Operator.SIGNED_RIGHT_SHIFT, InstructionAdapter::shr),
            Map.entry(BinaryExpr.Operator.UNSIGNED_RIGHT_SHIFT, InstructionAdapter::ushr)));

    private Code binary(BinaryExpr e) {
        BinaryExpr.Operator op = e.getOperator();
        if (op == BinaryExpr.Operator.AND || op == BinaryExpr.Operator.OR) {
            Code left = bool(e.getLeft(), "'" + op.asString() + "'");
            Code right = bool(e.getRight(), "'" + op.asString() + "'");
            boolean and = op == BinaryExpr.Operator.AND;
            return new Code(boolean.class, m -> {
                Label shortCut = new Label();
                Label end = new Label();
                left.emit(m);
                if (and) {
                    m.ifeq(shortCut);
                } else {
                    m.ifne(shortCut);
                }
                right.emit(m);
                m.goTo(end);
                m.mark(shortCut);
                m.iconst(and ? 0 : 1);
                m.mark(end);
            });
        }
        Code left = compile(e.getLeft());
        Code right = compile(e.getRight());
        Class<?> l = left.type();
        Class<?> r = right.type();
        switch (op) {
            case PLUS -> {
                if (l == String.class || r == String.class) {
                    return concat(e, left, right);
                }
                return arithmetic(e, left, right);
            }
            case MINUS, MULTIPLY, DIVIDE, REMAINDER -> {
                return arithmetic(e, left, right);
            }
            case LEFT_SHIFT, SIGNED_RIGHT_SHIFT, UNSIGNED_RIGHT_SHIFT -> {
                if (!Types.isIntegral(l) || !Types.isIntegral(r)) {
                    throw mismatch(e, left, right, "shifted by");
                }
                Class<?> type = Types.promoted(l);
                Type asm = Type.getType(type);
                return new Code(type, m -> {
                    convert(m, left, type);
                    convert(m, right, Types.promoted(r));
                    if (Types.promoted(r) == long.class) {
                        m.cast(Type.LONG_TYPE, Type.INT_TYPE);
                    }
                    INSTRUCTIONS.get(op).accept(m, asm);
                });
            }
            case BINARY_AND, BINARY_OR, XOR -> {
                Class<?> type;
                if (Types.isBoolean(l) && Types.isBoolean(r)) {
                    type = boolean.class;
                } else if (Types.isIntegral(l) && Types.isIntegral(r)) {
                    type = Types.promoted(l, r);
                } else {
                    throw mismatch(e, left, right, "combined with '" + op.asString() + "' with");
                }
                Type asm = type == boolean.class ? Type.INT_TYPE : Type.getType(type);
                return both(type, left, right, type, m -> INSTRUCTIONS.get(op).accept(m, asm));
            }
            case LESS, GREATER, LESS_EQUALS, GREATER_EQUALS -> {
                if (!Types.isNumeric(l) || !Types.isNumeric(r)) {
                    throw mismatch(e, left, right, "compared with");
                }
                return comparison(left, right, Types.promoted(l, r), op);
            }
            case EQUALS, NOT_EQUALS -> {
                return equality(e, left, right);
            }
            default -> throw unsupported(e, "the operator " + op.asString());
        }
    }

    private ProbeRefused mismatch(BinaryExpr e, Code left, Code right, String verb) {
        return new ProbeRefused("'" + e.getLeft() + "' is " + Types.a(left.type()) + "; it cannot be " + verb + " " + Types.a(right.type())
                + " ('" + e.getRight() + "').");
    }

    /** Jumps to {@code yes} when {@code left op right} holds; both operands, of {@code type}, are on the stack. */
    private static void compareJump(InstructionAdapter m, Class<?> type, BinaryExpr.Operator op, Label yes) {
        if (type == int.class || type == boolean.class) {
            switch (op) {
                case LESS -> m.ificmplt(yes);
                case GREATER -> m.ificmpgt(yes);
                case LESS_EQUALS -> m.ificmple(yes);
                case GREATER_EQUALS -> m.ificmpge(yes);
                case EQUALS -> m.ificmpeq(yes);
                default -> m.ificmpne(yes);
            }
            return;
        }
        if (type == long.class) {
            m.lcmp();
        } else {
            // NaN compares false: for < and <= the NaN result must be 1 (cmpg), for > and >= it must be -1 (cmpl)
            boolean lessLike = op == BinaryExpr.Operator.LESS || op == BinaryExpr.Operator.LESS_EQUALS;
            Type asm = Type.getType(type);
            if (lessLike) {
                m.cmpg(asm);
            } else {
                m.cmpl(asm);
            }
        }
        switch (op) {
            case LESS -> m.iflt(yes);
            case GREATER -> m.ifgt(yes);
            case LESS_EQUALS -> m.ifle(yes);
            case GREATER_EQUALS -> m.ifge(yes);
            case EQUALS -> m.ifeq(yes);
            default -> m.ifne(yes);
        }
    }

    private Code equality(BinaryExpr e, Code left, Code right) {
        Class<?> l = left.type();
        Class<?> r = right.type();
        BinaryExpr.Operator op = e.getOperator();
        boolean anyPrimitive = l.isPrimitive() || r.isPrimitive();
        if (anyPrimitive && Types.isNumeric(l) && Types.isNumeric(r)) {
            return comparison(left, right, Types.promoted(l, r), op);
        }
        if (anyPrimitive && Types.isBoolean(l) && Types.isBoolean(r)) {
            return comparison(left, right, boolean.class, op);
        }
        if (!anyPrimitive && castable(l, r)) {
            return new Code(boolean.class, m -> {
                left.emit(m);
                right.emit(m);
                booleanOf(m, yes -> {
                    if (op == BinaryExpr.Operator.EQUALS) {
                        m.ifacmpeq(yes);
                    } else {
                        m.ifacmpne(yes);
                    }
                });
            });
        }
        throw mismatch(e, left, right, "compared with");
    }

    /** Whether two reference types can ever hold the same object (a loose form of JLS 5.5 cast compatibility). */
    private static boolean castable(Class<?> a, Class<?> b) {
        if (a == Types.Null.class || b == Types.Null.class || a.isAssignableFrom(b) || b.isAssignableFrom(a)) {
            return true;
        }
        boolean aFinal = Modifier.isFinal(a.getModifiers());
        boolean bFinal = Modifier.isFinal(b.getModifiers());
        if (a.isInterface() && b.isInterface()) {
            return true;
        }
        if (a.isInterface()) {
            return !bFinal && !b.isArray();
        }
        if (b.isInterface()) {
            return !aFinal && !a.isArray();
        }
        return false;
    }

    private Code arithmetic(BinaryExpr e, Code left, Code right) {
        BinaryExpr.Operator op = e.getOperator();
        if (!Types.isNumeric(left.type()) || !Types.isNumeric(right.type())) {
            String verb = switch (op) {
                case PLUS -> "added to";
                case MINUS -> "subtracted from";
                case MULTIPLY -> "multiplied by";
                case DIVIDE -> "divided by";
                default -> "divided (%) by";
            };
            throw mismatch(e, left, right, verb);
        }
        Class<?> type = Types.promoted(left.type(), right.type());
        Type asm = Type.getType(type);
        return both(type, left, right, type, m -> INSTRUCTIONS.get(op).accept(m, asm));
    }

    /** A value of {@code result}: both operands converted to {@code operands}, then {@code operation} on them. */
    private static Code both(Class<?> result, Code left, Code right, Class<?> operands, Consumer<InstructionAdapter> operation) {
        return new Code(result, m -> {
            convert(m, left, operands);
            convert(m, right, operands);
            operation.accept(m);
        });
    }

    /** {@code left op right} as a boolean, both operands compared as {@code type} (a primitive). */
    private static Code comparison(Code left, Code right, Class<?> type, BinaryExpr.Operator op) {
        return both(boolean.class, left, right, type, m -> booleanOf(m, yes -> compareJump(m, type, op, yes)));
    }

    /** String concatenation with a StringBuilder; objects of the application show as type@identity unless calls are allowed. */
    private Code concat(BinaryExpr e, Code left, Code right) {
        List<Code> parts = new ArrayList<>(concatenations.getOrDefault(left, List.of(left)));
        parts.add(right);
        Code whole = new Code(String.class, m -> {
            m.anew(Type.getType(StringBuilder.class));
            m.dup();
            m.invokespecial("java/lang/StringBuilder", "<init>", "()V", false);
            for (Code part : parts) {
                part.emit(m);
                m.invokevirtual("java/lang/StringBuilder", "append", "(" + appendDescriptor(m, part.type()) + ")Ljava/lang/StringBuilder;", false);
            }
            m.invokevirtual("java/lang/StringBuilder", "toString", "()Ljava/lang/String;", false);
        });
        concatenations.put(whole, parts);
        return whole;
    }

    /** The descriptor of the append overload for a value of {@code type}, converting the value on the stack if needed. */
    private String appendDescriptor(InstructionAdapter m, Class<?> type) {
        if (type == String.class) {
            return "Ljava/lang/String;";
        }
        if (type.isPrimitive()) {
            return type == byte.class || type == short.class ? "I" : Type.getDescriptor(type);
        }
        if (!allowInvoke && !Types.isBox(type)) {
            m.invokestatic(SPY, "show", "(Ljava/lang/Object;)Ljava/lang/String;", false);
            return "Ljava/lang/String;";
        }
        return "Ljava/lang/Object;";
    }

    private Code conditional(ConditionalExpr e) {
        Code test = bool(e.getCondition(), "the condition of '?:'");
        Code yes = compile(e.getThenExpr());
        Code no = compile(e.getElseExpr());
        Class<?> type = commonType(yes.type(), no.type());
        return new Code(type, m -> {
            Label otherwise = new Label();
            Label end = new Label();
            test.emit(m);
            m.ifeq(otherwise);
            convert(m, yes, type);
            if (!type.isPrimitive() && !yes.type().isPrimitive() && yes.type() != type) {
                m.checkcast(Type.getType(Types.visible(type, self)));
            }
            m.goTo(end);
            m.mark(otherwise);
            convert(m, no, type);
            if (!type.isPrimitive() && !no.type().isPrimitive() && no.type() != type) {
                m.checkcast(Type.getType(Types.visible(type, self)));
            }
            m.mark(end);
        });
    }

    private static Class<?> commonType(Class<?> a, Class<?> b) {
        if (a == b) {
            return a;
        }
        if (Types.isBoolean(a) && Types.isBoolean(b)) {
            return boolean.class;
        }
        if (Types.isNumeric(a) && Types.isNumeric(b) && (a.isPrimitive() || b.isPrimitive())) {
            return Types.promoted(a, b);
        }
        Class<?> x = Types.box(a);
        Class<?> y = Types.box(b);
        if (x == Types.Null.class) {
            return y;
        }
        if (y == Types.Null.class || y.isAssignableFrom(x)) {
            return y == Types.Null.class ? x : y;
        }
        if (x.isAssignableFrom(y)) {
            return x;
        }
        for (Class<?> c = x; c != null; c = c.getSuperclass()) {
            if (c.isAssignableFrom(y)) {
                return c;
            }
        }
        return Object.class;
    }

    private Code instanceOf(InstanceOfExpr e) {
        if (e.getPattern().isPresent()) {
            throw new ProbeRefused("'" + e + "' declares a pattern variable, which a probe's expression cannot; test with instanceof and then cast.");
        }
        Code value = compile(e.getExpression());
        if (value.type().isPrimitive()) {
            throw new ProbeRefused("'" + e.getExpression() + "' is " + Types.a(value.type()) + "; instanceof needs an object.");
        }
        Class<?> type = type(e.getType());
        requireAccessible(type, e);
        return new Code(boolean.class, m -> {
            value.emit(m);
            m.instanceOf(Type.getType(type));
        });
    }

    private Code cast(CastExpr e) {
        Class<?> target = type(e.getType());
        Code value = compile(e.getExpression());
        Class<?> from = value.type();
        if (target.isPrimitive()) {
            boolean ok = target == boolean.class ? Types.isBoolean(from) || from == Object.class
                    : Types.isNumeric(from) || from == Object.class || from == Number.class;
            if (!ok) {
                throw new ProbeRefused("'" + e.getExpression() + "' is " + Types.a(from) + "; it cannot be cast to " + Types.a(target) + ".");
            }
            return new Code(target, m -> {
                value.emit(m);
                Class<?> current = from;
                if (!from.isPrimitive() && !Types.isBox(from)) {
                    Class<?> box = Types.box(target);
                    m.checkcast(Type.getType(box));
                    current = box;
                }
                convert(m, current, target);
            });
        }
        if (from.isPrimitive()) {
            if (target != Types.box(from) && !target.isAssignableFrom(Types.box(from))) {
                throw new ProbeRefused("'" + e.getExpression() + "' is " + Types.a(from) + "; it cannot be cast to " + Types.a(target) + ".");
            }
            return new Code(target, m -> convert(m, value, Object.class));
        }
        if (!castable(from, target)) {
            throw new ProbeRefused("'" + e.getExpression() + "' is " + Types.a(from) + "; it can never be " + Types.a(target) + ", so it cannot be cast.");
        }
        requireAccessible(target, e);
        return new Code(target, m -> {
            value.emit(m);
            if (!target.isAssignableFrom(from)) {
                m.checkcast(Type.getType(target));
            }
        });
    }

    // ---------------------------------------------------------------- calls

    private Code call(MethodCallExpr e) {
        String name = e.getNameAsString();
        List<Code> arguments = new ArrayList<>();
        for (Expression argument : e.getArguments()) {
            arguments.add(compile(argument));
        }
        Code target = null;
        Class<?> via;
        boolean staticOnly = false;
        if (e.getScope().isEmpty()) {
            via = self;
            staticOnly = scope.isStatic();
        } else {
            Optional<Class<?>> type = typeScope(e.getScope().get());
            if (type.isPresent()) {
                via = type.get();
                staticOnly = true;
            } else {
                target = compile(e.getScope().get());
                via = target.type();
                if (via.isPrimitive() || via == Types.Null.class) {
                    throw new ProbeRefused("'" + e.getScope().get() + "' is " + Types.a(via) + ", which has no methods, so '" + e + "' cannot be called.");
                }
            }
        }
        Method method = resolve(via, name, arguments, e);
        boolean isStatic = Modifier.isStatic(method.getModifiers());
        if (staticOnly && !isStatic) {
            throw new ProbeRefused("'" + e + "' calls the instance method " + name + " without an object; name the object it is called on.");
        }
        if (!allowInvoke && !Allowed.isSideEffectFree(method)) {
            throw new ProbeRefused("'" + e + "'" + at(e) + " calls " + method.getDeclaringClass().getSimpleName() + "." + name
                    + ", which could change the program; set the probe with --allow-invoke to run it.");
        }
        if (target == null && !isStatic) {
            target = self(e);
        }
        Class<?>[] parameters = method.getParameterTypes();
        boolean varargs = method.isVarArgs() && !applicable(method, arguments, true);
        List<Code> converted = new ArrayList<>();
        for (int i = 0; i < (varargs ? parameters.length - 1 : parameters.length); i++) {
            Code argument = arguments.get(i);
            Class<?> parameter = parameters[i];
            converted.add(new Code(parameter, m -> convert(m, argument, parameter)));
        }
        if (varargs) {
            Class<?> array = parameters[parameters.length - 1];
            Class<?> element = array.getComponentType();
            List<Code> rest = arguments.subList(parameters.length - 1, arguments.size());
            requireAccessible(element, e);
            converted.add(new Code(array, m -> {
                m.iconst(rest.size());
                m.newarray(Type.getType(element));
                for (int i = 0; i < rest.size(); i++) {
                    m.dup();
                    m.iconst(i);
                    convert(m, rest.get(i), element);
                    m.astore(Type.getType(element));
                }
            }));
        }
        Class<?> result = method.getReturnType();
        if (result == void.class) {
            throw new ProbeRefused("'" + e + "' returns nothing (void), so it has no value to test or show.");
        }
        Class<?> owner = isStatic ? method.getDeclaringClass() : via;
        if (Types.accessible(method, owner, self) && !via.isArray()) {
            Code receiver = isStatic ? null : target;
            String ownerName = Type.getInternalName(owner);
            String descriptor = Type.getMethodDescriptor(method);
            boolean itf = owner.isInterface();
            // a private method of the probed class itself: invokespecial, valid in class files of any version
            boolean own = Modifier.isPrivate(method.getModifiers()) && owner == self && !itf;
            return new Code(result, m -> {
                if (receiver != null) {
                    receiver.emit(m);
                }
                converted.forEach(c -> c.emit(m));
                if (isStatic) {
                    m.invokestatic(ownerName, name, descriptor, itf);
                } else if (own) {
                    m.invokespecial(ownerName, name, descriptor, false);
                } else if (itf) {
                    m.invokeinterface(ownerName, name, descriptor);
                } else {
                    m.invokevirtual(ownerName, name, descriptor, false);
                }
            });
        }
        MethodHandle handle;
        try {
            method.setAccessible(true);
            handle = MethodHandles.lookup().unreflect(method);
        } catch (InaccessibleObjectException | SecurityException | IllegalAccessException ex) {
            throw new ProbeRefused("The method " + method.getDeclaringClass().getName() + "." + name
                    + " is in a module that does not open it to the agent, so '" + e + "' cannot be called.");
        }
        List<Code> all = new ArrayList<>();
        if (!isStatic) {
            all.add(target);
        }
        all.addAll(converted);
        return throughHandle(handle, all, result);
    }

    /** The method {@code name} of {@code type} that Java would pick for these arguments (JLS 15.12.2). */
    private Method resolve(Class<?> type, String name, List<Code> arguments, MethodCallExpr e) {
        List<Method> candidates = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        Deque<Class<?>> todo = new ArrayDeque<>();
        todo.add(type);
        if (type.isInterface()) {
            todo.add(Object.class);
        }
        while (!todo.isEmpty()) {
            Class<?> c = todo.poll();
            for (Method method : c.getDeclaredMethods()) {
                String signature = method.getName() + java.util.Arrays.toString(method.getParameterTypes());
                if (method.getName().equals(name) && !method.isBridge() && !method.isSynthetic() && !seen.contains(signature)) {
                    seen.add(signature);
                    candidates.add(method);
                }
            }
            if (c.getSuperclass() != null) {
                todo.add(c.getSuperclass());
            }
            todo.addAll(List.of(c.getInterfaces()));
        }
        if (candidates.isEmpty()) {
            throw new ProbeRefused(Types.name(type) + " has no method '" + name + "', so '" + e + "' cannot be called; check the name.");
        }
        for (boolean loose : new boolean[] {false, true}) {
            List<Method> applicable = new ArrayList<>();
            for (Method method : candidates) {
                if (applicable(method, arguments, loose)) {
                    applicable.add(method);
                }
            }
            if (!applicable.isEmpty()) {
                Method best = applicable.get(0);
                for (Method method : applicable) {
                    if (moreSpecific(method, best)) {
                        best = method;
                    }
                }
                return best;
            }
        }
        for (Method method : candidates) {
            if (applicableByVarargs(method, arguments)) {
                return method;
            }
        }
        String given = String.join(", ", arguments.stream().map(a -> Types.name(a.type())).toList());
        String expected = String.join("; ", candidates.stream().map(m -> name + "(" + String.join(", ",
                java.util.Arrays.stream(m.getParameterTypes()).map(Types::name).toList()) + ")").toList());
        throw new ProbeRefused("'" + e + "' passes (" + given + "), but " + Types.name(type) + " has " + expected + ".");
    }

    private static boolean applicable(Executable method, List<Code> arguments, boolean loose) {
        Class<?>[] parameters = method.getParameterTypes();
        if (parameters.length != arguments.size()) {
            return false;
        }
        for (int i = 0; i < parameters.length; i++) {
            Class<?> from = arguments.get(i).type();
            if (loose ? !Types.assignableLoose(from, parameters[i]) : !Types.assignableStrict(from, parameters[i])) {
                return false;
            }
        }
        return true;
    }

    /** The third phase of JLS 15.12.2: the trailing arguments go into the method's varargs array. */
    private static boolean applicableByVarargs(Executable method, List<Code> arguments) {
        Class<?>[] parameters = method.getParameterTypes();
        if (!method.isVarArgs() || arguments.size() < parameters.length - 1) {
            return false;
        }
        for (int i = 0; i < arguments.size(); i++) {
            Class<?> parameter = i < parameters.length - 1 ? parameters[i] : parameters[parameters.length - 1].getComponentType();
            if (!Types.assignableLoose(arguments.get(i).type(), parameter)) {
                return false;
            }
        }
        return true;
    }

    private static boolean moreSpecific(Method a, Method b) {
        Class<?>[] pa = a.getParameterTypes();
        Class<?>[] pb = b.getParameterTypes();
        for (int i = 0; i < pa.length; i++) {
            if (!Types.assignableStrict(pa[i], pb[i])) {
                return false;
            }
        }
        return !java.util.Arrays.equals(pa, pb);
    }
}
