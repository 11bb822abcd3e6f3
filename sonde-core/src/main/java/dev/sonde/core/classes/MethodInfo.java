package dev.sonde.core.classes;

import java.util.List;

/**
 * A method (or constructor, {@code <init>}; or static initializer, {@code <clinit>}) a class declares.
 *
 * @param returnType    the return type's name ({@code void} for constructors)
 * @param argumentTypes the parameter types' names
 * @param firstLine     the first line with code, or -1 when the class has no line numbers or the method no code
 * @param lastLine      the last line with code, or -1
 */
public record MethodInfo(String name, String returnType, List<String> argumentTypes, boolean isStatic, boolean isNative,
                         boolean isAbstract, boolean isSynthetic, int firstLine, int lastLine) {

    public MethodInfo {
        argumentTypes = List.copyOf(argumentTypes);
    }

    /** {@code int add(int, java.lang.String)} */
    public String signature() {
        return returnType + " " + name + "(" + String.join(", ", argumentTypes) + ")";
    }
}
