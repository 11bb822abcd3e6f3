package dev.sonde.dap.client.values;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PythonLiteralsTest {

    @Test
    void readsStringsAsReprWritesThem() {
        assertThat(PythonLiterals.string("'mug'")).contains("mug");
        assertThat(PythonLiterals.string("\"it's\"")).contains("it's");
        assertThat(PythonLiterals.string("'it\\'s \"x\"\\n\\t\\\\'")).contains("it's \"x\"\n\t\\");
        assertThat(PythonLiterals.string("'\\x00\\u00e9\\U0001f600'")).contains("\0é\uD83D\uDE00");
        assertThat(PythonLiterals.string("''")).contains("");
    }

    @Test
    void anythingElseIsNoString() {
        assertThat(PythonLiterals.string("'cut short...")).isEmpty();
        assertThat(PythonLiterals.string("b'bytes'")).isEmpty();
        assertThat(PythonLiterals.string("'a' + 'b'")).isEmpty();
        assertThat(PythonLiterals.string("'\\x4'")).isEmpty();
        assertThat(PythonLiterals.string("42")).isEmpty();
        assertThat(PythonLiterals.string(null)).isEmpty();
    }

    @Test
    void numbers() {
        assertThat(PythonLiterals.isInt("-12")).isTrue();
        assertThat(PythonLiterals.isInt("1.5")).isFalse();
        assertThat(PythonLiterals.isFloat("1.5")).isTrue();
        assertThat(PythonLiterals.isFloat("1e+20")).isTrue();
        assertThat(PythonLiterals.isFloat("-inf")).isTrue();
        assertThat(PythonLiterals.isFloat("'1.5'")).isFalse();
    }
}
