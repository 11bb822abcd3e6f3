package dev.sonde.jdi.eval;

import com.sun.jdi.PrimitiveValue;
import com.sun.jdi.VirtualMachine;

/** Java's primitive types, with the conversions and promotions the language defines between them. */
enum PrimitiveKind implements StaticType {
    BOOLEAN("boolean", "java.lang.Boolean", "Z"),
    BYTE("byte", "java.lang.Byte", "B"),
    SHORT("short", "java.lang.Short", "S"),
    CHAR("char", "java.lang.Character", "C"),
    INT("int", "java.lang.Integer", "I"),
    LONG("long", "java.lang.Long", "J"),
    FLOAT("float", "java.lang.Float", "F"),
    DOUBLE("double", "java.lang.Double", "D");

    private final String javaName;
    private final String boxName;
    private final String signature;

    PrimitiveKind(String javaName, String boxName, String signature) {
        this.javaName = javaName;
        this.boxName = boxName;
        this.signature = signature;
    }

    @Override
    public String typeName() {
        return javaName;
    }

    /** The wrapper class: {@code java.lang.Integer} for int. */
    String boxName() {
        return boxName;
    }

    /** The JNI signature: {@code I} for int. */
    String signature() {
        return signature;
    }

    /** The primitive type of that name, or null for a reference type. */
    static PrimitiveKind named(String typeName) {
        for (PrimitiveKind kind : values()) {
            if (kind.javaName.equals(typeName)) {
                return kind;
            }
        }
        return null;
    }

    /** The primitive type a wrapper class holds, or null when {@code className} is no wrapper. */
    static PrimitiveKind boxedIn(String className) {
        if (!className.startsWith("java.lang.")) {
            return null;
        }
        for (PrimitiveKind kind : values()) {
            if (kind.boxName.equals(className)) {
                return kind;
            }
        }
        return null;
    }

    boolean isNumeric() {
        return this != BOOLEAN;
    }

    boolean isIntegral() {
        return this == BYTE || this == SHORT || this == CHAR || this == INT || this == LONG;
    }

    /** Identity or widening primitive conversion (JLS 5.1.2). */
    boolean widensTo(PrimitiveKind to) {
        if (this == to) {
            return true;
        }
        return switch (this) {
            case BYTE -> to == SHORT || to == INT || to == LONG || to == FLOAT || to == DOUBLE;
            case SHORT, CHAR -> to == INT || to == LONG || to == FLOAT || to == DOUBLE;
            case INT -> to == LONG || to == FLOAT || to == DOUBLE;
            case LONG -> to == FLOAT || to == DOUBLE;
            case FLOAT -> to == DOUBLE;
            default -> false;
        };
    }

    /** Unary numeric promotion (JLS 5.6): byte, short and char compute as int. */
    PrimitiveKind promoted() {
        return this == BYTE || this == SHORT || this == CHAR ? INT : this;
    }

    /** Binary numeric promotion (JLS 5.6). */
    static PrimitiveKind promoted(PrimitiveKind a, PrimitiveKind b) {
        if (a == DOUBLE || b == DOUBLE) {
            return DOUBLE;
        }
        if (a == FLOAT || b == FLOAT) {
            return FLOAT;
        }
        if (a == LONG || b == LONG) {
            return LONG;
        }
        return INT;
    }

    /** Whether an int constant can be narrowed to this type in an assignment ({@code byte b = 5}, JLS 5.2). */
    boolean holdsConstant(long constant) {
        return switch (this) {
            case BYTE -> constant >= Byte.MIN_VALUE && constant <= Byte.MAX_VALUE;
            case SHORT -> constant >= Short.MIN_VALUE && constant <= Short.MAX_VALUE;
            case CHAR -> constant >= Character.MIN_VALUE && constant <= Character.MAX_VALUE;
            case INT -> true;
            default -> false;
        };
    }

    /** Converts a numeric value to this type with the semantics of a Java cast ({@code (byte) 300} is 44). */
    PrimitiveValue convert(VirtualMachine vm, PrimitiveValue value) {
        return switch (this) {
            case BOOLEAN -> vm.mirrorOf(value.booleanValue());
            case BYTE -> vm.mirrorOf(value.byteValue());
            case SHORT -> vm.mirrorOf(value.shortValue());
            case CHAR -> vm.mirrorOf(value.charValue());
            case INT -> vm.mirrorOf(value.intValue());
            case LONG -> vm.mirrorOf(value.longValue());
            case FLOAT -> vm.mirrorOf(value.floatValue());
            case DOUBLE -> vm.mirrorOf(value.doubleValue());
        };
    }

    /** The value as {@code String.valueOf} writes it. */
    String text(PrimitiveValue value) {
        return switch (this) {
            case BOOLEAN -> String.valueOf(value.booleanValue());
            case CHAR -> String.valueOf(value.charValue());
            case BYTE, SHORT, INT -> String.valueOf(value.intValue());
            case LONG -> String.valueOf(value.longValue());
            case FLOAT -> String.valueOf(value.floatValue());
            case DOUBLE -> String.valueOf(value.doubleValue());
        };
    }
}
