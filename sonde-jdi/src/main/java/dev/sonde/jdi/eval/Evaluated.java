package dev.sonde.jdi.eval;

import com.sun.jdi.BooleanValue;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.Value;
import com.sun.jdi.VirtualMachine;
import dev.sonde.core.error.SondeException;

/**
 * What an expression evaluated to.
 *
 * @param value    the value in the target (null for null, for void, and for {@code text})
 * @param text     a string Sonde computed without putting it into the target (a literal, a concatenation); null otherwise
 * @param typeName the static type's name ({@code int}, {@code java.lang.String}, {@code void}), which names the type of a null
 */
public record Evaluated(Value value, String text, String typeName) {

    /** The result as a condition: a boolean (or Boolean), anything else is an error. */
    public boolean isTrue() {
        if (value instanceof BooleanValue condition) {
            return condition.value();
        }
        if (value instanceof ObjectReference box && typeName.equals("java.lang.Boolean")
                && box.getValue(box.referenceType().fieldByName("value")) instanceof BooleanValue condition) {
            return condition.value();
        }
        String what = text != null ? "a String" : value == null && !typeName.equals("void") ? "null" : Errors.aType(typeName);
        throw SondeException.invalidInput("The condition is " + what + ", not a boolean; write a test such as count > 3.");
    }

    /**
     * The value in the target: a string Sonde computed is created there (no code runs, but the new string is an
     * ordinary object that the target may collect once nothing refers to it).
     */
    public Value valueIn(VirtualMachine vm) {
        return text == null ? value : vm.mirrorOf(text);
    }
}
