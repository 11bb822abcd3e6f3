package dev.sonde.jdi.eval;

import com.github.javaparser.TokenRange;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.BooleanLiteralExpr;
import com.github.javaparser.ast.expr.CastExpr;
import com.github.javaparser.ast.expr.CharLiteralExpr;
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
import com.github.javaparser.ast.expr.StringLiteralExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import com.github.javaparser.ast.type.PrimitiveType;
import com.sun.jdi.ArrayReference;
import com.sun.jdi.ArrayType;
import com.sun.jdi.ClassObjectReference;
import com.sun.jdi.ClassType;
import com.sun.jdi.Field;
import com.sun.jdi.InterfaceType;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.Value;
import com.sun.jdi.VirtualMachine;
import dev.sonde.core.error.SondeException;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Classes made in the target for lambdas and method references: a class implementing the functional interface whose
 * method runs the body, compiled here to bytecode with ASM from the body's syntax and the static types the target's
 * classes give, and defined through the debugged code's class loader ({@code ClassLoader.defineClass}, called over
 * JDI, so it shares the code's package and sees its package-private members). Captured values are constructor
 * arguments kept in fields. A body may use its parameters, captured names, literals, fields, method calls, casts,
 * instanceof, arithmetic, comparisons, {@code !}, {@code &&}, {@code ||} and {@code ?:}; anything else is refused.
 */
final class LambdaClasses {

    /** The captured name of a bound method reference's receiver ({@code order} in {@code order::count}). */
    static final String BOUND_RECEIVER = "$receiver";

    private static final AtomicInteger COUNTER = new AtomicInteger();
    /** Tells this Sonde process's classes from those an earlier debugger session left in the same target. */
    private static final String RUN = Long.toString(ProcessHandle.current().pid(), 36) + "x" + Long.toString(System.currentTimeMillis(), 36);
    private static final Set<String> OBJECT_METHODS = Set.of("equals(Ljava/lang/Object;)Z", "hashCode()I", "toString()Ljava/lang/String;");

    /**
     * What the class's method runs: a lambda's parameters and body, or a method reference's class (for
     * {@code Item::name}), bound receiver name (for {@code order::count}) and method name.
     */
    record Body(List<String> parameters, Expression body, ReferenceType referenceClass, String boundName, String method) {
    }

    private LambdaClasses() {
    }

    /** Whether {@code typeName} is a functional interface whose method takes {@code arity} parameters (-1: any). */
    static boolean fits(Context ctx, String typeName, int arity) {
        ReferenceType loaded = ctx.evaluator().loadedType(ctx.vm(), typeName);
        if (loaded == null && !typeName.endsWith("[]")) {
            if (!ctx.mayInvoke()) {
                return true; // cannot tell without loading it; the call is refused for running code anyway
            }
            loaded = load(ctx, typeName, typeName);
        }
        if (!(loaded instanceof InterfaceType type)) {
            return false;
        }
        Method sam = singleAbstractMethodOrNull(type);
        return sam != null && (arity < 0 || sam.argumentTypeNames().size() == arity);
    }

    static Method singleAbstractMethod(InterfaceType type) {
        Method sam = singleAbstractMethodOrNull(type);
        if (sam == null) {
            throw SondeException.invalidInput(Errors.display(type.name()) + " is not a functional interface, so no lambda can implement it.");
        }
        return sam;
    }

    private static Method singleAbstractMethodOrNull(InterfaceType type) {
        Map<String, Method> abstracts = new LinkedHashMap<>();
        for (Method method : type.allMethods()) {
            String key = method.name() + method.signature();
            if (method.isAbstract() && !method.isStatic() && !OBJECT_METHODS.contains(key)) {
                abstracts.putIfAbsent(key, method);
            }
        }
        // A default method overriding an inherited abstract one (Comparator's equals aside) leaves it implemented.
        for (Method method : type.allMethods()) {
            if (!method.isAbstract() && !method.isStatic()) {
                abstracts.remove(method.name() + method.signature());
            }
        }
        return abstracts.size() == 1 ? abstracts.values().iterator().next() : null;
    }

