package dev.sonde.agent.expr;

import java.lang.reflect.Member;
import java.lang.reflect.Modifier;
import java.util.Map;

/** Java's static typing rules the compiler needs: primitives and their boxes, conversions, access from the probed class. */
final class Types {

    /** The type of the {@code null} literal. */
    static final class Null {
        private Null() {
        }
    }

    private static final Map<Class<?>, Class<?>> BOXES = Map.of(boolean.class, Boolean.class, byte.class, Byte.class,
            char.class, Character.class, short.class, Short.class, int.class, Integer.class, long.class, Long.class,
            float.class, Float.class, double.class, Double.class);
    private static final Map<Class<?>, Class<?>> PRIMITIVES = Map.of(Boolean.class, boolean.class, Byte.class, byte.class,
            Character.class, char.class, Short.class, short.class, Integer.class, int.class, Long.class, long.class,
            Float.class, float.class, Double.class, double.class);
    private static final Map<String, Class<?>> PRIMITIVE_NAMES = Map.of("boolean", boolean.class, "byte", byte.class,
            "char", char.class, "short", short.class, "int", int.class, "long", long.class, "float", float.class, "double", double.class);

    private Types() {
    }

    static Class<?> primitiveNamed(String name) {
        return PRIMITIVE_NAMES.get(name);
    }

    static Class<?> box(Class<?> primitive) {
        return BOXES.getOrDefault(primitive, primitive);
    }

    /** The primitive of a box, the type itself otherwise. */
    static Class<?> unboxed(Class<?> type) {
        return PRIMITIVES.getOrDefault(type, type);
    }

    static boolean isBox(Class<?> type) {
        return PRIMITIVES.containsKey(type);
    }

    /** A numeric primitive, or its box. */
    static boolean isNumeric(Class<?> type) {
        Class<?> p = unboxed(type);
        return p.isPrimitive() && p != boolean.class && p != void.class;
    }

    static boolean isIntegral(Class<?> type) {
        Class<?> p = unboxed(type);
        return p == int.class || p == long.class || p == short.class || p == byte.class || p == char.class;
    }

    static boolean isBoolean(Class<?> type) {
        return type == boolean.class || type == Boolean.class;
    }

    static boolean isReference(Class<?> type) {
        return !type.isPrimitive();
    }

    /** Unary numeric promotion (JLS 5.6): byte, short and char become int. */
    static Class<?> promoted(Class<?> type) {
        Class<?> p = unboxed(type);
        return p == byte.class || p == short.class || p == char.class ? int.class : p;
    }

    /** Binary numeric promotion (JLS 5.6). */
    static Class<?> promoted(Class<?> left, Class<?> right) {
        Class<?> l = unboxed(left);
        Class<?> r = unboxed(right);
        if (l == double.class || r == double.class) {
            return double.class;
        }
        if (l == float.class || r == float.class) {
            return float.class;
        }
        if (l == long.class || r == long.class) {
            return long.class;
        }
        return int.class;
    }

    /** Widening primitive conversion (JLS 5.1.2), or identity. */
    static boolean widens(Class<?> from, Class<?> to) {
        if (from == to) {
            return true;
        }
        if (!from.isPrimitive() || !to.isPrimitive() || from == boolean.class || to == boolean.class || to == char.class) {
            return false;
        }
        int rankFrom = rank(from);
        int rankTo = rank(to);
        if (from == char.class) {
            return rankTo >= rank(int.class);
        }
        return to != char.class && rankTo > rankFrom && !(to == short.class && from == char.class);
    }

    private static int rank(Class<?> type) {
        if (type == byte.class) {
            return 1;
        }
        if (type == short.class || type == char.class) {
            return 2;
        }
        if (type == int.class) {
            return 3;
        }
        if (type == long.class) {
            return 4;
        }
        return type == float.class ? 5 : 6;
    }

    /** Assignment without boxing: widening or subtyping; null to any reference. */
    static boolean assignableStrict(Class<?> from, Class<?> to) {
        if (from.isPrimitive() || to.isPrimitive()) {
            return from.isPrimitive() && to.isPrimitive() && widens(from, to);
        }
        return from == Null.class || to.isAssignableFrom(from);
    }

    /** Assignment allowing boxing and unboxing (method invocation in its second phase). */
    static boolean assignableLoose(Class<?> from, Class<?> to) {
        if (assignableStrict(from, to)) {
            return true;
        }
        if (from.isPrimitive() && !to.isPrimitive()) {
            return to.isAssignableFrom(box(from));
        }
        if (!from.isPrimitive() && to.isPrimitive()) {
            return isBox(from) && widens(unboxed(from), to);
        }
        return false;
    }

    /** Whether {@code from} may read {@code type} by name in its bytecode: the JVM's access rule plus the name resolving to it. */
    static boolean accessible(Class<?> type, Class<?> from) {
        if (type.isPrimitive() || type == Null.class) {
            return true;
        }
        if (type.isArray()) {
            return accessible(type.getComponentType(), from);
        }
        if (!samePackage(type, from)) {
            if (!Modifier.isPublic(type.getModifiers()) || !type.getModule().isExported(type.getPackageName(), from.getModule())) {
                return false;
            }
        }
        try {
            return Class.forName(type.getName(), false, from.getClassLoader()) == type;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static boolean samePackage(Class<?> type, Class<?> from) {
        return type.getClassLoader() == from.getClassLoader() && type.getPackageName().equals(from.getPackageName());
    }

    /** Whether {@code from} may use {@code member} through a reference to {@code via} (a type it can name). */
    static boolean accessible(Member member, Class<?> via, Class<?> from) {
        if (!accessible(via, from)) {
            return false;
        }
        int modifiers = member.getModifiers();
        Class<?> declaring = member.getDeclaringClass();
        if (Modifier.isPublic(modifiers)) {
            return true;
        }
        if (Modifier.isPrivate(modifiers)) {
            return declaring == from || from.isNestmateOf(declaring);
        }
        return samePackage(declaring, from);
    }

    /** The type the verifier sees for a value of static type {@code type}: itself, or its nearest superclass {@code from} can name. */
    static Class<?> visible(Class<?> type, Class<?> from) {
        Class<?> t = type;
        while (t != null && !accessible(t, from)) {
            t = t.isArray() || t.isInterface() ? Object.class : t.getSuperclass();
        }
        return t == null ? Object.class : t;
    }

    /** "an int", "a String", "null", "a dev.shop.Order" as a sentence needs it. */
    static String a(Class<?> type) {
        if (type == Null.class) {
            return "null";
        }
        String name = name(type);
        return ("aeiouAEIOU".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
    }

    static String name(Class<?> type) {
        if (type == Null.class) {
            return "null";
        }
        if (type.isArray()) {
            return name(type.getComponentType()) + "[]";
        }
        String name = type.getName();
        return name.startsWith("java.lang.") && name.indexOf('.', "java.lang.".length()) < 0 ? type.getSimpleName()
                : name.startsWith("java.util.") ? type.getSimpleName() : name.replace('$', '.');
    }
}
