package dev.sonde.agent.expr;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/** The JDK methods an expression may call without {@code --allow-invoke}: they only read their receiver and arguments. */
final class Allowed {

    private static final Set<String> STRING = Set.of("length", "isEmpty", "isBlank", "charAt", "codePointAt", "equals",
            "equalsIgnoreCase", "startsWith", "endsWith", "contains", "indexOf", "lastIndexOf", "compareTo", "compareToIgnoreCase",
            "hashCode", "substring", "trim", "strip", "stripLeading", "stripTrailing", "toLowerCase", "toUpperCase", "matches",
            "valueOf", "toString", "concat", "repeat");
    private static final Set<String> OBJECTS = Set.of("equals", "deepEquals", "isNull", "nonNull", "hashCode");
    private static final Set<String> COLLECTIONS = Set.of("size", "isEmpty", "contains", "containsKey", "containsValue", "get",
            "getOrDefault", "getFirst", "getLast", "peek", "peekFirst", "peekLast", "firstKey", "lastKey", "first", "last");
    private static final Set<String> OPTIONALS = Set.of("isPresent", "isEmpty", "get", "orElse", "getAsInt", "getAsLong", "getAsDouble");
    private static final Set<Class<?>> OPTIONAL_TYPES = Set.of(Optional.class, OptionalInt.class, OptionalLong.class, OptionalDouble.class);

    private Allowed() {
    }

    static boolean isSideEffectFree(Method method) {
        Class<?> type = method.getDeclaringClass();
        String name = method.getName();
        if (type == String.class) {
            return STRING.contains(name);
        }
        if (Types.isBox(type) || type == Number.class) {
            return !name.startsWith("get");
        }
        if (type == Math.class || type == StrictMath.class) {
            return !name.equals("random");
        }
        if (type == java.util.Objects.class) {
            return OBJECTS.contains(name);
        }
        if (OPTIONAL_TYPES.contains(type)) {
            return OPTIONALS.contains(name);
        }
        if (type.getPackageName().equals("java.util") && (Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type))) {
            return COLLECTIONS.contains(name);
        }
        if (type == Enum.class) {
            return name.equals("name") || name.equals("ordinal");
        }
        if (type == Object.class) {
            return name.equals("getClass");
        }
        if (type == Class.class) {
            return name.equals("getName") || name.equals("getSimpleName") || name.equals("isInstance");
        }
        return false;
    }
}
