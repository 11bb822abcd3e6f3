package dev.sonde.agent.probes;

import dev.sonde.agent.expr.Conditions;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What {@code snap}, {@code watch} and {@code trace} resolve when they are set: locals at a line, methods, call trees. */
final class ProbeKinds {

    /** A method as the user named it: {@code pkg.Class.method}, or {@code pkg.Class.method(int, String)} for one overload. */
    record Target(String className, String name, List<String> types) {
    }

    private static final Pattern METHOD = Pattern.compile("([^()\\s]+)\\.([^.()\\s]+)(?:\\(([^()]*)\\))?");
    private static final Pattern PATH = Pattern.compile("[A-Za-z_$][A-Za-z_$0-9]*(\\.[A-Za-z_$][A-Za-z_$0-9]*)*");
    private static final int MAX_TRACED = 200;
    /** A call on a JDK interface ({@code Runnable.run}) is followed into at most this many application classes. */
    private static final int MAX_JDK_IMPLEMENTATIONS = 8;

    private ProbeKinds() {
    }

    static Target target(String method) {
        Matcher m = METHOD.matcher(method.strip());
        if (!m.matches()) {
            throw new ProbeRefused("'" + method + "' is not a method; write it as pkg.Class.method or pkg.Class.method(int, String),"
                    + " e.g. dev.shop.Orders.place.");
        }
        List<String> types = m.group(3) == null ? null : m.group(3).isBlank() ? List.of()
                : Arrays.stream(m.group(3).split(",")).map(String::strip).toList();
        return new Target(m.group(1), m.group(2), types);
    }

