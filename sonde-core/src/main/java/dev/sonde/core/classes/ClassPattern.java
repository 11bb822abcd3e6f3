package dev.sonde.core.classes;

import dev.sonde.core.error.SondeException;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which class names a {@code classes PATTERN} asks for: a glob over the whole name when it holds {@code *} or
 * {@code ?} ({@code com.acme.*Service}), otherwise any name containing the text, ignoring case.
 */
public record ClassPattern(String text) {

    public ClassPattern {
        if (text == null || text.isBlank()) {
            throw SondeException.invalidInput("Give a class name pattern: a part of the name (Order) or a glob (com.acme.*Service).");
        }
        text = text.strip();
    }

    public boolean isGlob() {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
    }

    public boolean matches(String className) {
        if (!isGlob()) {
            return className.toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT));
        }
        return glob().matcher(className).matches();
    }

    private Pattern glob() {
        StringBuilder regex = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
