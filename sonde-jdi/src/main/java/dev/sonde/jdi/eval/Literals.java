package dev.sonde.jdi.eval;

import dev.sonde.core.error.SondeException;

import java.math.BigInteger;

/** Turns literal text into values with javac's rules: radixes, underscores, ranges, escapes and text blocks. */
final class Literals {

    private static final BigInteger INT_LIMIT = BigInteger.ONE.shiftLeft(31);
    private static final BigInteger LONG_LIMIT = BigInteger.ONE.shiftLeft(63);

    private Literals() {
    }

    /** An int literal; {@code negated} when a minus sign stands right before it (2147483648 is legal only then). */
    static int intValue(String written, boolean negated) {
        return (int) integral(written, written, negated, 32, INT_LIMIT, "an int", written + "L for a long");
    }

    /** A long literal, written with its L. */
    static long longValue(String written, boolean negated) {
        String digits = written.substring(0, written.length() - 1);
        return integral(written, digits, negated, 64, LONG_LIMIT, "a long", "a double such as " + digits + ".0");
    }

    private static long integral(String written, String number, boolean negated, int bits, BigInteger decimalLimit, String type,
                                 String instead) {
        String digits = number.replace("_", "");
        int radix = 10;
        if (digits.startsWith("0x") || digits.startsWith("0X")) {
            radix = 16;
            digits = digits.substring(2);
        } else if (digits.startsWith("0b") || digits.startsWith("0B")) {
            radix = 2;
            digits = digits.substring(2);
        } else if (digits.length() > 1 && digits.startsWith("0")) {
            radix = 8;
            digits = digits.substring(1);
        }
        BigInteger value;
        try {
            value = new BigInteger(digits, radix);
        } catch (NumberFormatException e) {
            throw SondeException.invalidInput("The number " + written + " is not a valid " + type + " literal.");
        }
        // Decimal literals are magnitudes up to 2^(bits-1), that one only after a minus; the others are bit patterns.
        boolean fits = radix == 10
                ? value.compareTo(decimalLimit) < 0 || negated && value.equals(decimalLimit)
                : value.bitLength() <= bits;
        if (!fits) {
            throw SondeException.invalidInput("The number " + written + " is too large for " + type + "; write " + instead + ".");
        }
        long bitsValue = value.longValue();
        long result = bits == 32 ? (int) bitsValue : bitsValue;
        return negated ? -result : result;
    }

    /** A float ({@code 1.5f}) or double ({@code 1e3}, {@code 0x1p3}) literal, as {@link Float} or {@link Double}. */
    static Number floatingValue(String written) {
        String digits = written.replace("_", "");
        char last = Character.toLowerCase(digits.charAt(digits.length() - 1));
        Number value = last == 'f' ? (Number) Float.parseFloat(digits) : (Number) Double.parseDouble(digits);
        if (Double.isInfinite(value.doubleValue())) {
            throw SondeException.invalidInput("The number " + written + " is too large for a " + (last == 'f' ? "float" : "double") + ".");
        }
        return value;
    }

    /** The text of a char or string literal (between its quotes), with escapes applied as javac does. */
    static String unescape(String written) {
        return translateEscapes(unicodeEscapes(written), written);
    }

    /** The text of a text block, from the line after its opening quotes to its closing quotes. */
    static String textBlock(String written) {
        return translateEscapes(unicodeEscapes(written).stripIndent(), written);
    }

    private static String translateEscapes(String text, String written) {
        try {
            return text.translateEscapes();
        } catch (IllegalArgumentException e) {
            throw SondeException.invalidInput("The literal \"" + written + "\" has an invalid escape (" + e.getMessage() + ").");
        }
    }

    /** Java's first step: {@code \}{@code u0041} anywhere stands for the character, unless its backslash is escaped. */
    private static String unicodeEscapes(String text) {
        if (!text.contains("\\u")) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 >= text.length()) {
                out.append(c);
            } else if (text.charAt(i + 1) == '\\') {
                out.append("\\\\");
                i++;
            } else if (text.charAt(i + 1) == 'u') {
                int hex = i + 1;
                while (hex < text.length() && text.charAt(hex) == 'u') {
                    hex++;
                }
                if (hex + 4 > text.length()) {
                    throw SondeException.invalidInput("The literal \"" + text + "\" has an incomplete \\u escape.");
                }
                try {
                    out.append((char) Integer.parseInt(text.substring(hex, hex + 4), 16));
                } catch (NumberFormatException e) {
                    throw SondeException.invalidInput("The literal \"" + text + "\" has an invalid \\u escape.");
                }
                i = hex + 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