    /** Compiles and defines the class; {@code names} and {@code values} are the captured values, in constructor order. */
    static ClassType define(Context ctx, String source, InterfaceType functional, Method sam, GenericTypes.Sig parameter,
                            Body body, List<String> names, List<Operand> values) {
        ReferenceType home = ctx.location().declaringType();
        ObjectReference loader = home.classLoader();
        if (loader == null) {
            throw SondeException.invalidInput(Errors.code(source) + " needs a class defined next to " + Errors.display(home.name())
                    + ", which the boot class loader holds; evaluate it in a frame of application code.");
        }
        String packagePrefix = home.name().contains(".") ? home.name().substring(0, home.name().lastIndexOf('.') + 1) : "";
        String name = packagePrefix + "SondeLambda$" + RUN + "$" + COUNTER.incrementAndGet();
        byte[] bytes = new BodyCompiler(ctx, source, name, functional, sam, parameter, body, names, values).compile();

        ctx.requireInvoke(source, "ClassLoader.defineClass, to define the lambda's class");
        ClassType loaders = (ClassType) ctx.requireType("java.lang.ClassLoader");
        Method defineClass = loaders.concreteMethodByName("defineClass", "(Ljava/lang/String;[BII)Ljava/lang/Class;");
        ArrayReference array = ctx.pin(((ArrayType) ctx.requireType("byte[]")).newInstance(bytes.length));
        List<Value> content = new ArrayList<>(bytes.length);
        VirtualMachine vm = ctx.vm();
        for (byte b : bytes) {
            content.add(vm.mirrorOf(b));
        }
        try {
            array.setValues(content);
        } catch (com.sun.jdi.InvalidTypeException | com.sun.jdi.ClassNotLoadedException e) {
            throw new IllegalStateException(e);
        }
        Value defined = ctx.call(source, "ClassLoader.defineClass", () -> loader.invokeMethod(ctx.thread(), defineClass,
                List.of(ctx.mirror(name), array, vm.mirrorOf(0), vm.mirrorOf(bytes.length)),
                ObjectReference.INVOKE_SINGLE_THREADED | ObjectReference.INVOKE_NONVIRTUAL));
        ((ClassObjectReference) defined).reflectedType();
        return (ClassType) load(ctx, source, name);
    }

    /**
     * Loads, links and initializes a class in the target ({@code Class.forName} with the debugged code's class loader),
     * as JDI knows a class's methods only once it is prepared: a functional interface the program has not used yet,
     * or a lambda's class just defined. Null when there is no such class.
     */
    static ReferenceType load(Context ctx, String source, String name) {
        ClassType classes = (ClassType) ctx.requireType("java.lang.Class");
        Method forName = classes.concreteMethodByName("forName", "(Ljava/lang/String;ZLjava/lang/ClassLoader;)Ljava/lang/Class;");
        ObjectReference loader = ctx.location().declaringType().classLoader();
        Value found;
        try {
            found = ctx.call(source, "Class.forName, to load " + name, () -> classes.invokeMethod(ctx.thread(), forName,
                    java.util.Arrays.asList(ctx.mirror(name), ctx.vm().mirrorOf(true), loader), ObjectReference.INVOKE_SINGLE_THREADED));
        } catch (SondeException notThere) {
            if (notThere.kind() == dev.sonde.core.error.ErrorKind.TARGET_THREW) {
                return null;
            }
            throw notThere;
        }
        return ((ClassObjectReference) found).reflectedType();
    }

    static ObjectReference create(Context ctx, String source, ClassType type, List<Operand> values) {
        Method constructor = type.methodsByName("<init>").getFirst();
        List<Value> arguments = new ArrayList<>(values.size());
        for (Operand value : values) {
            arguments.add(switch (value) {
                case Operand.Primitive primitive -> primitive.value();
                case Operand.HostString string -> ctx.mirror(string.text());
                case Operand.Reference reference -> reference.value();
                default -> throw new IllegalStateException("not a value: " + value);
            });
        }
        ObjectReference object = (ObjectReference) ctx.call(source, "the lambda's constructor",
                () -> type.newInstance(ctx.thread(), constructor, arguments, ObjectReference.INVOKE_SINGLE_THREADED));
        return ctx.pin(object);
    }

    // ---- the compiler ----

    /** A value on the operand stack: a primitive kind, a loaded reference type, or null (the null literal). */
    private record Typed(PrimitiveKind primitive, ReferenceType reference) {
        static final Typed NULL = new Typed(null, null);
        static final Typed VOID = new Typed(null, null);

        String descriptor() {
            return primitive != null ? primitive.signature() : reference != null ? reference.signature() : "Ljava/lang/Object;";
        }

        StaticType staticType() {
            return primitive != null ? primitive : reference != null ? new StaticType.Reference(reference) : StaticType.NullType.NULL;
        }
    }

    private record Slot(int index, Typed type) {
    }

    private static final class BodyCompiler {
        private static final MethodVisitor NOWHERE = new MethodVisitor(Opcodes.ASM9) {
        };

        private final Context ctx;
        private final String source;
        private final String internalName;
        private final InterfaceType functional;
        private final Method sam;
        private final GenericTypes.Sig parameter;
        private final Body body;
        private final List<String> names;
        private final List<Typed> capturedTypes = new ArrayList<>();
        private final Map<String, Slot> parameters = new LinkedHashMap<>();
        private MethodVisitor mv;

