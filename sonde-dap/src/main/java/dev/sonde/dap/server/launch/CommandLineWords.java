package dev.sonde.dap.server.launch;

import dev.sonde.core.error.SondeException;

import java.util.ArrayList;
import java.util.List;

/** Splits a command line given as one string into words: whitespace separates, quotes group, a backslash escapes. */
final class CommandLineWords {

    private CommandLineWords() {
    }

    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw SondeException.invalidInput("The arguments '" + line + "' have an unclosed " + quote + " quote; close it.");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