    /** The methods of {@code type} the target names (all overloads unless narrowed); refuses with the candidates. */
    static List<MethodNode> methods(Class<?> type, ClassNode node, Target target, boolean constructors) {
        List<String> names = new ArrayList<>();
        List<MethodNode> byName = new ArrayList<>();
        for (MethodNode candidate : node.methods) {
            if ((candidate.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0 || candidate.name.equals("<clinit>")
                    || !constructors && candidate.name.equals("<init>")) {
                continue;
            }
            if (candidate.name.equals(target.name())) {
                byName.add(candidate);
            }
            if (!candidate.name.startsWith("lambda$") && !names.contains(candidate.name)) {
                names.add(candidate.name);
            }
        }
        if (byName.isEmpty()) {
            throw new ProbeRefused(type.getName() + " has no method '" + target.name() + "' with code; it has " + String.join(", ", names) + ".");
        }
        if (target.types() == null) {
            return byName;
        }
        List<MethodNode> narrowed = byName.stream().filter(m -> sameTypes(m.desc, target.types())).toList();
        if (narrowed.isEmpty()) {
            throw new ProbeRefused(type.getName() + "." + target.name() + " has no overload (" + String.join(", ", target.types())
                    + "); it has " + String.join(", ", byName.stream().map(m -> "(" + String.join(", ", parameterTypes(m.desc)) + ")").toList()) + ".");
        }
        return narrowed;
    }

    private static boolean sameTypes(String descriptor, List<String> wanted) {
        List<String> actual = parameterTypes(descriptor);
        if (actual.size() != wanted.size()) {
            return false;
        }
        for (int i = 0; i < actual.size(); i++) {
            String full = actual.get(i);
            String w = wanted.get(i);
            if (!full.equals(w) && !full.endsWith("." + w) && !full.endsWith("$" + w)) {
                return false;
            }
        }
        return true;
    }

    static List<String> parameterTypes(String descriptor) {
        return Arrays.stream(Type.getArgumentTypes(descriptor)).map(Type::getClassName).toList();
    }

    /** A watched overload: parameter names from the LocalVariableTable when compiled with one, else arg0, arg1, … */
    static WatchProbe.Site site(Class<?> type, MethodNode method, String condition, boolean allowInvoke) {
        Type[] arguments = Type.getArgumentTypes(method.desc);
        boolean isStatic = (method.access & Opcodes.ACC_STATIC) != 0;
        List<String> names = new ArrayList<>();
        Map<String, Template.Local> locals = new java.util.LinkedHashMap<>();
        int slot = isStatic ? 0 : 1;
        for (int i = 0; i < arguments.length; i++) {
            String name = parameterName(method, slot).orElse("arg" + i);
            names.add(name);
            locals.put(name, new Template.Local(name, slot, arguments[i].getDescriptor()));
            slot += arguments[i].getSize();
        }
        Guard guard = Guard.ALWAYS;
        if (condition != null && !condition.isBlank()) {
            int result = WatchAdapter.resultSlot(method.maxLocals);
            Type returns = Type.getReturnType(method.desc);
            String boxed = switch (returns.getSort()) {
                case Type.VOID -> "Ljava/lang/Object;";
                case Type.OBJECT, Type.ARRAY -> returns.getDescriptor();
                default -> "Ljava/lang/" + switch (returns.getSort()) {
                    case Type.INT -> "Integer";
                    case Type.CHAR -> "Character";
                    default -> Character.toUpperCase(returns.getClassName().charAt(0)) + returns.getClassName().substring(1);
                } + ";";
            };
            locals.put("returnValue", new Template.Local("returnValue", result, boxed));
            locals.put("exception", new Template.Local("exception", result + 1, "Ljava/lang/Throwable;"));
            guard = Conditions.compile(condition, new Template.Scope() {
                @Override
                public Class<?> type() {
                    return type;
                }

                @Override
                public boolean isStatic() {
                    return isStatic;
                }

                @Override
                public java.util.Optional<Template.Local> local(String name) {
                    return java.util.Optional.ofNullable(locals.get(name));
                }

                @Override
                public ClassLoader loader() {
                    return type.getClassLoader();
                }

                @Override
                public List<String> localNames() {
                    return List.copyOf(locals.keySet());
                }
            }, allowInvoke);
        }
        return new WatchProbe.Site(method.desc, List.copyOf(names), parameterTypes(method.desc), method.maxLocals, guard);
    }

    private static java.util.Optional<String> parameterName(MethodNode method, int slot) {
        if (method.localVariables == null) {
            return java.util.Optional.empty();
        }
        return method.localVariables.stream().filter(v -> v.index == slot)
                .min(Comparator.comparingInt(v -> method.instructions.indexOf(v.start))).map(v -> v.name);
    }

    /** The variables in scope at the line, by slot: {@code this}, the parameters, then the locals. */
    static List<SnapProbe.Captured> capturedAt(LineScan.Found at) {
        MethodNode method = at.node();
        int arguments = (Type.getArgumentsAndReturnSizes(method.desc) >> 2) - (at.isStatic() ? 1 : 0);
        List<SnapProbe.Captured> captured = new ArrayList<>();
        if (method.localVariables == null || method.localVariables.isEmpty()) {
            int slot = 0;
            if (!at.isStatic()) {
                captured.add(new SnapProbe.Captured("this", 0, "Ljava/lang/Object;", "this"));
                slot = 1;
            }
            Type[] types = Type.getArgumentTypes(method.desc);
            for (int i = 0; i < types.length; i++) {
                captured.add(new SnapProbe.Captured("arg" + i, slot, types[i].getDescriptor(), "argument"));
                slot += types[i].getSize();
            }
            return captured;
        }
        List<LocalVariableNode> inScope = new ArrayList<>();
        for (LocalVariableNode variable : method.localVariables) {
            if (method.instructions.indexOf(variable.start) <= at.instruction() && at.instruction() < method.instructions.indexOf(variable.end)) {
                inScope.add(variable);
            }
        }
        inScope.sort(Comparator.comparingInt(v -> v.index));
        for (LocalVariableNode variable : inScope) {
            String kind = variable.index == 0 && !at.isStatic() ? "this" : variable.index < arguments ? "argument" : "local";
            captured.add(new SnapProbe.Captured(variable.name, variable.index, variable.desc, kind));
        }
        return captured;
    }

    /** A snapshot's watch expression: a local (or {@code this}) in scope or a field, then a path of fields. */
    static SnapProbe.Watch watch(String expression, List<SnapProbe.Captured> captured, Class<?> type, boolean isStatic) {
        String source = expression.strip();
        if (!PATH.matcher(source).matches()) {
            throw new ProbeRefused("The watch '" + expression + "' is not a local variable or a field path (a.b.c); the agent's snapshots"
                    + " watch only those so far.");
        }
        String[] names = source.split("\\.");
        int index = indexOf(captured, names[0]);
        Field root = null;
        Class<?> current;
        int next = 1;
        if (index >= 0) {
            current = load(captured.get(index).descriptor(), type.getClassLoader());
            if (captured.get(index).kind().equals("this")) {
                current = type;
            }
        } else {
            Field field = field(type, names[0], source);
            if (Modifier.isStatic(field.getModifiers())) {
                root = field;
                current = field.getType();
            } else {
                index = indexOf(captured, "this");
                if (isStatic || index < 0) {
                    throw new ProbeRefused("'" + names[0] + "' is an instance field, but the line is in a static method; watch a local or a static field.");
                }
                current = type;
                next = 0;
            }
        }
        List<Field> fields = new ArrayList<>();
        for (int i = next; i < names.length; i++) {
            if (root != null && i == 0) {
                continue;
            }
            if (current == null || current.isPrimitive()) {
                throw new ProbeRefused("'" + String.join(".", Arrays.copyOf(names, i)) + "' has no fields, so the watch '" + source + "' cannot be read.");
            }
            Field field = field(current, names[i], source);
            fields.add(field);
            current = field.getType();
        }
        return new SnapProbe.Watch(source, index, root, List.copyOf(fields), null);
    }

    private static int indexOf(List<SnapProbe.Captured> captured, String name) {
        for (int i = 0; i < captured.size(); i++) {
            if (captured.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static Field field(Class<?> type, String name, String expression) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (field.getName().equals(name)) {
                    try {
                        field.setAccessible(true);
                    } catch (RuntimeException e) {
                        throw new ProbeRefused("The field " + c.getName() + "." + name + " is in a module that does not open it to the agent;"
                                + " watch a value that holds it instead.");
                    }
                    return field;
                }
            }
        }
        throw new ProbeRefused("'" + name + "' is neither a local variable in scope at this line nor a field of " + type.getName()
                + ", so the watch '" + expression + "' cannot be read; check the name.");
    }

    /** A JDK interface or abstract class an application class may implement; null for Object and the rest. */
    private static Class<?> jdkType(String internalName) {
        if (internalName.equals("java/lang/Object") || internalName.startsWith("[")) {
            return null;
        }
        try {
            Class<?> type = Class.forName(internalName.replace('/', '.'), false, null);
            return type.isInterface() || java.lang.reflect.Modifier.isAbstract(type.getModifiers()) ? type : null;
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static Class<?> load(String descriptor, ClassLoader loader) {
        Type type = Type.getType(descriptor);
        if (type.getSort() != Type.OBJECT) {
            return type.getSort() == Type.ARRAY ? Object[].class : int.class;
        }
        try {
            return Class.forName(type.getClassName(), false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /**
     * The methods a trace rewrites: the roots (level 0) and, level by level, the application methods they call (the
     * declared target and the loaded classes that override it, or for a call on a JDK interface such as
     * {@code Runnable.run} up to 8 application classes that implement it), down to {@code depth - 1}; their calls, to
     * the application or the JDK, are the tree's nodes. JDK classes are never entered; constructors are timed at their
     * call site only; lambdas' bodies are not followed. At most 200 methods.
     */
    static List<TraceProbe.Traced> callTree(Class<?> type, List<MethodNode> roots, int depth, Instrumentation instrumentation,
                                           Function<Class<?>, ClassNode> bytes) {
        Map<String, Class<?>> application = new HashMap<>();
        for (Class<?> c : instrumentation.getAllLoadedClasses()) {
            if (c.getClassLoader() != null && !c.isArray() && !c.isHidden() && !c.getModule().isNamed() && !c.getName().startsWith("dev.sonde.agent.")
                    && instrumentation.isModifiableClass(c) && c.getClassLoader() != ClassLoader.getPlatformClassLoader()) {
                application.putIfAbsent(c.getName().replace('.', '/'), c);
            }
        }
        Map<Class<?>, ClassNode> nodes = new HashMap<>();
        List<TraceProbe.Traced> traced = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Deque<Object[]> queue = new ArrayDeque<>();
        for (MethodNode root : roots) {
            seen.add(type.getName() + "." + root.name + root.desc);
            queue.add(new Object[] {type, root, 0});
        }
        while (!queue.isEmpty() && traced.size() < MAX_TRACED) {
            Object[] item = queue.poll();
            Class<?> owner = (Class<?>) item[0];
            MethodNode method = (MethodNode) item[1];
            int level = (int) item[2];
            traced.add(new TraceProbe.Traced(owner, method.name, method.desc, level));
            if (level + 1 >= depth) {
                continue;
            }
            for (AbstractInsnNode insn : method.instructions) {
                if (!(insn instanceof MethodInsnNode call) || call.name.startsWith("<")) {
                    continue;
                }
                Class<?> declared = application.get(call.owner);
                boolean jdk = declared == null;
                if (jdk && (declared = jdkType(call.owner)) == null) {
                    continue;
                }
                int implementations = 0;
                for (Class<?> candidate : application.values()) {
                    boolean related = jdk ? declared.isAssignableFrom(candidate)
                            : declared.isAssignableFrom(candidate) || candidate.isAssignableFrom(declared);
                    if (!related || jdk && ++implementations > MAX_JDK_IMPLEMENTATIONS) {
                        continue;
                    }
                    ClassNode node = nodes.computeIfAbsent(candidate, c -> {
                        try {
                            return bytes.apply(c);
                        } catch (ProbeRefused e) {
                            return null;
                        }
                    });
                    if (node == null) {
                        continue;
                    }
                    for (MethodNode callee : node.methods) {
                        if (callee.name.equals(call.name) && callee.desc.equals(call.desc) && (callee.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0
                                && seen.add(candidate.getName() + "." + callee.name + callee.desc)) {
                            queue.add(new Object[] {candidate, callee, level + 1});
                        }
                    }
                }
            }
        }
        return traced;
    }
}