        BodyCompiler(Context ctx, String source, String name, InterfaceType functional, Method sam, GenericTypes.Sig parameter,
                     Body body, List<String> names, List<Operand> values) {
            this.ctx = ctx;
            this.source = source;
            this.internalName = name.replace('.', '/');
            this.functional = functional;
            this.sam = sam;
            this.parameter = parameter;
            this.body = body;
            this.names = names;
            for (Operand value : values) {
                capturedTypes.add(switch (value) {
                    case Operand.Primitive primitive -> new Typed(primitive.kind(), null);
                    case Operand.HostString ignored -> new Typed(null, ctx.requireType("java.lang.String"));
                    case Operand.Reference reference -> new Typed(null, reference.typeOrRuntime() != null
                            ? reference.typeOrRuntime() : ctx.requireType("java.lang.Object"));
                    default -> throw new IllegalStateException("not a value: " + value);
                });
            }
        }

        byte[] compile() {
            ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
                @Override
                protected String getCommonSuperClass(String a, String b) {
                    return "java/lang/Object"; // the classes are the target's, not loadable here; merges here hold no references that matter
                }
            };
            String interfaceName = functional.name().replace('.', '/');
            writer.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC,
                    internalName, null, "java/lang/Object", new String[] {interfaceName});
            StringBuilder constructorDescriptor = new StringBuilder("(");
            for (int i = 0; i < names.size(); i++) {
                String descriptor = capturedTypes.get(i).descriptor();
                writer.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, field(i), descriptor, null, null).visitEnd();
                constructorDescriptor.append(descriptor);
            }
            constructor(writer, constructorDescriptor.append(")V").toString());
            mv = writer.visitMethod(Opcodes.ACC_PUBLIC, sam.name(), sam.signature(), null, null);
            mv.visitCode();
            bindParameters();
            Typed result = body.body() != null ? emit(body.body()) : emitReference();
            emitReturn(result);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
            writer.visitEnd();
            return writer.toByteArray();
        }

        private static String field(int index) {
            return "captured" + index;
        }

        private void constructor(ClassWriter writer, String descriptor) {
            MethodVisitor init = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", descriptor, null, null);
            init.visitCode();
            init.visitVarInsn(Opcodes.ALOAD, 0);
            init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
            int slot = 1;
            for (int i = 0; i < names.size(); i++) {
                Typed type = capturedTypes.get(i);
                init.visitVarInsn(Opcodes.ALOAD, 0);
                init.visitVarInsn(loadOpcode(type), slot);
                init.visitFieldInsn(Opcodes.PUTFIELD, internalName, field(i), type.descriptor());
                slot += size(type);
            }
            init.visitInsn(Opcodes.RETURN);
            init.visitMaxs(0, 0);
            init.visitEnd();
        }

        /** The interface method's parameters, typed as the call's generic parameter type tells (a List<Item>'s filter gets Items). */
        private void bindParameters() {
            List<String> erased = sam.argumentTypeNames();
            List<GenericTypes.Sig> generic = GenericTypes.parameters(sam);
            List<String> written = body.body() != null ? body.parameters() : syntheticNames(erased.size());
            int slot = 1;
            for (int i = 0; i < erased.size(); i++) {
                Typed declared = typed(erased.get(i));
                Typed inferred = declared;
                if (declared.primitive() == null && generic != null) {
                    GenericTypes.Sig seen = GenericTypes.seenFrom(ctx, generic.get(i), parameter, (ReferenceType) sam.declaringType(), true);
                    if (seen instanceof GenericTypes.ClassSig known) {
                        ReferenceType type = ctx.evaluator().loadedType(ctx.vm(), known.name());
                        if (type != null) {
                            inferred = new Typed(null, type);
                        }
                    }
                }
                if (inferred != declared) {
                    mv.visitVarInsn(Opcodes.ALOAD, slot);
                    mv.visitTypeInsn(Opcodes.CHECKCAST, internal(inferred.reference()));
                    mv.visitVarInsn(Opcodes.ASTORE, slot);
                }
                parameters.put(written.get(i), new Slot(slot, inferred));
                slot += size(declared);
            }
        }

        private static List<String> syntheticNames(int count) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                names.add("$" + i);
            }
            return names;
        }

        /** {@code Item::name}, {@code String::valueOf}, {@code order::count}: a call on the interface method's parameters. */
        private Typed emitReference() {
            List<Expression> arguments = new ArrayList<>();
            for (String name : parameters.keySet()) {
                arguments.add(new NameExpr(name));
            }
            if (body.boundName() != null) {
                return call(new NameExpr(body.boundName()), body.method(), arguments, body.method());
            }
            ReferenceType owner = body.referenceClass();
            boolean instance = !arguments.isEmpty() && owner.methodsByName(body.method()).stream()
                    .anyMatch(m -> !m.isStatic() && m.argumentTypeNames().size() == arguments.size() - 1);
            if (instance) {
                Slot first = parameters.values().iterator().next();
                load(first.index(), first.type());
                convert(first.type(), new Typed(null, owner));
                return invoke(new Typed(null, owner), false, body.method(), arguments.subList(1, arguments.size()));
            }
            return invoke(new Typed(null, owner), true, body.method(), arguments);
        }

        private void emitReturn(Typed result) {
            String returnType = sam.returnTypeName();
            if (returnType.equals("void")) {
                if (result != Typed.VOID) {
                    mv.visitInsn(size(result) == 2 ? Opcodes.POP2 : Opcodes.POP);
                }
                mv.visitInsn(Opcodes.RETURN);
                return;
            }
            if (result == Typed.VOID) {
                throw unsupported("a body that gives no value where " + Errors.display(returnType) + " is returned");
            }
            Typed target = typed(returnType);
            convert(result, target);
            mv.visitInsn(target.primitive() == null ? Opcodes.ARETURN : switch (target.primitive()) {
                case LONG -> Opcodes.LRETURN;
                case FLOAT -> Opcodes.FRETURN;
                case DOUBLE -> Opcodes.DRETURN;
                default -> Opcodes.IRETURN;
            });
        }

        // ---- expressions ----

        private Typed emit(Expression expression) {
            return switch (expression) {
                case EnclosedExpr enclosed -> emit(enclosed.getInner());
                case IntegerLiteralExpr literal -> constant(Literals.intValue(literal.getValue(), false), PrimitiveKind.INT);
                case LongLiteralExpr literal -> constant(Literals.longValue(literal.getValue(), false), PrimitiveKind.LONG);
                case DoubleLiteralExpr literal -> {
                    Object value = Literals.floatingValue(literal.getValue());
                    yield constant(value, value instanceof Float ? PrimitiveKind.FLOAT : PrimitiveKind.DOUBLE);
                }
                case CharLiteralExpr literal -> constant((int) Literals.unescape(literal.getValue()).charAt(0), PrimitiveKind.CHAR);
                case BooleanLiteralExpr literal -> constant(literal.getValue() ? 1 : 0, PrimitiveKind.BOOLEAN);
                case StringLiteralExpr literal -> {
                    mv.visitLdcInsn(Literals.unescape(literal.getValue()));
                    yield new Typed(null, ctx.requireType("java.lang.String"));
                }
                case NullLiteralExpr ignored -> {
                    mv.visitInsn(Opcodes.ACONST_NULL);
                    yield Typed.NULL;
                }
                case NameExpr name -> name(name);
                case FieldAccessExpr access -> fieldAccess(access);
                case MethodCallExpr call -> call.getScope().isPresent()
                        ? call(call.getScope().get(), call.getNameAsString(), call.getArguments(), text(call))
                        : invoke(null, false, call.getNameAsString(), call.getArguments());
                case CastExpr cast -> cast(cast);
                case InstanceOfExpr test -> instanceOf(test);
                case UnaryExpr unary -> unary(unary);
                case BinaryExpr binary -> binary(binary);
                case ConditionalExpr conditional -> conditional(conditional);
                default -> throw unsupported(text(expression));
            };
        }

        private Typed constant(Object value, PrimitiveKind kind) {
            mv.visitLdcInsn(value);
            return new Typed(kind, null);
        }

        private Typed name(NameExpr name) {
            String written = name.getNameAsString();
            Slot slot = parameters.get(written);
            if (slot != null) {
                load(slot.index(), slot.type());
                return slot.type();
            }
            int captured = names.indexOf(written);
            if (captured >= 0) {
                Typed type = capturedTypes.get(captured);
                mv.visitVarInsn(Opcodes.ALOAD, 0);
                mv.visitFieldInsn(Opcodes.GETFIELD, internalName, field(captured), type.descriptor());
                return type;
            }
            throw SondeException.notFound("The lambda " + Errors.code(source) + " uses '" + written
                    + "', which names no parameter of it and no variable, field or loaded class where it is evaluated.");
        }

        /** The class a name or qualified name stands for in the body, or null when it is a value. */
        private ReferenceType classNamed(Expression expression) {
            if (!(expression instanceof NameExpr || expression instanceof FieldAccessExpr)) {
                return null;
            }
            String first = text(expression).split("\\.", 2)[0].strip();
            if (parameters.containsKey(first) || names.contains(first)) {
                return null;
            }
            return Types.find(ctx.vm(), text(expression).replace(" ", ""), ctx.location().declaringType()).orElse(null);
        }

        private Typed fieldAccess(FieldAccessExpr access) {
            ReferenceType owner = classNamed(access.getScope());
            if (owner != null) {
                Field field = owner.fieldByName(access.getNameAsString());
                if (field == null || !field.isStatic()) {
                    throw SondeException.notFound(Errors.display(owner.name()) + " has no static field '" + access.getNameAsString() + "'.");
                }
                mv.visitFieldInsn(Opcodes.GETSTATIC, internal(field.declaringType()), field.name(), field.signature());
                return typed(field.typeName());
            }
            Typed scope = emit(access.getScope());
            if (scope.reference() instanceof ArrayType && access.getNameAsString().equals("length")) {
                mv.visitInsn(Opcodes.ARRAYLENGTH);
                return new Typed(PrimitiveKind.INT, null);
            }
            ReferenceType type = referenceOf(scope, access.getScope());
            Field field = type.fieldByName(access.getNameAsString());
            if (field == null) {
                throw SondeException.notFound(Errors.display(type.name()) + " has no field '" + access.getNameAsString() + "' (in "
                        + Errors.code(source) + "; a lambda's parameter is typed from the generic type of what it is passed to,"
                        + " so cast it if that is unknown).");
            }
            mv.visitFieldInsn(field.isStatic() ? Opcodes.GETSTATIC : Opcodes.GETFIELD, internal(field.declaringType()), field.name(), field.signature());
            return typed(field.typeName());
        }

        private ReferenceType referenceOf(Typed scope, Expression written) {
            if (scope.reference() == null) {
                throw Errors.mismatch(text(written) + " in the lambda " + Errors.code(source) + " is "
                        + (scope.primitive() != null ? Errors.aType(scope.primitive().typeName()) : "null") + ", which has no members.");
            }
            return scope.reference();
        }

        private Typed call(Expression scope, String name, List<Expression> arguments, String written) {
            ReferenceType owner = classNamed(scope);
            if (owner != null) {
                return invoke(new Typed(null, owner), true, name, arguments);
            }
            Typed receiver = emit(scope);
            if (receiver.primitive() != null) {
                receiver = box(receiver);
            }
            referenceOf(receiver, scope);
            return invoke(receiver, false, name, arguments);
        }

        /** A call of {@code name} on the receiver on the stack (or a static one of the class); null receiver: unqualified. */
        private Typed invoke(Typed receiver, boolean statics, String name, List<Expression> arguments) {
            if (receiver == null) {
                throw unsupported("a call without a receiver (" + name + ")");
            }
            MethodVisitor real = mv;
            List<StaticType> types = new ArrayList<>();
            mv = NOWHERE;
            for (Expression argument : arguments) {
                types.add(emit(argument).staticType());
            }
            mv = real;
            ReferenceType owner = receiver.reference();
            List<Method> candidates = owner.methodsByName(name).stream()
                    .filter(m -> !m.isSynthetic() && (!statics || m.isStatic())).toList();
            if (candidates.isEmpty() && owner instanceof InterfaceType) {
                candidates = ctx.requireType("java.lang.Object").methodsByName(name);
            }
            if (candidates.isEmpty()) {
                throw SondeException.notFound(Errors.display(owner.name()) + " has no method named '" + name + "' (in the lambda "
                        + Errors.code(source) + "; cast a parameter whose type the call does not tell).");
            }
            Overloads.Choice choice = Overloads.choose(ctx, source, Errors.display(owner.name()) + "." + name, candidates, types);
            Method method = choice.method();
            if (choice.variableArity()) {
                throw unsupported("a variable arity call (" + name + ")");
            }
            List<String> parameterTypes = method.argumentTypeNames();
            for (int i = 0; i < arguments.size(); i++) {
                convert(emit(arguments.get(i)), typed(parameterTypes.get(i)));
            }
            boolean onInterface = method.declaringType() instanceof InterfaceType;
            String methodOwner = internal(method.isStatic() || onInterface || owner instanceof ArrayType ? method.declaringType() : owner);
            int opcode = method.isStatic() ? Opcodes.INVOKESTATIC : onInterface ? Opcodes.INVOKEINTERFACE : Opcodes.INVOKEVIRTUAL;
            mv.visitMethodInsn(opcode, methodOwner, method.name(), method.signature(), onInterface);
            return method.returnTypeName().equals("void") ? Typed.VOID : typed(method.returnTypeName());
        }

        private Typed cast(CastExpr cast) {
            Typed value = emit(cast.getExpression());
            if (cast.getType() instanceof PrimitiveType primitive) {
                Typed target = new Typed(PrimitiveKind.named(primitive.asString()), null);
                convert(value.primitive() == null ? unbox(value) : value, target);
                return target;
            }
            if (!(cast.getType() instanceof ClassOrInterfaceType named)) {
                throw unsupported(text(cast));
            }
            ReferenceType type = Types.find(ctx.vm(), named.getNameWithScope(), ctx.location().declaringType()).orElseThrow(() ->
                    SondeException.notFound("No class named " + named.getNameWithScope() + " is loaded in the target (in the lambda "
                            + Errors.code(source) + ")."));
            Typed target = new Typed(null, type);
            if (value.primitive() != null) {
                value = box(value);
            }
            mv.visitTypeInsn(Opcodes.CHECKCAST, internal(type));
            return target;
        }

        private Typed instanceOf(InstanceOfExpr test) {
            if (test.getPattern().isPresent()) {
                throw unsupported("instanceof with a pattern");
            }
            if (!(test.getType() instanceof ClassOrInterfaceType named)) {
                throw unsupported(text(test));
            }
            emit(test.getExpression());
            ReferenceType type = Types.find(ctx.vm(), named.getNameWithScope(), ctx.location().declaringType()).orElseThrow(() ->
                    SondeException.notFound("No class named " + named.getNameWithScope() + " is loaded in the target."));
            mv.visitTypeInsn(Opcodes.INSTANCEOF, internal(type));
            return new Typed(PrimitiveKind.BOOLEAN, null);
        }

        private Typed unary(UnaryExpr unary) {
            Typed value = unboxed(emit(unary.getExpression()));
            return switch (unary.getOperator()) {
                case LOGICAL_COMPLEMENT -> {
                    requireBoolean(value, unary.getExpression());
                    mv.visitInsn(Opcodes.ICONST_1);
                    mv.visitInsn(Opcodes.IXOR);
                    yield value;
                }
                case MINUS -> {
                    Typed promoted = promote(value, value);
                    mv.visitInsn(arithmetic(promoted.primitive(), Opcodes.INEG));
                    yield promoted;
                }
                case PLUS -> promote(value, value);
                default -> throw unsupported(text(unary));
            };
        }

        private Typed binary(BinaryExpr binary) {
            BinaryExpr.Operator operator = binary.getOperator();
            if (operator == BinaryExpr.Operator.AND || operator == BinaryExpr.Operator.OR) {
                return logical(binary, operator == BinaryExpr.Operator.AND);
            }
            MethodVisitor real = mv;
            mv = NOWHERE;
            Typed leftType = emit(binary.getLeft());
            Typed rightType = emit(binary.getRight());
            mv = real;
            boolean references = leftType.primitive() == null && rightType.primitive() == null;
            if ((operator == BinaryExpr.Operator.EQUALS || operator == BinaryExpr.Operator.NOT_EQUALS) && references) {
                emit(binary.getLeft());
                emit(binary.getRight());
                return comparison(operator == BinaryExpr.Operator.EQUALS ? Opcodes.IF_ACMPEQ : Opcodes.IF_ACMPNE);
            }
            if (operator == BinaryExpr.Operator.PLUS && (isString(leftType) || isString(rightType))) {
                stringOf(emit(binary.getLeft()));
                stringOf(emit(binary.getRight()));
                mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/String", "concat", "(Ljava/lang/String;)Ljava/lang/String;", false);
                return new Typed(null, ctx.requireType("java.lang.String"));
            }
            Typed a = numberOf(leftType);
            Typed b = numberOf(rightType);
            boolean booleans = a.primitive() == PrimitiveKind.BOOLEAN && b.primitive() == PrimitiveKind.BOOLEAN;
            Typed common = booleans ? a : promote(a, b);
            if (!booleans && (a.primitive() == PrimitiveKind.BOOLEAN || b.primitive() == PrimitiveKind.BOOLEAN)) {
                throw Errors.mismatch(Errors.code(text(binary)) + " in the lambda mixes a boolean with a number.");
            }
            convert(emit(binary.getLeft()), common);
            convert(emit(binary.getRight()), common);
            PrimitiveKind kind = common.primitive();
            return switch (operator) {
                case PLUS -> arithmeticResult(kind, Opcodes.IADD);
                case MINUS -> arithmeticResult(kind, Opcodes.ISUB);
                case MULTIPLY -> arithmeticResult(kind, Opcodes.IMUL);
                case DIVIDE -> arithmeticResult(kind, Opcodes.IDIV);
                case REMAINDER -> arithmeticResult(kind, Opcodes.IREM);
                case BINARY_AND -> arithmeticResult(kind, Opcodes.IAND);
                case BINARY_OR -> arithmeticResult(kind, Opcodes.IOR);
                case XOR -> arithmeticResult(kind, Opcodes.IXOR);
                case EQUALS -> compare(kind, Opcodes.IF_ICMPEQ, Opcodes.IFEQ);
                case NOT_EQUALS -> compare(kind, Opcodes.IF_ICMPNE, Opcodes.IFNE);
                case LESS -> compare(kind, Opcodes.IF_ICMPLT, Opcodes.IFLT);
                case GREATER -> compare(kind, Opcodes.IF_ICMPGT, Opcodes.IFGT);
                case LESS_EQUALS -> compare(kind, Opcodes.IF_ICMPLE, Opcodes.IFLE);
                case GREATER_EQUALS -> compare(kind, Opcodes.IF_ICMPGE, Opcodes.IFGE);
                default -> throw unsupported("the operator " + operator.asString());
            };
        }

        private Typed arithmeticResult(PrimitiveKind kind, int intOpcode) {
            mv.visitInsn(arithmetic(kind, intOpcode));
            return new Typed(kind, null);
        }

        /** The opcode for {@code kind}: IADD, LADD, FADD, DADD follow one another, as do the other arithmetic families. */
        private static int arithmetic(PrimitiveKind kind, int intOpcode) {
            boolean bitwise = intOpcode == Opcodes.IAND || intOpcode == Opcodes.IOR || intOpcode == Opcodes.IXOR;
            return switch (kind) {
                case LONG -> intOpcode + 1;
                case FLOAT -> bitwise ? intOpcode : intOpcode + 2;
                case DOUBLE -> bitwise ? intOpcode : intOpcode + 3;
                default -> intOpcode;
            };
        }

        private Typed compare(PrimitiveKind kind, int intJump, int zeroJump) {
            switch (kind) {
                case LONG -> mv.visitInsn(Opcodes.LCMP);
                case FLOAT -> mv.visitInsn(zeroJump == Opcodes.IFLT || zeroJump == Opcodes.IFLE ? Opcodes.FCMPG : Opcodes.FCMPL);
                case DOUBLE -> mv.visitInsn(zeroJump == Opcodes.IFLT || zeroJump == Opcodes.IFLE ? Opcodes.DCMPG : Opcodes.DCMPL);
                default -> {
                    return comparison(intJump);
                }
            }
            return comparison(zeroJump);
        }

        /** Turns a conditional jump into a boolean on the stack. */
        private Typed comparison(int jump) {
            Label yes = new Label();
            Label end = new Label();
            mv.visitJumpInsn(jump, yes);
            mv.visitInsn(Opcodes.ICONST_0);
            mv.visitJumpInsn(Opcodes.GOTO, end);
            mv.visitLabel(yes);
            mv.visitInsn(Opcodes.ICONST_1);
            mv.visitLabel(end);
            return new Typed(PrimitiveKind.BOOLEAN, null);
        }

        private Typed logical(BinaryExpr binary, boolean and) {
            Label decided = new Label();
            Label end = new Label();
            requireBoolean(unboxed(emit(binary.getLeft())), binary.getLeft());
            mv.visitJumpInsn(and ? Opcodes.IFEQ : Opcodes.IFNE, decided);
            requireBoolean(unboxed(emit(binary.getRight())), binary.getRight());
            mv.visitJumpInsn(Opcodes.GOTO, end);
            mv.visitLabel(decided);
            mv.visitInsn(and ? Opcodes.ICONST_0 : Opcodes.ICONST_1);
            mv.visitLabel(end);
            return new Typed(PrimitiveKind.BOOLEAN, null);
        }

        private Typed conditional(ConditionalExpr conditional) {
            MethodVisitor real = mv;
            mv = NOWHERE;
            Typed a = emit(conditional.getThenExpr());
            Typed b = emit(conditional.getElseExpr());
            mv = real;
            Typed result = a.equals(b) ? a : a.primitive() != null && b.primitive() != null ? promote(a, b)
                    : new Typed(null, ctx.requireType("java.lang.Object"));
            Label otherwise = new Label();
            Label end = new Label();
            requireBoolean(unboxed(emit(conditional.getCondition())), conditional.getCondition());
            mv.visitJumpInsn(Opcodes.IFEQ, otherwise);
            convert(emit(conditional.getThenExpr()), result);
            mv.visitJumpInsn(Opcodes.GOTO, end);
            mv.visitLabel(otherwise);
            convert(emit(conditional.getElseExpr()), result);
            mv.visitLabel(end);
            return result;
        }

        // ---- conversions ----

        private static boolean isString(Typed type) {
            return type.reference() != null && type.reference().name().equals("java.lang.String");
        }

        private void stringOf(Typed value) {
            String descriptor = value.primitive() == null ? "Ljava/lang/Object;" : switch (value.primitive()) {
                case BYTE, SHORT -> "I";
                default -> value.primitive().signature();
            };
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/String", "valueOf", "(" + descriptor + ")Ljava/lang/String;", false);
        }

        /** The primitive a value computes as, without emitting (its type only); boxes unbox. */
        private Typed numberOf(Typed type) {
            if (type.primitive() != null) {
                return type;
            }
            PrimitiveKind boxed = type.reference() == null ? null : PrimitiveKind.boxedIn(type.reference().name());
            if (boxed == null) {
                throw Errors.mismatch("The lambda " + Errors.code(source) + " computes with "
                        + (type.reference() == null ? "null" : Errors.aType(type.reference().name())) + ", which is no number.");
            }
            return new Typed(boxed, null);
        }

        private Typed unboxed(Typed value) {
            return value.primitive() != null ? value : unbox(value);
        }

        private Typed unbox(Typed value) {
            Typed number = numberOf(value);
            String box = internal(value.reference());
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, box, number.primitive().typeName() + "Value", "()" + number.primitive().signature(), false);
            return number;
        }

        private Typed box(Typed value) {
            PrimitiveKind kind = value.primitive();
            String box = kind.boxName().replace('.', '/');
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, box, "valueOf", "(" + kind.signature() + ")L" + box + ";", false);
            return new Typed(null, ctx.requireType(kind.boxName()));
        }

        private static Typed promote(Typed a, Typed b) {
            return new Typed(PrimitiveKind.promoted(a.primitive(), b.primitive()), null);
        }

        private void requireBoolean(Typed value, Expression written) {
            if (value.primitive() != PrimitiveKind.BOOLEAN) {
                throw Errors.mismatch(text(written) + " in the lambda " + Errors.code(source) + " is "
                        + (value.primitive() != null ? Errors.aType(value.primitive().typeName()) : "no boolean") + ", not a boolean.");
            }
        }

        /** Converts the value on the stack from one type to another: widening, narrowing, boxing, unboxing, a checked cast. */
        private void convert(Typed from, Typed to) {
            if (from.equals(to)) {
                return;
            }
            if (to.primitive() != null) {
                Typed primitive = from.primitive() != null ? from : unbox(from);
                primitiveConversion(primitive.primitive(), to.primitive());
                return;
            }
            if (from.primitive() != null) {
                from = box(from);
            }
            if (from.reference() != null && !Types.isAssignable(from.reference(), to.reference().name())) {
                mv.visitTypeInsn(Opcodes.CHECKCAST, internal(to.reference()));
            }
        }

        private void primitiveConversion(PrimitiveKind from, PrimitiveKind to) {
            if (from == to || from == PrimitiveKind.BOOLEAN || to == PrimitiveKind.BOOLEAN) {
                return;
            }
            char f = computational(from);
            char t = computational(to);
            if (f != t) {
                mv.visitInsn(switch ("" + f + t) {
                    case "IJ" -> Opcodes.I2L;
                    case "IF" -> Opcodes.I2F;
                    case "ID" -> Opcodes.I2D;
                    case "JI" -> Opcodes.L2I;
                    case "JF" -> Opcodes.L2F;
                    case "JD" -> Opcodes.L2D;
                    case "FI" -> Opcodes.F2I;
                    case "FJ" -> Opcodes.F2L;
                    case "FD" -> Opcodes.F2D;
                    case "DI" -> Opcodes.D2I;
                    case "DJ" -> Opcodes.D2L;
                    default -> Opcodes.D2F;
                });
            }
            switch (to) {
                case BYTE -> mv.visitInsn(Opcodes.I2B);
                case SHORT -> mv.visitInsn(Opcodes.I2S);
                case CHAR -> mv.visitInsn(Opcodes.I2C);
                default -> {
                }
            }
        }

        private static char computational(PrimitiveKind kind) {
            return switch (kind) {
                case LONG -> 'J';
                case FLOAT -> 'F';
                case DOUBLE -> 'D';
                default -> 'I';
            };
        }

        private void load(int slot, Typed type) {
            mv.visitVarInsn(loadOpcode(type), slot);
        }

        private static int loadOpcode(Typed type) {
            return type.primitive() == null ? Opcodes.ALOAD : switch (type.primitive()) {
                case LONG -> Opcodes.LLOAD;
                case FLOAT -> Opcodes.FLOAD;
                case DOUBLE -> Opcodes.DLOAD;
                default -> Opcodes.ILOAD;
            };
        }

        private static int size(Typed type) {
            return type.primitive() == PrimitiveKind.LONG || type.primitive() == PrimitiveKind.DOUBLE ? 2 : 1;
        }

        private Typed typed(String typeName) {
            PrimitiveKind primitive = PrimitiveKind.named(typeName);
            if (primitive != null) {
                return new Typed(primitive, null);
            }
            ReferenceType type = ctx.evaluator().loadedType(ctx.vm(), typeName);
            return new Typed(null, type != null ? type : ctx.requireType("java.lang.Object"));
        }

        private static String internal(ReferenceType type) {
            return type instanceof ArrayType ? type.signature() : type.name().replace('.', '/');
        }

        private SondeException unsupported(String what) {
            return new SondeException(dev.sonde.core.error.ErrorKind.UNSUPPORTED, "The lambda " + Errors.code(source) + " uses "
                    + what + ", which Sonde cannot compile into the target; use parameters, captured variables, fields, method"
                    + " calls, casts and operators.");
        }

        private static String text(com.github.javaparser.ast.Node node) {
            return node.getTokenRange().map(TokenRange::toString).orElseGet(node::toString);
        }
    }
}
